// Procedural CAD models for the generated demo dataset: a few clearly different subtypes per
// category, built from boxes, tapered boxes, cylinders and extruded convex profiles.
//
// Conventions follow the ImageNet3D CAD models: object units, z up, the front of the object faces -y
// (azimuth 0 looks at the front), centred on the bounding-box centre and scaled to a bounding-box
// diagonal of 1. Every part is a closed solid with outward (counter-clockwise seen from outside)
// winding, so the union of parts has every directed edge matched by its reverse.

/**
 * Same shape as `Mesh` in `shared/src/mesh/types.ts` (kept local so this module has no dependency on
 * that file; the two are structurally identical and interchangeable).
 */
export interface Mesh {
  /** xyz per vertex. */
  positions: Float32Array;
  /** Three vertex indices per triangle. */
  triangles: Uint32Array;
}

export type V3 = readonly [number, number, number];

export interface DemoSubtype {
  /** 1-based subtype number, as in ImageNet3D's `cad_index`. */
  subtype: number;
  name: string;
  mesh: Mesh;
}

export interface DemoCategory {
  category: string;
  subtypes: DemoSubtype[];
}

const sub = (a: V3, b: V3): V3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a: V3): V3 => {
  const l = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / l, a[1] / l, a[2] / l];
};

/** Accumulates closed parts into one mesh. */
export class MeshBuilder {
  private readonly pos: number[] = [];
  private readonly tri: number[] = [];

  private vertex(p: V3): number {
    this.pos.push(p[0], p[1], p[2]);
    return this.pos.length / 3 - 1;
  }

  private quad(a: number, b: number, c: number, d: number): void {
    this.tri.push(a, b, c, a, c, d);
  }

  /**
   * A deformed box from 8 corners indexed by their (x, y, z) sign bits: corner i is the one with
   * x high when i & 1, y high when i & 2, z high when i & 4. Good for tapered and sheared boxes.
   */
  hexa(c: readonly V3[]): this {
    const v = c.map((p) => this.vertex(p));
    const q = (a: number, b: number, cc: number, d: number) => this.quad(v[a]!, v[b]!, v[cc]!, v[d]!);
    q(0, 2, 3, 1); // z-
    q(4, 5, 7, 6); // z+
    q(0, 1, 5, 4); // y-
    q(2, 6, 7, 3); // y+
    q(0, 4, 6, 2); // x-
    q(1, 3, 7, 5); // x+
    return this;
  }

  /** Axis-aligned box between two corners. */
  box(min: V3, max: V3): this {
    const c: V3[] = [];
    for (let i = 0; i < 8; i++) c.push([i & 1 ? max[0] : min[0], i & 2 ? max[1] : min[1], i & 4 ? max[2] : min[2]]);
    return this.hexa(c);
  }

  /** Box given by centre and full size. */
  cbox(centre: V3, size: V3): this {
    const h: V3 = [size[0] / 2, size[1] / 2, size[2] / 2];
    return this.box(sub(centre, h), [centre[0] + h[0], centre[1] + h[1], centre[2] + h[2]]);
  }

  /**
   * Box whose bottom face (z = z0) spans `bottom` = [x0, x1, y0, y1] and top face (z = z1) spans `top`;
   * a trapezoidal solid such as a car cabin or a CRT tube.
   */
  taperZ(z0: number, z1: number, bottom: readonly number[], top: readonly number[]): this {
    const c: V3[] = [];
    for (let i = 0; i < 8; i++) {
      const f = i & 4 ? top : bottom;
      c.push([i & 1 ? f[1]! : f[0]!, i & 2 ? f[3]! : f[2]!, i & 4 ? z1 : z0]);
    }
    return this.hexa(c);
  }

  /** Same as `taperZ` along y: the face at y = y0 spans `front` = [x0, x1, z0, z1], the face at y1 `back`. */
  taperY(y0: number, y1: number, front: readonly number[], back: readonly number[]): this {
    const c: V3[] = [];
    for (let i = 0; i < 8; i++) {
      const f = i & 2 ? back : front;
      c.push([i & 1 ? f[1]! : f[0]!, i & 2 ? y1 : y0, i & 4 ? f[3]! : f[2]!]);
    }
    return this.hexa(c);
  }

  /** Closed cylinder (or truncated cone) from a to b with radii ra, rb (both > 0). */
  cylinder(a: V3, b: V3, ra: number, rb = ra, segments = 16): this {
    const d = norm(sub(b, a));
    const h: V3 = Math.abs(d[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
    const u = norm(cross(h, d));
    const w = cross(d, u); // u × w = d
    const ia: number[] = [], ib: number[] = [];
    for (let i = 0; i < segments; i++) {
      const t = (2 * Math.PI * i) / segments;
      const cs = Math.cos(t), sn = Math.sin(t);
      const dir: V3 = [cs * u[0] + sn * w[0], cs * u[1] + sn * w[1], cs * u[2] + sn * w[2]];
      ia.push(this.vertex([a[0] + ra * dir[0], a[1] + ra * dir[1], a[2] + ra * dir[2]]));
      ib.push(this.vertex([b[0] + rb * dir[0], b[1] + rb * dir[1], b[2] + rb * dir[2]]));
    }
    for (let i = 0; i < segments; i++) {
      const j = (i + 1) % segments;
      this.quad(ia[i]!, ia[j]!, ib[j]!, ib[i]!);
    }
    for (let k = 1; k < segments - 1; k++) {
      this.tri.push(ib[0]!, ib[k]!, ib[k + 1]!);
      this.tri.push(ia[0]!, ia[k + 1]!, ia[k]!);
    }
    return this;
  }

  /** A convex polygon in the (y, z) plane extruded along x from x0 to x1 (x0 < x1); any vertex order. */
  prismX(profile: ReadonlyArray<readonly [number, number]>, x0: number, x1: number): this {
    let area = 0;
    for (let k = 0; k < profile.length; k++) {
      const p = profile[k]!, q = profile[(k + 1) % profile.length]!;
      area += p[0] * q[1] - q[0] * p[1];
    }
    const pr = area >= 0 ? profile : [...profile].reverse();
    const n = pr.length;
    const ia = pr.map(([y, z]) => this.vertex([x0, y, z]));
    const ib = pr.map(([y, z]) => this.vertex([x1, y, z]));
    for (let k = 0; k < n; k++) {
      const j = (k + 1) % n;
      this.quad(ia[k]!, ia[j]!, ib[j]!, ib[k]!);
    }
    for (let k = 1; k < n - 1; k++) {
      this.tri.push(ib[0]!, ib[k]!, ib[k + 1]!);
      this.tri.push(ia[0]!, ia[k + 1]!, ia[k]!);
    }
    return this;
  }

  /** Adds a part mirrored across the yz plane (x → -x) as well as the original. */
  mirrorX(build: (b: MeshBuilder, sx: 1 | -1) => void): this {
    build(this, 1);
    build(this, -1);
    return this;
  }

  get triangleCount(): number {
    return this.tri.length / 3;
  }

  /** The finished mesh, centred on its bounding box and scaled to a bounding-box diagonal of 1. */
  build(): Mesh {
    const n = this.pos.length / 3;
    const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < n; i++)
      for (let k = 0; k < 3; k++) {
        const v = this.pos[3 * i + k]!;
        if (v < lo[k]!) lo[k] = v;
        if (v > hi[k]!) hi[k] = v;
      }
    const c = [0, 1, 2].map((k) => (lo[k]! + hi[k]!) / 2);
    const s = 1 / Math.hypot(hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!);
    const positions = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) positions[3 * i + k] = (this.pos[3 * i + k]! - c[k]!) * s;
    return { positions, triangles: Uint32Array.from(this.tri) };
  }
}

/** The corners of a `hexa` mirrored across the yz plane, re-indexed so the solid stays outward-wound. */
function mirrorHexa(c: readonly V3[]): V3[] {
  return c.map((_, i) => {
    const p = c[i ^ 1]!;
    return [-p[0], p[1], p[2]] as V3;
  });
}

// ---------------------------------------------------------------------------------------------
// Chairs (metres before normalisation; seat front toward -y, backrest at +y).

function fourLegChair(): Mesh {
  const b = new MeshBuilder();
  const w = 0.46, d = 0.46, seatZ = 0.45, leg = 0.04;
  b.box([-w / 2, -d / 2, seatZ - 0.05], [w / 2, d / 2, seatZ]); // seat
  b.mirrorX((m, sx) => {
    const x0 = sx > 0 ? w / 2 - leg - 0.01 : -w / 2 + 0.01;
    m.box([x0, -d / 2 + 0.01, 0], [x0 + leg, -d / 2 + 0.01 + leg, seatZ - 0.05]); // front leg
    m.box([x0, d / 2 - 0.01 - leg, 0], [x0 + leg, d / 2 - 0.01, 0.95]); // rear leg, becomes back post
  });
  const y0 = d / 2 - 0.045, y1 = d / 2 - 0.015;
  b.box([-w / 2 + 0.04, y0, 0.83], [w / 2 - 0.04, y1, 0.93]); // top rail
  b.box([-w / 2 + 0.04, y0, 0.56], [w / 2 - 0.04, y1, 0.6]); // lower rail
  for (const x of [-0.1, 0, 0.1]) b.box([x - 0.018, y0 + 0.005, 0.6], [x + 0.018, y1 - 0.005, 0.83]); // slats
  // Stretchers between the legs.
  b.box([-w / 2 + 0.03, -d / 2 + 0.02, 0.12], [w / 2 - 0.03, -d / 2 + 0.04, 0.15]);
  b.mirrorX((m, sx) => {
    const x = (sx * (w / 2 - 0.03)) - 0.01;
    m.box([x, -d / 2 + 0.03, 0.18], [x + 0.02, d / 2 - 0.03, 0.21]);
  });
  return b.build();
}

function armchair(): Mesh {
  const b = new MeshBuilder();
  const w = 0.86, d = 0.84;
  b.mirrorX((m, sx) => {
    for (const y of [-d / 2 + 0.07, d / 2 - 0.07]) m.cylinder([sx * (w / 2 - 0.07), y, 0], [sx * (w / 2 - 0.07), y, 0.1], 0.025, 0.035, 10);
  });
  b.box([-w / 2, -d / 2, 0.1], [w / 2, d / 2, 0.34]); // base
  b.box([-w / 2 + 0.16, -d / 2 + 0.02, 0.34], [w / 2 - 0.16, d / 2 - 0.2, 0.45]); // seat cushion
  b.taperY(d / 2 - 0.24, d / 2, [-w / 2 + 0.02, w / 2 - 0.02, 0.34, 0.86], [-w / 2, w / 2, 0.34, 0.9]); // thick back
  b.mirrorX((m, sx) => {
    const xa = sx > 0 ? w / 2 - 0.17 : -w / 2, xb = xa + 0.17;
    m.prismX([[-d / 2, 0.34], [-d / 2, 0.6], [-d / 2 + 0.06, 0.65], [d / 2 - 0.1, 0.66], [d / 2 - 0.1, 0.34]], xa, xb); // rolled arm
  });
  return b.build();
}

function barStool(): Mesh {
  const b = new MeshBuilder();
  const seatZ = 0.76;
  b.cylinder([0, 0, seatZ - 0.05], [0, 0, seatZ], 0.2, 0.21, 24); // round seat
  for (let k = 0; k < 4; k++) {
    const a = Math.PI / 4 + (k * Math.PI) / 2;
    const c = Math.cos(a), s = Math.sin(a);
    b.cylinder([0.24 * c, 0.24 * s, 0], [0.13 * c, 0.13 * s, seatZ - 0.05], 0.018, 0.016, 8); // splayed leg
  }
  // Foot ring: four bars joining the legs at a third of their height.
  const z = 0.28, r = 0.24 - (0.11 * z) / (seatZ - 0.05);
  for (let k = 0; k < 4; k++) {
    const a0 = Math.PI / 4 + (k * Math.PI) / 2, a1 = a0 + Math.PI / 2;
    b.cylinder([r * Math.cos(a0), r * Math.sin(a0), z], [r * Math.cos(a1), r * Math.sin(a1), z], 0.012, 0.012, 8);
  }
  // Low back: two posts and a wide curved-looking board (three angled panels).
  b.mirrorX((m, sx) => m.cylinder([sx * 0.12, 0.15, seatZ - 0.01], [sx * 0.13, 0.2, 1.02], 0.014, 0.014, 8));
  b.taperZ(0.9, 1.06, [-0.09, 0.09, 0.17, 0.21], [-0.09, 0.09, 0.19, 0.23]);
  // Side wings angled forward, so the back wraps around the sitter.
  const wing: V3[] = [];
  for (let i = 0; i < 8; i++) {
    const outer = (i & 1) !== 0;
    wing.push([outer ? 0.19 : 0.09, (outer ? 0.12 : 0.17) + (i & 2 ? 0.04 : 0), i & 4 ? 1.06 : 0.9]);
  }
  b.hexa(wing).hexa(mirrorHexa(wing));
  return b.build();
}

function officeChair(): Mesh {
  const b = new MeshBuilder();
  // Five-star base with casters.
  for (let k = 0; k < 5; k++) {
    const a = -Math.PI / 2 + (k * 2 * Math.PI) / 5;
    const c = Math.cos(a), s = Math.sin(a);
    b.cylinder([0, 0, 0.09], [0.3 * c, 0.3 * s, 0.07], 0.026, 0.02, 8);
    b.cylinder([0.3 * c - 0.025 * s, 0.3 * s + 0.025 * c, 0.03], [0.3 * c + 0.025 * s, 0.3 * s - 0.025 * c, 0.03], 0.03, 0.03, 10);
  }
  b.cylinder([0, 0, 0.06], [0, 0, 0.2], 0.045, 0.045, 12); // hub
  b.cylinder([0, 0, 0.2], [0, 0, 0.44], 0.025, 0.025, 12); // gas lift
  b.box([-0.12, -0.12, 0.42], [0.12, 0.12, 0.46]); // mechanism
  b.taperZ(0.46, 0.53, [-0.25, 0.25, -0.25, 0.22], [-0.26, 0.26, -0.27, 0.23]); // seat
  b.box([-0.03, 0.16, 0.44], [0.03, 0.3, 0.48]); // back bar
  b.box([-0.03, 0.27, 0.48], [0.03, 0.31, 0.62]);
  // Tall reclined back, wider at the top.
  b.hexa([
    [-0.22, 0.27, 0.58], [0.22, 0.27, 0.58], [-0.22, 0.33, 0.58], [0.22, 0.33, 0.58],
    [-0.25, 0.35, 1.15], [0.25, 0.35, 1.15], [-0.25, 0.41, 1.15], [0.25, 0.41, 1.15],
  ]);
  // Armrests: post and pad.
  b.mirrorX((m, sx) => {
    const x = sx * 0.24;
    m.box([x - 0.015, 0.0, 0.46], [x + 0.015, 0.04, 0.68]);
    m.box([x - 0.035, -0.14, 0.68], [x + 0.035, 0.12, 0.71]);
  });
  return b.build();
}

// ---------------------------------------------------------------------------------------------
// Cars (length along y, front toward -y, width along x).

function wheels(b: MeshBuilder, yFront: number, yRear: number, r: number, x: number, w: number): void {
  for (const y of [yFront, yRear])
    b.mirrorX((m, sx) => {
      const xo = sx * x, xi = sx * (x - w);
      m.cylinder([xi, y, r], [xo, y, r], r, r * 0.96, 20);
      m.cylinder([xo, y, r], [xo + sx * 0.01, y, r], r * 0.55, r * 0.45, 12); // hub cap
    });
}

function sedan(): Mesh {
  // Long and low, three boxes: bonnet, cabin, boot.
  const b = new MeshBuilder();
  const hw = 0.9;
  b.prismX([[-2.45, 0.28], [-2.5, 0.5], [-2.35, 0.64], [-1.2, 0.78], [2.3, 0.82], [2.47, 0.72], [2.5, 0.42], [2.3, 0.24], [-2.3, 0.24]], -hw, hw);
  b.hexa([
    [-0.84, -0.8, 0.76], [0.84, -0.8, 0.76], [-0.84, 1.4, 0.8], [0.84, 1.4, 0.8],
    [-0.66, -0.05, 1.28], [0.66, -0.05, 1.28], [-0.66, 0.85, 1.28], [0.66, 0.85, 1.28],
  ]); // cabin: raked windscreen, sloping rear window
  b.mirrorX((m, sx) => m.cbox([sx * 0.97, -0.7, 0.92], [0.14, 0.06, 0.08])); // mirrors
  wheels(b, -1.5, 1.45, 0.32, 0.88, 0.22);
  return b.build();
}

function suv(): Mesh {
  // Short, tall and boxy, high off the ground, with a spare wheel on the tailgate.
  const b = new MeshBuilder();
  const hw = 0.97;
  b.prismX([[-2.1, 0.5], [-2.15, 0.85], [-2.0, 1.15], [-1.1, 1.22], [2.1, 1.25], [2.15, 0.55], [2.0, 0.45], [-1.95, 0.45]], -hw, hw);
  b.hexa([
    [-0.93, -1.15, 1.2], [0.93, -1.15, 1.2], [-0.93, 2.12, 1.23], [0.93, 2.12, 1.23],
    [-0.86, -0.55, 2.0], [0.86, -0.55, 2.0], [-0.86, 2.05, 2.0], [0.86, 2.05, 2.0],
  ]); // tall cabin, near-vertical tailgate
  b.mirrorX((m, sx) => m.box([sx * 0.66 - 0.03, -0.4, 2.0], [sx * 0.66 + 0.03, 1.9, 2.07])); // roof rails
  b.mirrorX((m, sx) => m.cbox([sx * 1.04, -1.05, 1.35], [0.16, 0.06, 0.1]));
  b.cylinder([0, 2.12, 1.0], [0, 2.3, 1.0], 0.36, 0.36, 16); // spare wheel
  wheels(b, -1.3, 1.3, 0.42, 0.96, 0.28);
  return b.build();
}

function pickup(): Mesh {
  // Long and lifted, with a tall cab at the front and an open load bed behind it.
  const b = new MeshBuilder();
  const hw = 0.98, lift = 0.2;
  b.prismX([[-2.85, 0.5 + lift], [-2.9, 0.95 + lift], [-2.7, 1.2 + lift], [-1.4, 1.28 + lift], [-0.3, 1.28 + lift], [-0.3, 0.45 + lift], [-2.6, 0.42 + lift]], -hw, hw);
  b.hexa([
    [-0.92, -1.45, 1.22 + lift], [0.92, -1.45, 1.22 + lift], [-0.92, -0.3, 1.22 + lift], [0.92, -0.3, 1.22 + lift],
    [-0.84, -0.95, 2.1 + lift], [0.84, -0.95, 2.1 + lift], [-0.84, -0.35, 2.1 + lift], [0.84, -0.35, 2.1 + lift],
  ]);
  // Open bed: floor, two sides, front wall and tailgate.
  b.box([-hw, -0.25, 0.5 + lift], [hw, 2.75, 0.75 + lift]);
  b.mirrorX((m, sx) => m.box([sx > 0 ? hw - 0.08 : -hw, -0.25, 0.75 + lift], [sx > 0 ? hw : -hw + 0.08, 2.75, 1.2 + lift]));
  b.box([-hw + 0.08, 2.67, 0.75 + lift], [hw - 0.08, 2.75, 1.2 + lift]);
  b.box([-hw + 0.08, -0.25, 0.75 + lift], [hw - 0.08, -0.17, 1.2 + lift]);
  b.box([-hw - 0.02, 2.75, 0.45 + lift], [hw + 0.02, 2.87, 0.6 + lift]); // rear bumper
  b.mirrorX((m, sx) => m.cbox([sx * 1.06, -1.35, 1.4 + lift], [0.16, 0.06, 0.12]));
  wheels(b, -1.95, 1.95, 0.5, 0.99, 0.32);
  return b.build();
}

// ---------------------------------------------------------------------------------------------
// TVs and monitors (screen facing -y).

/** A screen panel with a raised bezel: width w, height h, bottom at z0, front face at y = 0. */
function bezelPanel(b: MeshBuilder, w: number, h: number, z0: number, depth: number, bezel: number): void {
  const x0 = -w / 2, x1 = w / 2, z1 = z0 + h;
  b.box([x0 + bezel, 0.01, z0 + bezel], [x1 - bezel, depth, z1 - bezel]); // recessed screen
  b.box([x0, 0, z0], [x1, depth, z0 + bezel]);
  b.box([x0, 0, z1 - bezel], [x1, depth, z1]);
  b.box([x0, 0, z0 + bezel], [x0 + bezel, depth, z1 - bezel]);
  b.box([x1 - bezel, 0, z0 + bezel], [x1, depth, z1 - bezel]);
}

function flatTv(): Mesh {
  const b = new MeshBuilder();
  bezelPanel(b, 1.22, 0.7, 0.16, 0.05, 0.025);
  b.taperY(0.05, 0.11, [-0.4, 0.4, 0.26, 0.72], [-0.3, 0.3, 0.32, 0.62]); // electronics bulge
  b.box([-0.05, 0.06, 0.03], [0.05, 0.1, 0.3]); // neck
  b.taperZ(0, 0.03, [-0.3, 0.3, -0.1, 0.22], [-0.28, 0.28, -0.08, 0.2]); // base plate
  return b.build();
}

function crt(): Mesh {
  const b = new MeshBuilder();
  b.box([-0.3, 0, 0.06], [0.3, 0.1, 0.54]); // front case
  b.box([-0.24, -0.02, 0.11], [0.24, 0.0, 0.46]); // bulging glass
  b.taperY(0.1, 0.5, [-0.29, 0.29, 0.07, 0.53], [-0.15, 0.15, 0.16, 0.44]); // tube housing
  b.box([-0.2, 0.05, 0], [0.2, 0.35, 0.06]); // foot
  for (const x of [-0.2, -0.14]) b.box([x, -0.005, 0.075], [x + 0.04, 0.0, 0.095]); // buttons
  return b.build();
}

function deskMonitor(): Mesh {
  const b = new MeshBuilder();
  bezelPanel(b, 0.56, 0.42, 0.24, 0.04, 0.035);
  b.box([-0.12, 0.04, 0.34], [0.12, 0.07, 0.55]); // VESA block
  b.cylinder([0, 0.12, 0.01], [0, 0.12, 0.48], 0.025, 0.02, 12); // tall neck
  b.box([-0.02, 0.06, 0.42], [0.02, 0.13, 0.46]);
  b.cylinder([0, 0.1, 0], [0, 0.1, 0.02], 0.14, 0.13, 24); // round foot
  return b.build();
}

function wallPanel(): Mesh {
  const b = new MeshBuilder();
  bezelPanel(b, 1.4, 0.6, 0, 0.025, 0.012);
  b.box([-0.25, 0.025, 0.15], [0.25, 0.06, 0.45]); // wall bracket
  b.box([-0.1, -0.006, -0.03], [0.1, 0.03, 0.0]); // sound bar lip
  return b.build();
}

let cache: DemoCategory[] | undefined;

/** All demo CAD models: categories in a fixed order, subtypes numbered from 1. Built once, then shared. */
export function demoCategories(): DemoCategory[] {
  cache ??= [
    {
      category: 'chair',
      subtypes: [
        { subtype: 1, name: 'four-leg chair with slatted back', mesh: fourLegChair() },
        { subtype: 2, name: 'upholstered armchair', mesh: armchair() },
        { subtype: 3, name: 'bar stool with low back', mesh: barStool() },
        { subtype: 4, name: 'office swivel chair', mesh: officeChair() },
      ],
    },
    {
      category: 'car',
      subtypes: [
        { subtype: 1, name: 'sedan', mesh: sedan() },
        { subtype: 2, name: 'SUV', mesh: suv() },
        { subtype: 3, name: 'pickup truck', mesh: pickup() },
      ],
    },
    {
      category: 'tvmonitor',
      subtypes: [
        { subtype: 1, name: 'flat TV on a stand', mesh: flatTv() },
        { subtype: 2, name: 'CRT television', mesh: crt() },
        { subtype: 3, name: 'desktop monitor', mesh: deskMonitor() },
        { subtype: 4, name: 'wall-mounted panel', mesh: wallPanel() },
      ],
    },
  ];
  return cache;
}
