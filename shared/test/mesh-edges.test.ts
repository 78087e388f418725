import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { uniqueEdges } from '../src/mesh/edges';
import { parseOff } from '../src/mesh/off';
import { hasFixtures, IMAGENET3D } from './fixtures';

const cadDir = join(IMAGENET3D, 'cad') + sep;
const fixtures = !hasFixtures ? [] : readdirSync(cadDir)
  .sort()
  .flatMap((c) => readdirSync(cadDir + c).filter((f) => f.endsWith('.off')).sort().map((f) => `${c}/${f}`));

/** The obvious, slow definition to check the fast one against. */
function naiveEdges(triangles: ArrayLike<number>): number[] {
  const seen = new Set<string>();
  const pairs: [number, number][] = [];
  for (let i = 0; i < triangles.length; i += 3) {
    for (const [p, q] of [[0, 1], [1, 2], [2, 0]] as const) {
      const a = Math.min(triangles[i + p]!, triangles[i + q]!), b = Math.max(triangles[i + p]!, triangles[i + q]!);
      if (a === b || seen.has(`${a},${b}`)) continue;
      seen.add(`${a},${b}`);
      pairs.push([a, b]);
    }
  }
  return pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]).flat();
}

const edges = (tris: number[], n: number) => Array.from(uniqueEdges(Uint32Array.from(tris), n));

describe('uniqueEdges', () => {
  it('one triangle has three edges, smaller index first, sorted', () => {
    expect(edges([2, 0, 1], 3)).toEqual([0, 1, 0, 2, 1, 2]);
  });

  it('two triangles sharing a side have five', () => {
    expect(edges([0, 1, 2, 0, 2, 3], 4)).toEqual([0, 1, 0, 2, 0, 3, 1, 2, 2, 3]);
  });

  it('a tetrahedron has six, whatever the winding', () => {
    expect(edges([0, 1, 2, 0, 3, 1, 1, 3, 2, 2, 3, 0], 4)).toEqual([0, 1, 0, 2, 0, 3, 1, 2, 1, 3, 2, 3]);
  });

  it('leaves out the degenerate side of a triangle that repeats a vertex', () => {
    expect(edges([0, 0, 1], 2)).toEqual([0, 1]);
    expect(edges([1, 1, 1], 2)).toEqual([]);
  });

  it('handles unused vertices and an empty list', () => {
    expect(edges([5, 3, 9], 12)).toEqual([3, 5, 3, 9, 5, 9]);
    expect(edges([], 0)).toEqual([]);
  });

  it('sorts the bucket of a hub vertex with many neighbours', () => {
    // A fan of 200 triangles around vertex 0 in scrambled order: vertex 0's bucket has 400 entries.
    const tris: number[] = [];
    for (let k = 0; k < 200; k++) {
      const i = 1 + ((k * 37) % 200);
      tris.push(0, i, i === 200 ? 1 : i + 1);
    }
    const got = edges(tris, 201);
    expect(got).toEqual(naiveEdges(tris));
    expect(got.length / 2).toBe(400);
  });

  it('rejects indices beyond the vertex count and a length that is not a multiple of 3', () => {
    expect(() => uniqueEdges(Uint32Array.of(0, 1, 3), 3)).toThrow(RangeError);
    expect(() => uniqueEdges(Uint32Array.of(0, 1), 3)).toThrow(RangeError);
  });

  it.skipIf(!hasFixtures).each(fixtures)('%s: agrees with the naive definition', (name) => {
    const r = parseOff(readFileSync(cadDir + name, 'utf8'));
    if (!r.ok) throw new Error(r.error.message);
    const got = uniqueEdges(r.mesh.triangles, r.mesh.positions.length / 3);
    expect(got).toBeInstanceOf(Uint32Array);
    const want = naiveEdges(r.mesh.triangles);
    expect(got.length).toBe(want.length);
    // First mismatch, -1 if none (toEqual takes seconds on 350k numbers).
    expect(want.findIndex((x, i) => got[i] !== x)).toBe(-1);
  });

  it.skipIf(!hasFixtures)('handles the largest fixture (microphone/01, 110,036 faces)', () => {
    const r = parseOff(readFileSync(cadDir + 'microphone/01.off', 'utf8'));
    if (!r.ok) throw new Error(r.error.message);
    const n = r.mesh.positions.length / 3;
    const e = uniqueEdges(r.mesh.triangles, n);
    expect(e.length / 2).toBe(173040);
  });
});
