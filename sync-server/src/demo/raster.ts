// A small deterministic software renderer for the demo photos: procedural backgrounds, z-buffered
// flat-shaded triangles and JPEG output. Vertex positions come from the app's own `projectPoints`,
// so a photo drawn at a pose is exactly what the annotation tool's overlay shows at that pose.
//
// Image coordinates are continuous with x right, y down and pixel (i, j) covering [i, i+1) x [j, j+1);
// every pixel (or sub-pixel when supersampling) is sampled at its centre.
import { cameraCentre, poseRotation, projectPoints, type PoseInput } from '@in3d/shared/camera';
import { deg, toRadians } from '@in3d/shared/units';
import { encodeJpegRgba } from './jpeg';
import type { Mesh, V3 } from './meshes';

export type Rgb = readonly [number, number, number];
export type Rng = () => number;

/** mulberry32: a tiny seeded PRNG with uniform output in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer hash of a lattice point to [0, 1). */
export function hash2(x: number, y: number, seed: number): number {
  let h = Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1) ^ Math.imul(seed | 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Smooth value noise in [0, 1) with unit lattice spacing. */
export function valueNoise(x: number, y: number, seed: number): number {
  const xi = Math.floor(x), yi = Math.floor(y);
  let fx = x - xi, fy = y - yi;
  fx = fx * fx * (3 - 2 * fx);
  fy = fy * fy * (3 - 2 * fy);
  const a = hash2(xi, yi, seed), b = hash2(xi + 1, yi, seed), c = hash2(xi, yi + 1, seed), d = hash2(xi + 1, yi + 1, seed);
  return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
}

/** Fractal sum of value noise, normalised to [0, 1). */
export function fbm(x: number, y: number, seed: number, octaves = 4): number {
  let sum = 0, amp = 1, total = 0, f = 1;
  for (let o = 0; o < octaves; o++) {
    sum += amp * valueNoise(x * f, y * f, seed + o * 101);
    total += amp;
    amp *= 0.5;
    f *= 2.03;
  }
  return sum / total;
}

/** An RGB image with float channels in 0..255, row-major, 3 values per pixel. */
export class RgbImage {
  readonly data: Float32Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Float32Array(width * height * 3);
  }
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

// ---------------------------------------------------------------------------------------------
// Geometry shared by the renderer and the masks.

interface CameraFrame {
  /** Object → camera rotation, row-major, roll included. */
  r: Float64Array;
  /** Camera centre in object space. */
  c: [number, number, number];
}

function cameraFrame(pose: PoseInput): CameraFrame {
  return { r: poseRotation(pose), c: cameraCentre(toRadians(deg(pose.azimuth)), toRadians(deg(pose.elevation)), pose.distance) };
}

/** Camera-space depth (distance along the viewing axis) of each vertex. */
export function vertexDepths(positions: ArrayLike<number>, pose: PoseInput): Float64Array {
  const { r, c } = cameraFrame(pose);
  const n = Math.floor(positions.length / 3);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    out[i] = -(r[6]! * (positions[3 * i]! - c[0]) + r[7]! * (positions[3 * i + 1]! - c[1]) + r[8]! * (positions[3 * i + 2]! - c[2]));
  return out;
}

/**
 * Bounding box [x1, y1, x2, y2] of the projected mesh vertices, clipped to the image as the original
 * tool does (x in [0, width - 1], y in [0, height - 1]). Null if the object is entirely off the image.
 */
export function projectedBBox(mesh: Mesh, pose: PoseInput, viewport: number, width: number, height: number): [number, number, number, number] | null {
  const b = projectedExtent(mesh, pose, viewport);
  const x1 = Math.max(0, b[0]), y1 = Math.max(0, b[1]), x2 = Math.min(width - 1, b[2]), y2 = Math.min(height - 1, b[3]);
  return x1 < x2 && y1 < y2 ? [x1, y1, x2, y2] : null;
}

/** Unclipped [minX, minY, maxX, maxY] of the projected vertices. */
export function projectedExtent(mesh: Mesh, pose: PoseInput, viewport: number): [number, number, number, number] {
  const p = projectPoints(mesh.positions, pose, viewport);
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (let i = 0; i < p.length; i += 2) {
    const x = p[i]!, y = p[i + 1]!;
    if (x < x1) x1 = x;
    if (x > x2) x2 = x;
    if (y < y1) y1 = y;
    if (y > y2) y2 = y;
  }
  return [x1, y1, x2, y2];
}

/**
 * Called for each row of a triangle with the covered run of samples: `index` of the first sample,
 * `count` samples, the barycentric weights b0, b1 of the first one and their steps per sample.
 */
type Span = (index: number, count: number, b0: number, b1: number, db0: number, db1: number) => void;

/**
 * Scan-converts one screen triangle into a `width` x `height` sample grid (sample (i, j) centred at
 * (i + 0.5, j + 0.5)), one span per row of covered sample centres. Works for either winding.
 */
function fillTriangle(width: number, height: number, x0: number, y0: number, x1: number, y1: number, x2: number, y2: number, span: Span): void {
  const area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  if (!(Math.abs(area) > 1e-12)) return;
  const minX = Math.max(0, Math.floor(Math.min(x0, x1, x2) - 0.5));
  const maxX = Math.min(width - 1, Math.ceil(Math.max(x0, x1, x2) - 0.5));
  const minY = Math.max(0, Math.floor(Math.min(y0, y1, y2) - 0.5));
  const maxY = Math.min(height - 1, Math.ceil(Math.max(y0, y1, y2) - 0.5));
  if (minX > maxX || minY > maxY) return;
  const inv = 1 / area;
  // Barycentric weights are affine in (x, y): b = c + ax * x + ay * y.
  const a0x = (y1 - y2) * inv, a0y = (x2 - x1) * inv, a0c = (x1 * y2 - x2 * y1) * inv;
  const a1x = (y2 - y0) * inv, a1y = (x0 - x2) * inv, a1c = (x2 * y0 - x0 * y2) * inv;
  const a2x = -a0x - a1x, a2y = -a0y - a1y, a2c = 1 - a0c - a1c;
  const eps = -1e-9;
  for (let j = minY; j <= maxY; j++) {
    const sy = j + 0.5;
    const c0 = a0c + a0y * sy, c1 = a1c + a1y * sy, c2 = a2c + a2y * sy;
    // Each weight c + ax * x >= eps bounds x on one side.
    let lo = minX + 0.5, hi = maxX + 0.5;
    if (a0x > 0) lo = Math.max(lo, (eps - c0) / a0x);
    else if (a0x < 0) hi = Math.min(hi, (eps - c0) / a0x);
    else if (c0 < eps) continue;
    if (a1x > 0) lo = Math.max(lo, (eps - c1) / a1x);
    else if (a1x < 0) hi = Math.min(hi, (eps - c1) / a1x);
    else if (c1 < eps) continue;
    if (a2x > 0) lo = Math.max(lo, (eps - c2) / a2x);
    else if (a2x < 0) hi = Math.min(hi, (eps - c2) / a2x);
    else if (c2 < eps) continue;
    const i0 = Math.ceil(lo - 0.5), i1 = Math.floor(hi - 0.5);
    if (i1 < i0) continue;
    const sx = i0 + 0.5;
    span(j * width + i0, i1 - i0 + 1, c0 + a0x * sx, c1 + a1x * sx, a0x, a1x);
  }
}

/**
 * Silhouette of a mesh at a pose: 1 where a pixel centre is covered by any triangle. `scale`
 * supersamples (the mask is then width*scale x height*scale).
 */
export function silhouetteMask(mesh: Mesh, pose: PoseInput, viewport: number, width: number, height: number, scale = 1): Uint8Array {
  const w = width * scale, h = height * scale;
  const mask = new Uint8Array(w * h);
  const p = projectPoints(mesh.positions, pose, viewport);
  for (let i = 0; i < p.length; i++) p[i] = p[i]! * scale;
  const t = mesh.triangles;
  const span: Span = (k, n) => {
    mask.fill(1, k, k + n);
  };
  for (let f = 0; f < t.length; f += 3) {
    const a = t[f]!, b = t[f + 1]!, c = t[f + 2]!;
    fillTriangle(w, h, p[2 * a]!, p[2 * a + 1]!, p[2 * b]!, p[2 * b + 1]!, p[2 * c]!, p[2 * c + 1]!, span);
  }
  return mask;
}

// ---------------------------------------------------------------------------------------------
// Shaded objects.

export interface SceneObject {
  mesh: Mesh;
  pose: PoseInput;
  viewport: number;
  /** Base colour, 0..255 per channel. */
  color: Rgb;
  /** Key light direction relative to the camera: azimuth offset from the camera's and elevation, degrees. */
  light: { azimuth: number; elevation: number };
}

const AMBIENT = 0.28, KEY = 0.62, FILL = 0.3;

/** Unit vector toward the key light in the object frame. */
export function keyLightDirection(o: Pick<SceneObject, 'pose' | 'light'>): V3 {
  const az = toRadians(deg(o.pose.azimuth + o.light.azimuth)), el = toRadians(deg(o.light.elevation));
  const c = cameraCentre(az, el, 1);
  return [c[0], c[1], c[2]];
}

/**
 * Depth and colour buffers at supersampled resolution over a pixel region of the image
 * ([x0, x1) x [y0, y1)), so a small object does not pay for the whole photo.
 */
export class FrameBuffer {
  readonly w: number;
  readonly h: number;
  /** 1 / depth of the nearest surface per sample; 0 = nothing drawn. */
  readonly invDepth: Float32Array;
  readonly rgb: Float32Array;
  constructor(
    readonly scale: number,
    readonly x0: number,
    readonly y0: number,
    readonly x1: number,
    readonly y1: number,
  ) {
    this.w = (x1 - x0) * scale;
    this.h = (y1 - y0) * scale;
    this.invDepth = new Float32Array(this.w * this.h);
    this.rgb = new Float32Array(this.w * this.h * 3);
  }

  /** Draws a flat-shaded mesh with back-face culling and a z-buffer on camera-space depth. */
  draw(o: SceneObject): void {
    const { mesh, pose, viewport, color } = o;
    const pos = mesh.positions, tri = mesh.triangles;
    const p = projectPoints(pos, pose, viewport);
    const s = this.scale, ox = this.x0 * s, oy = this.y0 * s;
    for (let i = 0; i < p.length; i += 2) {
      p[i] = p[i]! * s - ox;
      p[i + 1] = p[i + 1]! * s - oy;
    }
    const depth = vertexDepths(pos, pose);
    const { c } = cameraFrame(pose);
    const L = keyLightDirection(o);
    const inv = this.invDepth, rgb = this.rgb;
    let cr = 0, cg = 0, cb = 0, i0 = 0, i1 = 0, i2 = 0;
    const span: Span = (k, n, b0, b1, db0, db1) => {
      // 1/depth is affine in screen space: z = i2 + b0 (i0 - i2) + b1 (i1 - i2).
      let z = i2 + b0 * (i0 - i2) + b1 * (i1 - i2);
      const dz = db0 * (i0 - i2) + db1 * (i1 - i2);
      for (let e = k + n; k < e; k++, z += dz) {
        if (z > inv[k]!) {
          inv[k] = z;
          rgb[3 * k] = cr;
          rgb[3 * k + 1] = cg;
          rgb[3 * k + 2] = cb;
        }
      }
    };
    for (let f = 0; f < tri.length; f += 3) {
      const a = tri[f]!, b = tri[f + 1]!, d = tri[f + 2]!;
      const da = depth[a]!, db = depth[b]!, dd = depth[d]!;
      if (!(da > 0 && db > 0 && dd > 0)) continue;
      const ax = pos[3 * a]!, ay = pos[3 * a + 1]!, az = pos[3 * a + 2]!;
      const ux = pos[3 * b]! - ax, uy = pos[3 * b + 1]! - ay, uz = pos[3 * b + 2]! - az;
      const vx = pos[3 * d]! - ax, vy = pos[3 * d + 1]! - ay, vz = pos[3 * d + 2]! - az;
      let nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
      const nl = Math.hypot(nx, ny, nz);
      if (!(nl > 0)) continue;
      nx /= nl;
      ny /= nl;
      nz /= nl;
      const ex = c[0] - ax, ey = c[1] - ay, ez = c[2] - az;
      const facing = nx * ex + ny * ey + nz * ez;
      if (facing <= 0) continue; // back face of a closed solid
      const view = facing / Math.hypot(ex, ey, ez);
      const lambert = Math.max(0, nx * L[0] + ny * L[1] + nz * L[2]);
      const shade = AMBIENT + KEY * lambert + FILL * view;
      cr = Math.min(255, color[0] * shade);
      cg = Math.min(255, color[1] * shade);
      cb = Math.min(255, color[2] * shade);
      i0 = 1 / da;
      i1 = 1 / db;
      i2 = 1 / dd;
      fillTriangle(this.w, this.h, p[2 * a]!, p[2 * a + 1]!, p[2 * b]!, p[2 * b + 1]!, p[2 * d]!, p[2 * d + 1]!, span);
    }
  }

  /** Averages the samples over `img`: uncovered samples take the image's own pixel. */
  compositeOnto(img: RgbImage): void {
    const s = this.scale, w = this.w, n = s * s, out = img.data;
    for (let y = this.y0; y < this.y1; y++)
      for (let x = this.x0; x < this.x1; x++) {
        let r = 0, g = 0, b = 0, k = 0;
        const base = (y - this.y0) * s * w + (x - this.x0) * s;
        for (let sy = 0; sy < s; sy++)
          for (let sx = 0; sx < s; sx++) {
            const q = base + sy * w + sx;
            if (this.invDepth[q]! > 0) {
              r += this.rgb[3 * q]!;
              g += this.rgb[3 * q + 1]!;
              b += this.rgb[3 * q + 2]!;
              k++;
            }
          }
        if (k === 0) continue;
        const o = 3 * (y * img.width + x), rest = (n - k) / n;
        out[o] = r / n + out[o]! * rest;
        out[o + 1] = g / n + out[o + 1]! * rest;
        out[o + 2] = b / n + out[o + 2]! * rest;
      }
  }
}

/** Draws the objects over the image with `supersample`² samples per pixel. */
export function drawObjects(img: RgbImage, objects: readonly SceneObject[], supersample = 2): void {
  let x0 = img.width, y0 = img.height, x1 = 0, y1 = 0;
  for (const o of objects) {
    const e = projectedExtent(o.mesh, o.pose, o.viewport);
    x0 = Math.min(x0, Math.floor(e[0]) - 1);
    y0 = Math.min(y0, Math.floor(e[1]) - 1);
    x1 = Math.max(x1, Math.ceil(e[2]) + 1);
    y1 = Math.max(y1, Math.ceil(e[3]) + 1);
  }
  x0 = Math.max(0, x0);
  y0 = Math.max(0, y0);
  x1 = Math.min(img.width, x1);
  y1 = Math.min(img.height, y1);
  if (x1 <= x0 || y1 <= y0) return;
  const fb = new FrameBuffer(supersample, x0, y0, x1, y1);
  for (const o of objects) fb.draw(o);
  fb.compositeOnto(img);
}

// ---------------------------------------------------------------------------------------------
// Backgrounds.

export type BackgroundKind = 'studio' | 'room' | 'outdoor' | 'texture' | 'clutter' | 'stripes';

export interface BackgroundSpec {
  kind: BackgroundKind;
  seed: number;
  /** The main colours of the background; the object colour is chosen to stand out from all of them. */
  palette: Rgb[];
  /** For floor kinds: floor pattern. */
  floor?: 'checker' | 'planks' | 'carpet' | 'asphalt' | 'grass';
  /** Pattern scale: tile size in object units for floors, period in pixels for stripes. */
  scale?: number;
  /** Stripe angle in degrees. */
  angle?: number;
  /** Wall yaw relative to facing the camera (degrees) and distance behind the object (object units). */
  wall?: { yaw: number; distance: number } | null;
}

/** The scene geometry the floor and wall kinds are drawn in (the first object's camera). */
export interface GroundCamera {
  pose: PoseInput;
  viewport: number;
  /** Height of the floor in the object frame (the mesh's lowest z). */
  floorZ: number;
}

/** Whether a floor can be drawn for this camera: the camera must be above the floor plane. */
export function canDrawFloor(g: GroundCamera): boolean {
  const c = cameraCentre(toRadians(deg(g.pose.azimuth)), toRadians(deg(g.pose.elevation)), g.pose.distance);
  return c[2] > g.floorZ + 0.15;
}

export function paintBackground(img: RgbImage, spec: BackgroundSpec, ground: GroundCamera | null): void {
  switch (spec.kind) {
    case 'studio':
      return paintStudio(img, spec);
    case 'texture':
      return paintTexture(img, spec);
    case 'stripes':
      return paintStripes(img, spec);
    case 'clutter':
      return paintClutter(img, spec);
    case 'room':
    case 'outdoor':
      if (ground && canDrawFloor(ground)) return paintScene(img, spec, ground);
      return paintStudio(img, spec);
  }
}

// Per-pixel painters write through these helpers instead of allocating a colour per pixel.
function putMix(d: Float32Array, o: number, a: Rgb, b: Rgb, t: number, k: number): void {
  d[o] = (a[0] + (b[0] - a[0]) * t) * k;
  d[o + 1] = (a[1] + (b[1] - a[1]) * t) * k;
  d[o + 2] = (a[2] + (b[2] - a[2]) * t) * k;
}

/** Scratch colour for the floor and wall shaders. */
const tmp = new Float64Array(3);
function setMix(a: Rgb, b: Rgb, t: number, k = 1): void {
  tmp[0] = (a[0] + (b[0] - a[0]) * t) * k;
  tmp[1] = (a[1] + (b[1] - a[1]) * t) * k;
  tmp[2] = (a[2] + (b[2] - a[2]) * t) * k;
}
function blendTmp(c: Rgb, t: number): void {
  tmp[0] = tmp[0]! + (c[0] - tmp[0]!) * t;
  tmp[1] = tmp[1]! + (c[1] - tmp[1]!) * t;
  tmp[2] = tmp[2]! + (c[2] - tmp[2]!) * t;
}

/** A smooth field evaluated on a coarse grid and interpolated bilinearly: cheap low-frequency noise. */
function coarseField(w: number, h: number, step: number, fn: (x: number, y: number) => number): Float32Array {
  const gw = Math.ceil(w / step) + 2, gh = Math.ceil(h / step) + 2;
  const grid = new Float32Array(gw * gh);
  for (let j = 0; j < gh; j++) for (let i = 0; i < gw; i++) grid[j * gw + i] = fn(i * step, j * step);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const gy = y / step, j = Math.floor(gy), fy = gy - j;
    for (let x = 0; x < w; x++) {
      const gx = x / step, i = Math.floor(gx), fx = gx - i;
      const a = grid[j * gw + i]!, b = grid[j * gw + i + 1]!, c = grid[(j + 1) * gw + i]!, d = grid[(j + 1) * gw + i + 1]!;
      out[y * w + x] = a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
    }
  }
  return out;
}

/** Vertical gradient with a soft radial light spot, like a photo studio backdrop. */
function paintStudio(img: RgbImage, spec: BackgroundSpec): void {
  const top = spec.palette[0]!, bottom = spec.palette[1] ?? top;
  const r = mulberry32(spec.seed);
  const lx = (0.2 + 0.6 * r()) * img.width, ly = (0.1 + 0.4 * r()) * img.height, rad = Math.max(img.width, img.height) * (0.6 + 0.5 * r());
  const diag = (r() - 0.5) * 0.6;
  const noise = coarseField(img.width, img.height, 6, (x, y) => fbm(x / 90, y / 90, spec.seed, 3));
  const d = img.data;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const i = y * img.width + x;
      const t = clamp01(y / img.height + diag * (x / img.width - 0.5));
      const spot = 1 + 0.18 * Math.max(0, 1 - Math.hypot(x - lx, y - ly) / rad);
      putMix(d, 3 * i, top, bottom, t, spot * (0.94 + 0.12 * noise[i]!));
    }
}

/** Two-colour fractal noise: carpet, fabric, stone. */
function paintTexture(img: RgbImage, spec: BackgroundSpec): void {
  const a = spec.palette[0]!, b = spec.palette[1] ?? a;
  const sc = spec.scale ?? 60;
  const d = img.data;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const n = fbm(x / sc, y / sc, spec.seed, 4);
      putMix(d, 3 * (y * img.width + x), a, b, clamp01((n - 0.3) * 2.5), hash2(x, y, spec.seed ^ 0x5bd1) * 0.12 + 0.94);
    }
}

/** Soft stripes at an angle (wallpaper, blinds, fabric). */
function paintStripes(img: RgbImage, spec: BackgroundSpec): void {
  const a = spec.palette[0]!, b = spec.palette[1] ?? a;
  const period = spec.scale ?? 40, ang = toRadians(deg(spec.angle ?? 0));
  const cx = Math.cos(ang), sy = Math.sin(ang);
  const noise = coarseField(img.width, img.height, 8, (x, y) => fbm(x / 120, y / 120, spec.seed, 2));
  const d = img.data;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const i = y * img.width + x;
      const u = (x * cx + y * sy) / period;
      const t = clamp01(0.5 + 1.6 * Math.sin(2 * Math.PI * u));
      putMix(d, 3 * i, a, b, t, 0.88 + 0.2 * (1 - y / img.height) + 0.06 * (noise[i]! - 0.5));
    }
}

/** A blurred gradient with random soft-edged shapes in muted colours, like an out-of-focus room. */
function paintClutter(img: RgbImage, spec: BackgroundSpec): void {
  paintStudio(img, { ...spec, palette: [spec.palette[0]!, spec.palette[1] ?? spec.palette[0]!] });
  const r = mulberry32(spec.seed ^ 0x1234567);
  const count = 7 + Math.floor(r() * 8);
  const size = Math.max(img.width, img.height);
  const d = img.data;
  for (let s = 0; s < count; s++) {
    const base = spec.palette[Math.floor(r() * spec.palette.length)]!;
    const other = spec.palette[Math.floor(r() * spec.palette.length)]!;
    const col = mix(base, other, r() * 0.5);
    const k = 0.75 + 0.4 * r();
    const c0 = col[0] * k, c1 = col[1] * k, c2 = col[2] * k;
    const cx = r() * img.width, cy = r() * img.height;
    const rx = size * (0.04 + 0.18 * r()), ry = size * (0.04 + 0.18 * r());
    const rot = r() * Math.PI, cr = Math.cos(rot), sr = Math.sin(rot);
    const round = r() < 0.45;
    const soft = 2 + r() * 6;
    const alpha = 0.55 + 0.4 * r();
    const ext = Math.max(rx, ry) + soft;
    for (let y = Math.max(0, Math.floor(cy - ext)); y < Math.min(img.height, Math.ceil(cy + ext)); y++)
      for (let x = Math.max(0, Math.floor(cx - ext)); x < Math.min(img.width, Math.ceil(cx + ext)); x++) {
        const dx = x + 0.5 - cx, dy = y + 0.5 - cy;
        const u = dx * cr + dy * sr, v = -dx * sr + dy * cr;
        // Signed distance (approximate for ellipses), negative inside.
        const dist = round ? (Math.hypot(u / rx, v / ry) - 1) * Math.min(rx, ry) : Math.max(Math.abs(u) - rx, Math.abs(v) - ry);
        const cov = clamp01(0.5 - dist / soft) * alpha;
        if (cov <= 0) continue;
        const o = 3 * (y * img.width + x);
        const grad = (1.08 - 0.16 * clamp01((v + ry) / (2 * ry))) * cov;
        d[o] = d[o]! * (1 - cov) + c0 * grad;
        d[o + 1] = d[o + 1]! * (1 - cov) + c1 * grad;
        d[o + 2] = d[o + 2]! * (1 - cov) + c2 * grad;
      }
  }
}

const BLACK: Rgb = [0, 0, 0], WHITE: Rgb = [255, 255, 255], TREES: Rgb = [40, 60, 45], PAINT: Rgb = [225, 222, 205];

/**
 * A floor (and optionally a back wall, or a sky with a distant skyline outdoors) ray-cast through the
 * same camera as the object, so the object stands on the floor in correct perspective.
 */
function paintScene(img: RgbImage, spec: BackgroundSpec, g: GroundCamera): void {
  const { r, c } = cameraFrame(g.pose);
  const f = g.viewport, ppx = g.pose.px, ppy = g.pose.py;
  const floorA = spec.palette[0]!, floorB = spec.palette[1] ?? floorA, upper = spec.palette[2] ?? floorB;
  const upper2 = spec.palette[3] ?? upper;
  const tile = spec.scale ?? 0.4;
  const seed = spec.seed;
  const outdoor = spec.kind === 'outdoor';
  const floorKind = spec.floor ?? 'checker';
  // Back wall: vertical plane n·p = -D with n horizontal, toward the camera, yawed.
  const camAz = Math.atan2(c[0], -c[1]);
  const wall = outdoor ? null : spec.wall ?? null;
  const yaw = wall ? camAz + toRadians(deg(wall.yaw)) : 0;
  const wn0 = Math.sin(yaw), wn1 = -Math.cos(yaw);
  const wt0 = -wn1, wt1 = wn0; // along the wall
  const wallD = wall?.distance ?? 0;
  const haze: Rgb = mix(floorA, upper, 0.5);
  const d = img.data;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      // Ray direction in camera space, then in the object frame (Rᵀ d).
      const dxc = (x + 0.5 - ppx) / f, dyc = (ppy - (y + 0.5)) / f;
      const dx = r[0]! * dxc + r[3]! * dyc - r[6]!;
      const dy = r[1]! * dxc + r[4]! * dyc - r[7]!;
      const dz = r[2]! * dxc + r[5]! * dyc - r[8]!;
      const tFloor = dz < 0 ? (g.floorZ - c[2]) / dz : Infinity;
      const dn = wall ? wn0 * dx + wn1 * dy : 0;
      const tWall = wall && dn < 0 ? (-wallD - (wn0 * c[0] + wn1 * c[1])) / dn : Infinity;
      const dl2 = dx * dx + dy * dy + dz * dz;
      if (tFloor < tWall && tFloor > 0) {
        const hx = c[0] + tFloor * dx, hy = c[1] + tFloor * dy;
        // Size of a pixel's footprint on the floor: fades patterns out before they alias.
        const foot = (tFloor * dl2) / (f * Math.abs(dz));
        floorColour(floorKind, hx, hy, tile, foot, floorA, floorB, seed);
        if (outdoor) blendTmp(haze, clamp01((tFloor - 8) / 60));
      } else if (tWall < Infinity) {
        const hx = c[0] + tWall * dx, hy = c[1] + tWall * dy, hz = c[2] + tWall * dz;
        const along = wt0 * hx + wt1 * hy, up = hz - g.floorZ;
        if (up < 0.07) setMix(upper2, BLACK, 0.25); // skirting board
        else {
          const stripe = 0.5 + 0.5 * Math.sin((2 * Math.PI * along) / (tile * 0.9));
          const foot = (tWall * dl2) / (f * Math.max(0.05, Math.abs(dn)));
          const fade = clamp01(1 - foot / (tile * 0.3));
          const n = fbm(along * 3, up * 3, seed, 2);
          setMix(upper, upper2, 0.5 + (stripe - 0.5) * 0.5 * fade + (n - 0.5) * 0.3, 1.05 - 0.12 * clamp01(up / 3));
        }
      } else {
        // Sky (outdoor) or a dim far wall: gradient by the ray's elevation.
        const elev = dz / Math.sqrt(dl2);
        if (outdoor) {
          const rayAz = Math.atan2(dy, dx);
          const skyline = 0.015 + 0.06 * fbm(rayAz * 9, 0.5, seed ^ 77, 3) ** 2;
          if (elev < skyline) setMix(upper2, TREES, 0.4 + 0.3 * fbm(rayAz * 40, elev * 40, seed ^ 99, 2));
          else setMix(upper, WHITE, clamp01(0.5 - elev * 2.5) * 0.6);
        } else setMix(upper, upper2, clamp01(elev * 3));
      }
      const o = 3 * (y * img.width + x);
      d[o] = tmp[0]!;
      d[o + 1] = tmp[1]!;
      d[o + 2] = tmp[2]!;
    }
}

/** Floor pattern at floor point (x, y) into `tmp`; `foot` is the pixel footprint, for antialiasing. */
function floorColour(kind: NonNullable<BackgroundSpec['floor']>, x: number, y: number, tile: number, foot: number, a: Rgb, b: Rgb, seed: number): void {
  const fade = clamp01(1.5 - foot / (tile * 0.25));
  switch (kind) {
    case 'checker': {
      const u = x / tile, v = y / tile;
      const odd = (Math.floor(u) + Math.floor(v)) & 1;
      // Grout lines between tiles.
      const gu = Math.abs(u - Math.round(u)), gv = Math.abs(v - Math.round(v));
      const grout = Math.min(gu, gv) < 0.03 ? 0.8 : 1;
      return setMix(a, b, 0.5 + (odd - 0.5) * fade, 1 + (grout - 1) * fade);
    }
    case 'planks': {
      const w = tile * 0.35;
      const row = Math.floor(x / w);
      const offset = hash2(row, 0, seed) * 3;
      const plank = Math.floor(y / (tile * 3) + offset);
      const tone = hash2(row, plank, seed);
      const grain = fbm(x * 40, y * 3, seed, 2);
      const edge = Math.abs(x / w - Math.round(x / w)) < 0.04 ? 0.75 : 1;
      return setMix(a, b, 0.5 + ((tone - 0.5) * 0.8 + (grain - 0.5) * 0.6) * fade, 1 + (edge - 1) * fade);
    }
    case 'carpet':
    case 'grass': {
      const n = fbm(x / tile, y / tile, seed, 3);
      const fine = hash2(Math.floor(x * 200), Math.floor(y * 200), seed);
      return setMix(a, b, clamp01(0.5 + (n - 0.5) * 1.6 + (fine - 0.5) * 0.3 * fade));
    }
    case 'asphalt': {
      const n = fbm(x * 1.5, y * 1.5, seed, 3);
      const fine = hash2(Math.floor(x * 60), Math.floor(y * 60), seed ^ 0x77);
      setMix(a, b, clamp01(0.5 + (n - 0.5) * 0.6 + (fine - 0.5) * 0.5 * fade));
      // A dashed painted line across the object frame's y axis at a seeded offset.
      const lineX = (hash2(1, 2, seed) - 0.5) * 3;
      if (Math.abs(x - lineX) < 0.02 && Math.floor(y / 1.2) % 2 === 0) blendTmp(PAINT, 0.75 * fade + 0.15);
      return;
    }
  }
}

/**
 * Darkens the floor under an object: a soft contact shadow straight below and a cast shadow along
 * the key light, both projected onto the floor plane and drawn with the object's own camera.
 */
export function drawShadow(img: RgbImage, o: SceneObject, floorZ: number): void {
  const L = keyLightDirection(o);
  const pos = o.mesh.positions;
  const n = pos.length / 3;
  const cast = new Float32Array(pos.length), below = new Float32Array(pos.length);
  const lz = Math.max(0.35, L[2]);
  for (let i = 0; i < n; i++) {
    const x = pos[3 * i]!, y = pos[3 * i + 1]!, h = pos[3 * i + 2]! - floorZ;
    cast[3 * i] = x - (L[0] * h) / lz;
    cast[3 * i + 1] = y - (L[1] * h) / lz;
    cast[3 * i + 2] = floorZ;
    below[3 * i] = x;
    below[3 * i + 1] = y;
    below[3 * i + 2] = floorZ;
  }
  const w = img.width, h = img.height;
  const m1 = silhouetteMask({ positions: cast, triangles: o.mesh.triangles }, o.pose, o.viewport, w, h);
  const m2 = silhouetteMask({ positions: below, triangles: o.mesh.triangles }, o.pose, o.viewport, w, h);
  const shade = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) shade[i] = 0.32 * m1[i]! + 0.3 * m2[i]!;
  const radius = Math.max(2, Math.round(Math.min(w, h) / 90));
  boxBlur(shade, w, h, radius);
  boxBlur(shade, w, h, radius);
  for (let i = 0; i < w * h; i++) {
    const k = 1 - Math.min(0.55, shade[i]!);
    img.data[3 * i] = img.data[3 * i]! * k;
    img.data[3 * i + 1] = img.data[3 * i + 1]! * k;
    img.data[3 * i + 2] = img.data[3 * i + 2]! * k;
  }
}

/** Box blur of radius r (edges clamped), as running sums along rows, then columns. */
function boxBlur(a: Float32Array, w: number, h: number, r: number): void {
  const tmpLine = new Float32Array(Math.max(w, h));
  const norm = 1 / (2 * r + 1);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let s = 0;
    for (let k = -r; k <= r; k++) s += a[row + Math.min(w - 1, Math.max(0, k))]!;
    for (let i = 0; i < w; i++) {
      tmpLine[i] = s * norm;
      s += a[row + Math.min(w - 1, i + r + 1)]! - a[row + Math.max(0, i - r)]!;
    }
    a.set(tmpLine.subarray(0, w), row);
  }
  for (let x = 0; x < w; x++) {
    let s = 0;
    for (let k = -r; k <= r; k++) s += a[Math.min(h - 1, Math.max(0, k)) * w + x]!;
    for (let i = 0; i < h; i++) {
      tmpLine[i] = s * norm;
      s += a[Math.min(h - 1, i + r + 1) * w + x]! - a[Math.max(0, i - r) * w + x]!;
    }
    for (let i = 0; i < h; i++) a[i * w + x] = tmpLine[i]!;
  }
}

// ---------------------------------------------------------------------------------------------
// Finishing and encoding.

/** Camera-like finish: a slight vignette and per-pixel grain, independent of the image content. */
export function finish(img: RgbImage, seed: number, grain: number, vignette: number): void {
  const w = img.width, h = img.height, cx = w / 2, cy = h / 2, r2 = cx * cx + cy * cy, d = img.data;
  const k16 = 1 / 65536;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = 3 * (y * w + x);
      const v = 1 - (vignette * ((x - cx) ** 2 + (y - cy) ** 2)) / r2;
      // Two 32-bit hashes give a triangular luminance grain and three smaller chroma offsets.
      const h1 = hash2(x, y, seed) * 4294967296, h2 = hash2(x, y, seed + 1) * 4294967296;
      const lum = ((h1 & 0xffff) * k16 + (h1 >>> 16) * k16 - 1) * grain;
      const cs = grain * 0.5 / 1024;
      d[o] = d[o]! * v + lum + ((h2 & 0x3ff) - 512) * cs;
      d[o + 1] = d[o + 1]! * v + lum + (((h2 >>> 10) & 0x3ff) - 512) * cs;
      d[o + 2] = d[o + 2]! * v + lum + (((h2 >>> 20) & 0x3ff) - 512) * cs;
    }
}

/** Rounds and clamps to 8-bit RGBA. */
export function toRgba(img: RgbImage): Uint8Array {
  const n = img.width * img.height, src = img.data;
  const out = new Uint8Array(n * 4);
  for (let i = 0, j = 0, k = 0; i < n; i++, j += 3, k += 4) {
    // Uint8Array stores wrap, so clamp first; +0.5 then truncation rounds non-negative values.
    const r = src[j]!, g = src[j + 1]!, b = src[j + 2]!;
    out[k] = r <= 0 ? 0 : r >= 255 ? 255 : r + 0.5;
    out[k + 1] = g <= 0 ? 0 : g >= 255 ? 255 : g + 0.5;
    out[k + 2] = b <= 0 ? 0 : b >= 255 ? 255 : b + 0.5;
    out[k + 3] = 255;
  }
  return out;
}

/** Baseline JPEG bytes, deterministic for the same pixels and quality. */
export function encodeJpeg(img: RgbImage, quality = 90): Uint8Array {
  return encodeJpegRgba({ width: img.width, height: img.height, data: toRgba(img) }, quality);
}
