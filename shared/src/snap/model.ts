// The mesh side of Snap, prepared once per mesh: vertices welded (CAD files often repeat a vertex per
// face, which would make every edge look like a border), the feature (crease and border) edges
// sampled as 3-D points with a direction, and a coarse copy of the mesh for rasterising silhouettes
// fast. Candidate to unify with the overlay's feature-edge extraction once that lands in shared/.
import type { Mesh } from '../mesh/types';

export interface SnapModel {
  /** Points on feature edges, xyz triples, and for each a second point a little along its edge. */
  samples: Float32Array;
  sampleAhead: Float32Array;
  /** Coarse mesh (vertex clustering) for silhouettes and visibility on the finest edge map. */
  coarse: Mesh;
  /** Coarser still, for the middle and the smallest edge maps (a cell stays a few level pixels). */
  middle: Mesh;
  rough: Mesh;
  /** Bounding-box diagonal, object units. */
  diagonal: number;
  featureEdges: number;
}

export interface SnapModelOptions {
  /** Edges whose faces meet at more than this (degrees) are features. */
  creaseDegrees?: number;
  /** At most this many feature samples. */
  maxSamples?: number;
  /** Vertex-clustering grid cells along the longest side of the coarse mesh. */
  coarseCells?: number;
}

function bounds(p: Float32Array): { min: number[]; max: number[]; diagonal: number } {
  const min = [Infinity, Infinity, Infinity], max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i += 3)
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, p[i + k]!);
      max[k] = Math.max(max[k]!, p[i + k]!);
    }
  const diagonal = Math.hypot(max[0]! - min[0]!, max[1]! - min[1]!, max[2]! - min[2]!) || 1;
  return { min, max, diagonal };
}

/** Maps every vertex to one representative per grid cell of size `cell`; returns the new ids and count. */
function cluster(p: Float32Array, min: number[], cell: number): { id: Uint32Array; count: number; sums: Float64Array } {
  const n = p.length / 3;
  const id = new Uint32Array(n);
  const cells = new Map<number, number>();
  const sums: number[] = [];
  for (let i = 0; i < n; i++) {
    const cx = Math.floor((p[3 * i]! - min[0]!) / cell), cy = Math.floor((p[3 * i + 1]! - min[1]!) / cell), cz = Math.floor((p[3 * i + 2]! - min[2]!) / cell);
    const key = (cx * 1_048_576 + cy) * 1_048_576 + cz; // < 2^53 for any grid under 2^17 cells a side
    let c = cells.get(key);
    if (c === undefined) {
      c = cells.size;
      cells.set(key, c);
      sums.push(0, 0, 0, 0);
    }
    id[i] = c;
    sums[4 * c]! += p[3 * i]!;
    sums[4 * c + 1]! += p[3 * i + 1]!;
    sums[4 * c + 2]! += p[3 * i + 2]!;
    sums[4 * c + 3]! += 1;
  }
  return { id, count: cells.size, sums: Float64Array.from(sums) };
}

/** Triangles re-indexed through `id`, dropping the ones that collapse and, with `dedupe`, repeats. */
function remap(t: Uint32Array, id: Uint32Array, dedupe = false): Uint32Array {
  const out: number[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < t.length; i += 3) {
    const a = id[t[i]!]!, b = id[t[i + 1]!]!, c = id[t[i + 2]!]!;
    if (a === b || b === c || c === a) continue;
    if (dedupe) {
      // Same three cells in any order and winding: the same triangle for coverage and depth.
      const lo = Math.min(a, b, c), hi = Math.max(a, b, c);
      const key = `${lo},${a + b + c - lo - hi},${hi}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(a, b, c);
  }
  return Uint32Array.from(out);
}

function faceNormal(p: Float32Array, t: Uint32Array, f: number): [number, number, number] {
  const a = 3 * t[3 * f]!, b = 3 * t[3 * f + 1]!, c = 3 * t[3 * f + 2]!;
  const ux = p[b]! - p[a]!, uy = p[b + 1]! - p[a + 1]!, uz = p[b + 2]! - p[a + 2]!;
  const vx = p[c]! - p[a]!, vy = p[c + 1]! - p[a + 1]!, vz = p[c + 2]! - p[a + 2]!;
  const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
  const l = Math.hypot(nx, ny, nz) || 1;
  return [nx / l, ny / l, nz / l];
}

/**
 * Feature edges of a welded mesh: border edges (one face) and creases (two faces meeting at more
 * than `creaseDegrees`). Winding is not trusted: when the two faces run the edge the same way, one
 * normal is flipped before measuring the angle. Returns vertex pairs.
 */
export function featureEdges(positions: Float32Array, triangles: Uint32Array, creaseDegrees: number): Uint32Array {
  const nV = positions.length / 3;
  // Directed side (a → b) of face f, keyed by the undirected pair.
  const first = new Map<number, number>();
  const out: number[] = [];
  const cosLimit = Math.cos((creaseDegrees * Math.PI) / 180);
  const shared = new Set<number>();
  for (let f = 0; f < triangles.length / 3; f++) {
    for (let s = 0; s < 3; s++) {
      const a = triangles[3 * f + s]!, b = triangles[3 * f + ((s + 1) % 3)]!;
      const key = a < b ? a * nV + b : b * nV + a;
      const other = first.get(key);
      if (other === undefined) {
        // Remember the face and the side's direction (sign bit).
        first.set(key, a < b ? f + 1 : -(f + 1));
        continue;
      }
      if (shared.has(key)) continue; // a third face on a non-manifold edge: keep the first verdict
      shared.add(key);
      const g = Math.abs(other) - 1;
      const sameDirection = other > 0 === a < b;
      const n1 = faceNormal(positions, triangles, f), n2 = faceNormal(positions, triangles, g);
      let cos = n1[0] * n2[0] + n1[1] * n2[1] + n1[2] * n2[2];
      if (sameDirection) cos = -cos;
      if (cos < cosLimit) out.push(a, b);
    }
  }
  for (const [key] of first) {
    if (shared.has(key)) continue;
    out.push(Math.floor(key / nV), key % nV);
  }
  return Uint32Array.from(out);
}

export function prepareSnapModel(mesh: Mesh, opts: SnapModelOptions = {}): SnapModel {
  const { min, diagonal } = bounds(mesh.positions);
  // Weld: vertices closer than 1e-5 of the size are the same vertex.
  const weld = cluster(mesh.positions, min, diagonal * 1e-5);
  const welded = new Float32Array(weld.count * 3);
  for (let c = 0; c < weld.count; c++) for (let k = 0; k < 3; k++) welded[3 * c + k] = weld.sums[4 * c + k]! / weld.sums[4 * c + 3]!;
  const tris = remap(mesh.triangles, weld.id);
  const edges = featureEdges(welded, tris, opts.creaseDegrees ?? 35);

  // Samples spaced evenly along the feature edges, thinned to the budget.
  const maxSamples = opts.maxSamples ?? 2500;
  let total = 0;
  for (let e = 0; e < edges.length; e += 2) {
    const a = 3 * edges[e]!, b = 3 * edges[e + 1]!;
    total += Math.hypot(welded[b]! - welded[a]!, welded[b + 1]! - welded[a + 1]!, welded[b + 2]! - welded[a + 2]!);
  }
  const spacing = Math.max(total / maxSamples, diagonal / 400);
  const s: number[] = [], ahead: number[] = [];
  let acc = 0; // arc length walked so far: samples fall every `spacing` along all edges in turn
  for (let e = 0; e < edges.length; e += 2) {
    const a = 3 * edges[e]!, b = 3 * edges[e + 1]!;
    const dx = welded[b]! - welded[a]!, dy = welded[b + 1]! - welded[a + 1]!, dz = welded[b + 2]! - welded[a + 2]!;
    const len = Math.hypot(dx, dy, dz);
    if (len === 0) continue;
    const step = Math.min(len, diagonal / 50) / len; // the "ahead" point, for the edge's image direction
    for (let t = Math.ceil(acc / spacing) * spacing - acc; t < len; t += spacing) {
      const u = t / len;
      s.push(welded[a]! + u * dx, welded[a + 1]! + u * dy, welded[a + 2]! + u * dz);
      ahead.push(welded[a]! + (u + step) * dx, welded[a + 1]! + (u + step) * dy, welded[a + 2]! + (u + step) * dz);
    }
    acc += len;
  }

  const cells = opts.coarseCells ?? 40;
  const simplify = (cells: number, maxTriangles: number): Mesh => {
    if (tris.length / 3 <= maxTriangles) return { positions: welded, triangles: tris };
    const cl = cluster(welded, min, diagonal / Math.sqrt(3) / cells);
    const cp = new Float32Array(cl.count * 3);
    for (let c = 0; c < cl.count; c++) for (let k = 0; k < 3; k++) cp[3 * c + k] = cl.sums[4 * c + k]! / cl.sums[4 * c + 3]!;
    return { positions: cp, triangles: remap(tris, cl.id, true) };
  };
  return {
    samples: Float32Array.from(s),
    sampleAhead: Float32Array.from(ahead),
    coarse: simplify(cells, 3000),
    middle: simplify(cells * 0.6, 1500),
    rough: simplify(cells * 0.3, 600),
    diagonal,
    featureEdges: edges.length / 2,
  };
}
