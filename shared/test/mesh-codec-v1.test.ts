// Version 1 of the mesh format (shared/src/mesh/v1.ts), read through decodeMesh as a device that cached
// a mesh before version 2 does. Its encoder is kept for these tests and the bench.
import { statSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeMesh } from '../src/mesh/codec';
import { uniqueEdges } from '../src/mesh/edges';
import type { Mesh } from '../src/mesh/types';
import { encodeMeshV1 as encodeMesh } from '../src/mesh/v1';
import { hasFixtures } from './fixtures';
import { cadDir, decoded, firstDifference, fixtures, load, rejected, tetra } from './mesh-testing';

/**
 * Writes a version-1 file straight from the layout documented in v1.ts, independently of
 * `encodeMesh`, so the tests pin the documented format and can forge well-formed but lying files.
 */
function forge(o: {
  q: number[]; // quantised positions, xyz per vertex
  triangles: number[];
  edges: number[];
  min: number[];
  max: number[];
  widths?: [number, number, number]; // wT, wA, wB; the smallest that fit by default
  counts?: [number, number, number];
}): Uint8Array {
  const nV = o.q.length / 3, nE = o.edges.length / 2;
  const [cV, cT, cE] = o.counts ?? [nV, o.triangles.length / 3, o.edges.length / 2];
  const zigzag = (d: number) => (d >= 0 ? 2 * d : -2 * d - 1);
  const signed = (d: number, bits: number) => {
    const m = 2 ** bits, r = ((d % m) + m) % m;
    return r >= m / 2 ? r - m : r;
  };
  const smallest = (values: number[]) => Math.max(0, ...values) < 256 ? 1 : Math.max(0, ...values) < 65536 ? 2 : 4;
  const planes = (values: number[], width: number) => {
    const out = new Uint8Array(values.length * width);
    values.forEach((v, i) => {
      for (let b = 0; b < width; b++) out[b * values.length + i] = Math.floor(v / 2 ** (8 * b)) % 256;
    });
    return out;
  };
  const axisMajor = [0, 1, 2].flatMap((k) => o.q.filter((_, i) => i % 3 === k));
  const pos = axisMajor.map((v, i) => zigzag(signed(v - (i ? axisMajor[i - 1]! : 0), 16)));
  const tri = o.triangles.map((v, i) => zigzag(signed(v - (i ? o.triangles[i - 1]! : 0), 32)));
  const colA: number[] = [], colB: number[] = [];
  for (let i = 0; i < nE; i++) {
    const a = o.edges[2 * i]!, b = o.edges[2 * i + 1]!, pa = i ? o.edges[2 * i - 2]! : 0, pb = i ? o.edges[2 * i - 1]! : 0;
    colA.push(a - pa);
    colB.push(i > 0 && a === pa ? b - pb : b - a);
  }
  const [wT, wA, wB] = o.widths ?? [smallest(tri), smallest(colA), smallest(colB)];
  const raw = new Uint8Array([...planes(pos, 2), ...planes(tri, wT), ...planes(colA, wA), ...planes(colB, wB)]);
  const payload = deflateSync(raw);
  const out = new Uint8Array(52 + payload.length);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x33, 0x44, 0x4d, 1, wT, wA, wB]);
  view.setUint32(8, cV, true);
  view.setUint32(12, cT, true);
  view.setUint32(16, cE, true);
  for (let k = 0; k < 3; k++) {
    view.setFloat32(20 + 4 * k, o.min[k]!, true);
    view.setFloat32(32 + 4 * k, o.max[k]!, true);
  }
  view.setUint32(44, payload.length, true);
  out.set(payload, 52);
  return resign(out);
}

/** Recomputes the CRC-32 field (bytes 48..51) over bytes 0..47 and the payload. */
function resign(bytes: Uint8Array): Uint8Array {
  const c = crc32(bytes.subarray(52), crc32(bytes.subarray(0, 48)));
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(48, c, true);
  return bytes;
}

const tetraForged = {
  q: [0, 0, 0, 65535, 0, 0, 0, 65535, 0, 0, 0, 65535],
  triangles: Array.from(tetra.triangles),
  edges: [0, 1, 0, 2, 0, 3, 1, 2, 1, 3, 2, 3],
  min: [0, 0, 0],
  max: [1, 2, 4],
};

describe('encodeMesh / decodeMesh round trip', () => {
  it.skipIf(!hasFixtures).each(fixtures)('%s: positions within the quantisation bound, triangles and edges exact', async (name) => {
    const m = load(name);
    const n = m.positions.length / 3;
    const bytes = encodeMesh(m);
    const d = decoded(await decodeMesh(bytes));
    expect(d.vertexCount).toBe(n);
    expect(d.triangleCount).toBe(m.triangles.length / 3);
    expect(d.triangles).toBeInstanceOf(Uint32Array);
    expect(firstDifference(d.triangles, m.triangles)).toBe(-1);
    const edges = uniqueEdges(m.triangles, n);
    expect(d.edges).toBeInstanceOf(Uint32Array);
    expect(firstDifference(d.edges, edges)).toBe(-1);
    expect(d.edgeCount).toBe(edges.length / 2);
    expect(d.positions.length).toBe(m.positions.length);
    for (let k = 0; k < 3; k++) {
      let lo = Infinity, hi = -Infinity;
      for (let i = k; i < m.positions.length; i += 3) (lo = Math.min(lo, m.positions[i]!)), (hi = Math.max(hi, m.positions[i]!));
      expect(d.min[k]).toBe(lo);
      expect(d.max[k]).toBe(hi);
      // Half a quantisation step, plus float32 rounding of the decoded value.
      const bound = (hi - lo) / 131070 + Math.max(Math.abs(lo), Math.abs(hi)) * 2 ** -24;
      let worst = 0;
      for (let i = k; i < m.positions.length; i += 3) worst = Math.max(worst, Math.abs(d.positions[i]! - m.positions[i]!));
      expect(worst).toBeLessThanOrEqual(bound);
    }
  });

  it.skipIf(!hasFixtures)('motorbike/02 encodes to at most 40% of its OFF file', async () => {
    const offBytes = statSync(cadDir + 'motorbike/02.off').size;
    expect(offBytes).toBe(1848650);
    const m = load('motorbike/02.off');
    const bin = encodeMesh(m);
    expect(bin.length).toBeLessThanOrEqual(0.4 * offBytes);
    // And the size comes from quantising, not from dropping precision silently beyond the bound.
    const d = decoded(await decodeMesh(bin));
    const err = d.positions.reduce((w, x, i) => Math.max(w, Math.abs(x - m.positions[i]!)), 0);
    expect(err).toBeGreaterThan(0);
    expect(err).toBeLessThan(1e-5); // the model is ~0.85 units long: 1e-5 is ≪ 0.1 px at any sane zoom
  });

  it.skipIf(!hasFixtures)('stores each index stream of a real model with the smallest width that holds its values', async () => {
    // Header bytes 5..7: triangles, edge column A, edge column B.
    expect(Array.from(encodeMesh(load('tvmonitor/04.off')).subarray(5, 8))).toEqual([1, 1, 1]); // 56 vertices
    expect(Array.from(encodeMesh(load('motorbike/02.off')).subarray(5, 8))).toEqual([2, 2, 2]); // 25,753
    // 67,371 vertices, yet every difference fits 16 bits.
    expect(Array.from(encodeMesh(load('microphone/01.off')).subarray(5, 8))).toEqual([2, 2, 2]);
  });

  it('stores each index stream with the smallest width that holds its values', async () => {
    // A triangle spanning 70,000 vertices needs 32 bits; its edges' column A does not.
    const wide: Mesh = { positions: new Float32Array(3 * 70000), triangles: Uint32Array.of(0, 69999, 1) };
    const bytes = encodeMesh(wide);
    expect(Array.from(bytes.subarray(5, 8))).toEqual([4, 1, 4]);
    const d = decoded(await decodeMesh(bytes));
    expect(Array.from(d.triangles)).toEqual([0, 69999, 1]);
    expect(Array.from(d.edges)).toEqual([0, 1, 0, 69999, 1, 69999]);
  });

  it('keeps exact values on the box corners and flat axes', async () => {
    const d = decoded(await decodeMesh(encodeMesh(tetra)));
    expect(d.positions).toEqual(tetra.positions);
    expect(d.min).toEqual([0, 0, 0]);
    expect(d.max).toEqual([1, 2, 4]);
    // y and z are flat; x has a point mid-box, which quantises to within half a step.
    const flat: Mesh = { positions: Float32Array.of(0.25, 3, -7, 0.75, 3, -7, 0.5, 3, -7), triangles: Uint32Array.of(0, 1, 2) };
    const p = decoded(await decodeMesh(encodeMesh(flat))).positions;
    expect(Array.from(p).filter((_, i) => i !== 6)).toEqual([0.25, 3, -7, 0.75, 3, -7, 3, -7]);
    expect(Math.abs(p[6]! - 0.5)).toBeLessThanOrEqual(0.5 / 131070 + 2 ** -25);
    expect(p[6]).not.toBe(0.5);
  });

  it('round-trips an empty mesh', async () => {
    const d = decoded(await decodeMesh(encodeMesh({ positions: new Float32Array(0), triangles: new Uint32Array(0) })));
    expect([d.vertexCount, d.triangleCount, d.edgeCount, d.positions.length, d.triangles.length, d.edges.length]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('decodes a view into a larger buffer', async () => {
    const bytes = encodeMesh(tetra);
    const big = new Uint8Array(bytes.length + 13);
    big.set(bytes, 7);
    expect(decoded(await decodeMesh(big.subarray(7, 7 + bytes.length))).triangles).toEqual(tetra.triangles);
  });

  it('refuses to encode what is not a mesh', async () => {
    expect(() => encodeMesh({ positions: Float32Array.of(0, 0, 0), triangles: Uint32Array.of(0, 0, 1) })).toThrow(RangeError);
    expect(() => encodeMesh({ positions: Float32Array.of(0, NaN, 0), triangles: new Uint32Array(0) })).toThrow(RangeError);
    expect(() => encodeMesh({ positions: Float32Array.of(0, 0), triangles: new Uint32Array(0) })).toThrow(RangeError);
  });
});

describe('the documented byte layout', () => {
  it('encodeMeshV1 writes the header fields where v1.ts says', async () => {
    const bytes = encodeMesh(tetra);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x49, 0x33, 0x44, 0x4d, 1, 1, 1, 1]);
    expect([view.getUint32(8, true), view.getUint32(12, true), view.getUint32(16, true)]).toEqual([4, 4, 6]);
    expect([0, 1, 2].map((k) => view.getFloat32(32 + 4 * k, true))).toEqual([1, 2, 4]);
    expect(view.getUint32(44, true)).toBe(bytes.length - 52);
    expect(view.getUint32(48, true)).toBe(crc32(bytes.subarray(52), crc32(bytes.subarray(0, 48))));
  });

  it('decodeMesh reads a file written from the documentation alone', async () => {
    const d = decoded(await decodeMesh(forge(tetraForged)));
    expect(d.positions).toEqual(tetra.positions);
    expect(d.triangles).toEqual(tetra.triangles);
    expect(Array.from(d.edges)).toEqual(tetraForged.edges);
  });

  it('and the same with 16- and 32-bit values, and with wider widths than needed', async () => {
    // 300 vertices (u16) and 70,000 (u32), one triangle at the far end exercising the high bytes.
    for (const nV of [300, 70000]) {
      const q = new Array<number>(3 * nV).fill(0);
      const far = [nV - 1, nV - 2, 0];
      const d = decoded(await decodeMesh(forge({ q, triangles: far, edges: [0, nV - 2, 0, nV - 1, nV - 2, nV - 1], min: [0, 0, 0], max: [0, 0, 0] })));
      expect(Array.from(d.triangles)).toEqual(far);
      expect(Array.from(d.edges)).toEqual([0, nV - 2, 0, nV - 1, nV - 2, nV - 1]);
    }
    const wider = decoded(await decodeMesh(forge({ ...tetraForged, widths: [4, 2, 4] })));
    expect(wider.triangles).toEqual(tetra.triangles);
    expect(Array.from(wider.edges)).toEqual(tetraForged.edges);
  });

  it('quantised positions decode to min + q · (max - min) / 65535', async () => {
    const q = [0, 65535, 32768, 1, 65534, 40000, 65535, 0, 7];
    const min = [-1, 0, 10], max = [1, 3, 10.5];
    const d = decoded(await decodeMesh(forge({ q, triangles: [0, 1, 2], edges: [0, 1, 0, 2, 1, 2], min, max })));
    expect(Array.from(d.positions)).toEqual(q.map((v, i) => Math.fround(min[i % 3]! + (v * (max[i % 3]! - min[i % 3]!)) / 65535)));
  });
});

describe('decodeMesh rejects corrupt input without throwing', () => {
  // A real model when the fixtures are there; the tetrahedron still exercises every check without them.
  const good = encodeMesh(hasFixtures ? load('chair/04.off') : tetra);

  it('truncated', async () => {
    expect(rejected(await decodeMesh(good.subarray(0, 20)))).toBe('truncated: 20 bytes, the header alone is 52');
    expect(rejected(await decodeMesh(good.subarray(0, good.length - 1)))).toBe(`truncated: ${good.length - 1} bytes, the header announces ${good.length}`);
    expect(rejected(await decodeMesh(new Uint8Array(0)))).toMatch(/^truncated/);
  });

  it('at every possible length', async () => {
    for (let n = 0; n < good.length; n++) expect((await decodeMesh(good.subarray(0, n))).ok).toBe(false);
  });

  it('trailing bytes', async () => {
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect(rejected(await decodeMesh(longer))).toBe('corrupt: 3 unexpected bytes after the payload');
  });

  it('bad magic', async () => {
    const bad = good.slice();
    bad[0] = 0x50;
    expect(rejected(await decodeMesh(bad))).toBe('not a mesh file: bad magic (expected "I3DM")');
    expect(rejected(await decodeMesh(new TextEncoder().encode('OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n'.repeat(3))))).toMatch(/bad magic/);
  });

  it('unknown version', async () => {
    const bad = good.slice();
    bad[4] = 4;
    expect(rejected(await decodeMesh(bad))).toBe('unsupported mesh format version 4 (this build reads versions 1, 2, 3)');
    bad[4] = 0;
    expect(rejected(await decodeMesh(bad))).toBe('unsupported mesh format version 0 (this build reads versions 1, 2, 3)');
  });

  it('any flipped bit, via the checksum', async () => {
    for (let i = 5; i < good.length; i += 7) {
      const bad = good.slice();
      bad[i]! ^= 1 << (i % 8);
      const r = await decodeMesh(bad);
      expect(r.ok).toBe(false);
      if (i >= 52 && !r.ok) expect(r.error).toBe('corrupt: checksum mismatch');
    }
  });

  it('a triangle index beyond the vertex count (well-formed, checksum right)', async () => {
    const bytes = forge({ ...tetraForged, triangles: [0, 1, 2, 0, 1, 4] });
    expect(rejected(await decodeMesh(bytes))).toBe('corrupt data: triangle index 4 is not below the vertex count 4');
  });

  it('an edge beyond the vertex count, a self-loop or a repeat', async () => {
    expect(rejected(await decodeMesh(forge({ ...tetraForged, edges: [0, 1, 0, 2, 0, 3, 1, 2, 1, 3, 2, 4] })))).toBe(
      'corrupt data: edge 5 (2, 4) is not a < b < vertex count 4',
    );
    expect(rejected(await decodeMesh(forge({ ...tetraForged, edges: [0, 1, 0, 2, 0, 3, 1, 2, 1, 3, 3, 3] })))).toBe(
      'corrupt data: edge 5 (3, 3) is not a < b < vertex count 4',
    );
    expect(rejected(await decodeMesh(forge({ ...tetraForged, edges: [0, 1, 0, 2, 0, 2, 1, 2, 1, 3, 2, 3] })))).toBe(
      'corrupt data: edge 2 (0, 2) repeats the one before',
    );
  });

  it('header fields that do not fit the data', async () => {
    expect(rejected(await decodeMesh(forge({ ...tetraForged, widths: [1, 3, 1] })))).toBe('corrupt header: value width 3 is not 1, 2 or 4');
    expect(rejected(await decodeMesh(forge({ ...tetraForged, widths: [0, 1, 1] })))).toBe('corrupt header: value width 0 is not 1, 2 or 4');
    expect(rejected(await decodeMesh(forge({ ...tetraForged, counts: [4, 5, 6] })))).toMatch(/^corrupt payload: inflated to \d+ bytes, expected \d+$/);
    expect(rejected(await decodeMesh(forge({ ...tetraForged, counts: [4, 1, 6] })))).toBe('corrupt header: 6 edges cannot come from 1 triangles');
    expect(rejected(await decodeMesh(forge({ ...tetraForged, counts: [4000000000, 4000000000, 6] })))).toMatch(/^corrupt header: 4000000000 vertices.*cannot fit/);
    expect(rejected(await decodeMesh(forge({ ...tetraForged, min: [0, 0, NaN] })))).toBe('corrupt header: bad bounding box');
    expect(rejected(await decodeMesh(forge({ ...tetraForged, min: [2, 0, 0] })))).toBe('corrupt header: bad bounding box');
  });

  it('a payload that is not DEFLATE data', async () => {
    const bytes = forge(tetraForged);
    bytes.fill(0xff, 52);
    expect(rejected(await decodeMesh(resign(bytes)))).toMatch(/^corrupt payload: /);
  });
});
