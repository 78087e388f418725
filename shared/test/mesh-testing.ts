// What the mesh codec tests share: the fixture models, result unwrapping, a tetrahedron, and the
// geometry comparison format 2 needs: it reorders vertices and triangles (and may rotate a
// triangle's corners), so its round trip is checked on what is drawn, not on the indices.
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { expect } from 'vitest';
import { decodeMesh, type DecodeResult } from '../src/mesh/codec';
import { uniqueEdges } from '../src/mesh/edges';
import { parseOff } from '../src/mesh/off';
import type { DecodedMesh, Mesh } from '../src/mesh/types';
import { hasFixtures, IMAGENET3D } from './fixtures';

export const cadDir = join(IMAGENET3D, 'cad') + sep;
/** Every fixture model as `category/NN.off`; none without the fixtures. */
export const fixtures = !hasFixtures ? [] : readdirSync(cadDir)
  .sort()
  .flatMap((c) => readdirSync(cadDir + c).filter((f) => f.endsWith('.off')).sort().map((f) => `${c}/${f}`));

export function load(name: string): Mesh {
  const r = parseOff(readFileSync(cadDir + name, 'utf8'));
  if (!r.ok) throw new Error(`${name}: line ${r.error.line}: ${r.error.message}`);
  return r.mesh;
}

export function decoded(r: DecodeResult): DecodedMesh {
  if (!r.ok) throw new Error(`expected a mesh, got: ${r.error}`);
  return r.mesh;
}

export function rejected(r: DecodeResult): string {
  if (r.ok) throw new Error('expected a decode error, got a mesh');
  return r.error;
}

export const tetra: Mesh = {
  positions: Float32Array.of(0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 4),
  triangles: Uint32Array.of(0, 2, 1, 0, 1, 3, 1, 2, 3, 0, 3, 2),
};

/** The mesh's positions as the decoder must give them: quantised over the box, as float32. */
function dequantised(m: Mesh): Float32Array {
  const out = new Float32Array(m.positions.length);
  for (let k = 0; k < 3; k++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = k; i < m.positions.length; i += 3) (lo = Math.min(lo, m.positions[i]!)), (hi = Math.max(hi, m.positions[i]!));
    const scale = hi > lo ? 65535 / (hi - lo) : 0, step = (hi - lo) / 65535;
    for (let i = k; i < m.positions.length; i += 3) out[i] = lo + Math.min(65535, Math.round((m.positions[i]! - lo) * scale)) * step;
  }
  return out;
}

/** Every triangle as its corners' coordinates in its smallest rotation (winding kept), sorted. */
export function triangleShapes(positions: Float32Array, triangles: Uint32Array): string[] {
  const corner = (v: number) => `${positions[3 * v]},${positions[3 * v + 1]},${positions[3 * v + 2]}`;
  const out: string[] = [];
  for (let t = 0; t < triangles.length; t += 3) {
    const c = [corner(triangles[t]!), corner(triangles[t + 1]!), corner(triangles[t + 2]!)];
    // The smallest of the three rotations (two corners may share coordinates).
    const r = [0, 1, 2].map((s) => `${c[s]}|${c[(s + 1) % 3]}|${c[(s + 2) % 3]}`).sort();
    out.push(r[0]!);
  }
  return out.sort();
}

function vertexShapes(positions: Float32Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < positions.length; i += 3) out.push(`${positions[i]},${positions[i + 1]},${positions[i + 2]}`);
  return out.sort();
}

/** Index of the first difference of two arrays, -1 if equal (toEqual is slow on 300k elements). */
export function firstDifference(a: ArrayLike<unknown>, b: ArrayLike<unknown>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Checks `bytes` decodes to the same geometry as `m`, with the edge list of the decoded triangles. */
export async function expectSameGeometry(m: Mesh, bytes: Uint8Array): Promise<DecodedMesh> {
  const d = decoded(await decodeMesh(bytes));
  const nV = m.positions.length / 3;
  expect(bytes[4]).toBe(2);
  expect([d.vertexCount, d.triangleCount]).toEqual([nV, m.triangles.length / 3]);
  expect(d.positions).toBeInstanceOf(Float32Array);
  expect(d.triangles).toBeInstanceOf(Uint32Array);
  const want = dequantised(m);
  expect(firstDifference(vertexShapes(d.positions), vertexShapes(want))).toBe(-1);
  expect(firstDifference(triangleShapes(d.positions, d.triangles), triangleShapes(want, m.triangles))).toBe(-1);
  const edges = uniqueEdges(d.triangles, nV);
  expect(firstDifference(d.edges, edges)).toBe(-1);
  expect(d.edgeCount).toBe(edges.length / 2);
  return d;
}
