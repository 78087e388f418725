// CAD exports often hold faces twice: a "double-sided" copy with the same three vertices (30% of
// motorbike/02's 64k triangles), or with its own copies of the vertices at the same positions (half
// of microphone/01's 110k faces, on 67k vertices at 28k positions). A repeat covers exactly the
// pixels its first copy covers at the same depth, so the z-test keeps the first and the fill's
// per-triangle and per-row work on the repeat is wasted; the rasterizer skips repeats instead, and
// faces whose corners coincide (they cover no pixel). Vertices at one position are projected once.

/** A mesh as the z-buffered fill draws it: one vertex per distinct position, the same faces by index. */
export interface FillMesh {
  /** xyz per distinct position (the mesh's own array when no two vertices share one). */
  positions: Float32Array;
  vertexCount: number;
  /** Three indices into `positions` per face, face t the mesh's face t (the mesh's own array when nothing was welded). */
  triangles: Uint32Array;
  /** The faces to draw, in order: neither a repeat of an earlier face's corner positions nor degenerate; null: all. */
  faces: Uint32Array | null;
}

const cache = new WeakMap<Uint32Array, FillMesh>();

/** The mesh's FillMesh, cached per `triangles` array. */
export function fillMesh(mesh: { positions: Float32Array; triangles: Uint32Array }): FillMesh {
  let hit = cache.get(mesh.triangles);
  if (hit === undefined) {
    hit = build(mesh.positions, mesh.triangles);
    cache.set(mesh.triangles, hit);
  }
  return hit;
}

function build(positions: Float32Array, triangles: Uint32Array): FillMesh {
  const canon = weld(positions);
  const faces = findUnique(triangles, canon);
  const n = canon.length;
  let distinct = 0;
  for (let v = 0; v < n; v++) if (canon[v] === v) distinct++;
  if (distinct === n) return { positions, vertexCount: n, triangles, faces };
  // Renumber the distinct positions 0..distinct-1, in vertex order.
  const slot = new Uint32Array(n);
  const welded = new Float32Array(3 * distinct);
  for (let v = 0, k = 0; v < n; v++) {
    if (canon[v] !== v) continue;
    slot[v] = k;
    welded.set(positions.subarray(3 * v, 3 * v + 3), 3 * k++);
  }
  const remapped = new Uint32Array(triangles.length);
  for (let i = 0; i < triangles.length; i++) remapped[i] = slot[canon[triangles[i]!]!]!;
  return { positions: welded, vertexCount: distinct, triangles: remapped, faces };
}

/** Per vertex, the first vertex with the same position (bit for bit). */
function weld(positions: Float32Array): Uint32Array {
  const n = (positions.length / 3) | 0;
  const bits = new Uint32Array(positions.buffer, positions.byteOffset, 3 * n);
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const slots = new Int32Array(size);
  const canon = new Uint32Array(n);
  for (let v = 0; v < n; v++) {
    const x = bits[3 * v]!, y = bits[3 * v + 1]!, z = bits[3 * v + 2]!;
    let h = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77) ^ Math.imul(z, 0xc2b2ae3d)) & (size - 1);
    for (;;) {
      const o = slots[h]! - 1;
      if (o < 0) {
        slots[h] = v + 1;
        canon[v] = v;
        break;
      }
      if (bits[3 * o] === x && bits[3 * o + 1] === y && bits[3 * o + 2] === z) {
        canon[v] = o;
        break;
      }
      h = (h + 1) & (size - 1);
    }
  }
  return canon;
}

function findUnique(triangles: Uint32Array, canon: Uint32Array): Uint32Array | null {
  const n = (triangles.length / 3) | 0;
  // Open addressing on the sorted corner triple; slots hold triangle index + 1.
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const slots = new Int32Array(size);
  const sorted = new Uint32Array(3 * n);
  const keep = new Uint32Array(n);
  let kept = 0;
  for (let t = 0; t < n; t++) {
    let a = canon[triangles[3 * t]!]!, b = canon[triangles[3 * t + 1]!]!, c = canon[triangles[3 * t + 2]!]!, s: number;
    if (a > b) { s = a; a = b; b = s; }
    if (b > c) { s = b; b = c; c = s; }
    if (a > b) { s = a; a = b; b = s; }
    if (a === b || b === c) continue;
    sorted[3 * t] = a;
    sorted[3 * t + 1] = b;
    sorted[3 * t + 2] = c;
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d)) & (size - 1);
    let repeat = false;
    for (;;) {
      const o = slots[h]! - 1;
      if (o < 0) {
        slots[h] = t + 1;
        break;
      }
      if (sorted[3 * o] === a && sorted[3 * o + 1] === b && sorted[3 * o + 2] === c) {
        repeat = true;
        break;
      }
      h = (h + 1) & (size - 1);
    }
    if (!repeat) keep[kept++] = t;
  }
  return kept === n ? null : keep.slice(0, kept);
}
