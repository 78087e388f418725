// Version 2 of the mesh format (shared/src/mesh/v2.ts): what the server writes now. Vertices and
// triangles come back reordered, so the round trip compares geometry (each triangle's corners, its
// winding kept) rather than indices; the hostile-input tests forge well-formed but lying files with
// meshoptimizer's encoder straight from the layout in v2.ts.
import { crc32 } from 'node:zlib';
import { MeshoptEncoder } from 'meshoptimizer/encoder';
import { describe, expect, it } from 'vitest';
import { decodeMesh } from '../src/mesh/codec';
import { encodeMesh } from '../src/mesh/encode';
import type { Mesh } from '../src/mesh/types';
import { hasFixtures } from './fixtures';
import { decoded, expectSameGeometry, fixtures, load, rejected, tetra, triangleShapes } from './mesh-testing';

await MeshoptEncoder.ready;

/**
 * A version-2 file from the layout in v2.ts, encoding exactly the given (possibly lying) values with
 * meshoptimizer; `counts` overrides the header's V, T, E.
 */
function forge(o: { q: number[]; triangles: number[]; edges: number[]; min?: number[]; max?: number[]; counts?: [number, number, number] }): Uint8Array {
  const nV = o.q.length / 3;
  const q = new Uint16Array(4 * nV);
  for (let v = 0; v < nV; v++) for (let k = 0; k < 3; k++) q[4 * v + k] = o.q[3 * v + k]!;
  const u8 = (a: ArrayLike<number>) => new Uint8Array(Uint32Array.from(a).buffer);
  const vs = MeshoptEncoder.encodeVertexBuffer(new Uint8Array(q.buffer), nV, 8);
  const is = MeshoptEncoder.encodeIndexBuffer(u8(o.triangles), o.triangles.length, 4);
  const es = MeshoptEncoder.encodeIndexSequence(u8(o.edges), o.edges.length, 4);
  const out = new Uint8Array(60 + vs.length + is.length + es.length);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x33, 0x44, 0x4d, 2, 0, 0, 0]);
  const [cV, cT, cE] = o.counts ?? [nV, o.triangles.length / 3, o.edges.length / 2];
  view.setUint32(8, cV, true);
  view.setUint32(12, cT, true);
  view.setUint32(16, cE, true);
  const min = o.min ?? [0, 0, 0], max = o.max ?? [1, 1, 1];
  for (let k = 0; k < 3; k++) {
    view.setFloat32(20 + 4 * k, min[k]!, true);
    view.setFloat32(32 + 4 * k, max[k]!, true);
  }
  view.setUint32(44, vs.length, true);
  view.setUint32(48, is.length, true);
  view.setUint32(52, es.length, true);
  out.set(vs, 60);
  out.set(is, 60 + vs.length);
  out.set(es, 60 + vs.length + is.length);
  return resign(out);
}

/** Recomputes the CRC-32 field (bytes 56..59) over bytes 0..55 and the streams. */
function resign(bytes: Uint8Array): Uint8Array {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(56, crc32(bytes.subarray(60), crc32(bytes.subarray(0, 56))), true);
  return bytes;
}

const tetraForged = {
  q: [0, 0, 0, 65535, 0, 0, 0, 65535, 0, 0, 0, 65535],
  triangles: Array.from(tetra.triangles),
  edges: [0, 1, 0, 2, 0, 3, 1, 2, 1, 3, 2, 3],
  min: [0, 0, 0],
  max: [1, 2, 4],
};

describe('encodeMesh (version 2) / decodeMesh round trip', () => {
  it.skipIf(!hasFixtures).each(fixtures)('%s: the same vertices and triangles (quantised), the edge list of its triangles', async (name) => {
    const m = load(name);
    const d = await expectSameGeometry(m, encodeMesh(m));
    // The box is the original positions' own, so a camera framed on it frames the same model.
    for (let k = 0; k < 3; k++) {
      let lo = Infinity, hi = -Infinity;
      for (let i = k; i < m.positions.length; i += 3) (lo = Math.min(lo, m.positions[i]!)), (hi = Math.max(hi, m.positions[i]!));
      expect([d.min[k], d.max[k]]).toEqual([lo, hi]);
    }
  });

  it.skipIf(!hasFixtures)('microphone/01 keeps its 4,000 vertices that no triangle uses (the counts stay the OFF file\'s)', async () => {
    const m = load('microphone/01.off');
    const used = new Set(m.triangles);
    expect(m.positions.length / 3 - used.size).toBe(4000);
    expect(decoded(await decodeMesh(encodeMesh(m))).vertexCount).toBe(67371);
  });

  it('keeps exact values on the box corners and flat axes', async () => {
    const d = await expectSameGeometry(tetra, encodeMesh(tetra));
    expect(d.min).toEqual([0, 0, 0]);
    expect(d.max).toEqual([1, 2, 4]);
    const flat: Mesh = { positions: Float32Array.of(0.25, 3, -7, 0.75, 3, -7, 0.5, 3, -7), triangles: Uint32Array.of(0, 1, 2) };
    await expectSameGeometry(flat, encodeMesh(flat));
  });

  it('keeps degenerate triangles and vertices no triangle uses', async () => {
    const m: Mesh = { positions: Float32Array.of(0, 0, 0, 1, 0, 0, 0, 1, 0, 5, 5, 5, 9, 9, 9), triangles: Uint32Array.of(0, 1, 2, 1, 1, 2, 0, 0, 0) };
    const d = await expectSameGeometry(m, encodeMesh(m));
    expect(d.edgeCount).toBe(3);
  });

  it('round-trips an empty mesh, and vertices without triangles', async () => {
    const d = decoded(await decodeMesh(encodeMesh({ positions: new Float32Array(0), triangles: new Uint32Array(0) })));
    expect([d.vertexCount, d.triangleCount, d.edgeCount, d.positions.length, d.triangles.length, d.edges.length]).toEqual([0, 0, 0, 0, 0, 0]);
    await expectSameGeometry({ positions: Float32Array.of(1, 2, 3), triangles: new Uint32Array(0) }, encodeMesh({ positions: Float32Array.of(1, 2, 3), triangles: new Uint32Array(0) }));
  });

  it('decodes a view into a larger buffer', async () => {
    const bytes = encodeMesh(tetra);
    const big = new Uint8Array(bytes.length + 13);
    big.set(bytes, 7);
    await expectSameGeometry(tetra, big.subarray(7, 7 + bytes.length));
  });

  it('refuses to encode what is not a mesh, or more unused vertices than the format allows', () => {
    expect(() => encodeMesh({ positions: Float32Array.of(0, 0, 0), triangles: Uint32Array.of(0, 0, 1) })).toThrow(RangeError);
    expect(() => encodeMesh({ positions: Float32Array.of(0, NaN, 0), triangles: new Uint32Array(0) })).toThrow(RangeError);
    expect(() => encodeMesh({ positions: Float32Array.of(0, 0), triangles: new Uint32Array(0) })).toThrow(RangeError);
    // 100,000 copies of one point and no triangle: a few bytes of vertex stream for 100,000 vertices.
    expect(() => encodeMesh({ positions: new Float32Array(300000), triangles: new Uint32Array(0) })).toThrow(/used by no triangle/);
  });
});

describe('the documented byte layout (version 2)', () => {
  it('encodeMesh writes the header fields where v2.ts says', () => {
    const bytes = encodeMesh(tetra);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x49, 0x33, 0x44, 0x4d, 2, 0, 0, 0]);
    expect([view.getUint32(8, true), view.getUint32(12, true), view.getUint32(16, true)]).toEqual([4, 4, 6]);
    expect([0, 1, 2].map((k) => view.getFloat32(32 + 4 * k, true))).toEqual([1, 2, 4]);
    expect(view.getUint32(44, true) + view.getUint32(48, true) + view.getUint32(52, true)).toBe(bytes.length - 60);
    expect(view.getUint32(56, true)).toBe(crc32(bytes.subarray(60), crc32(bytes.subarray(0, 56))));
  });

  it('decodeMesh reads a file written from the documentation alone', async () => {
    const d = decoded(await decodeMesh(forge(tetraForged)));
    expect(d.positions).toEqual(tetra.positions);
    // The index codec may rotate a triangle's corners, never its winding.
    expect(triangleShapes(d.positions, d.triangles)).toEqual(triangleShapes(tetra.positions, tetra.triangles));
    expect(Array.from(d.edges)).toEqual(tetraForged.edges);
  });

  it('quantised positions decode to min + q · (max - min) / 65535', async () => {
    const q = [0, 65535, 32768, 1, 65534, 40000, 65535, 0, 7];
    const min = [-1, 0, 10], max = [1, 3, 10.5];
    const d = decoded(await decodeMesh(forge({ q, triangles: [0, 1, 2], edges: [0, 1, 0, 2, 1, 2], min, max })));
    expect(Array.from(d.positions)).toEqual(q.map((v, i) => Math.fround(min[i % 3]! + (v * (max[i % 3]! - min[i % 3]!)) / 65535)));
  });
});

describe('decodeMesh rejects hostile version-2 input with a result, never a throw', () => {
  // A real model when the fixtures are there; the tetrahedron still exercises every check without them.
  const good = encodeMesh(hasFixtures ? load('chair/04.off') : tetra);

  it('truncated, at every possible length', async () => {
    expect(rejected(await decodeMesh(good.subarray(0, 20)))).toBe('truncated: 20 bytes, the header alone is 60');
    expect(rejected(await decodeMesh(good.subarray(0, good.length - 1)))).toBe(`truncated: ${good.length - 1} bytes, the header announces ${good.length}`);
    for (let n = 0; n < good.length; n++) expect((await decodeMesh(good.subarray(0, n))).ok).toBe(false);
  });

  it('trailing bytes', async () => {
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect(rejected(await decodeMesh(longer))).toBe('corrupt: 3 unexpected bytes after the streams');
  });

  it('a version this build does not read, reserved bytes set', async () => {
    const bad = good.slice();
    bad[4] = 4;
    expect(rejected(await decodeMesh(bad))).toBe('unsupported mesh format version 4 (this build reads versions 1, 2, 3)');
    bad[4] = 255;
    expect(rejected(await decodeMesh(bad))).toMatch(/^unsupported mesh format version 255/);
    const reserved = good.slice();
    reserved[6] = 1;
    expect(rejected(await decodeMesh(resign(reserved)))).toBe('corrupt header: reserved bytes are not 0');
  });

  it('any flipped bit, via the checksum', async () => {
    for (let i = 5; i < good.length; i += 7) {
      const bad = good.slice();
      bad[i]! ^= 1 << (i % 8);
      const r = await decodeMesh(bad);
      expect(r.ok).toBe(false);
      if (i >= 60 && !r.ok) expect(r.error).toBe('corrupt: checksum mismatch');
    }
  });

  it('huge counts are refused against the stream lengths before anything is allocated', async () => {
    const f = (counts: [number, number, number]) => forge({ ...tetraForged, counts });
    expect(rejected(await decodeMesh(f([4, 4000000000, 6])))).toMatch(/^corrupt header: 4000000000 triangles cannot fit in a \d+-byte triangle stream$/);
    expect(rejected(await decodeMesh(f([4, 4, 4000000000])))).toMatch(/^corrupt header: 4000000000 edges cannot fit in a \d+-byte edge stream$/);
    expect(rejected(await decodeMesh(f([4000000000, 4, 6])))).toMatch(/^corrupt header: 4000000000 vertices cannot fit/);
    expect(rejected(await decodeMesh(f([4, 1, 6])))).toBe('corrupt header: 6 edges cannot come from 1 triangles');
  });

  it('counts that fit the caps but not the streams fail in the WASM decoder (caught) or the index checks', async () => {
    // One more triangle or edge than written: the stream runs out, or decodes to an index out of range.
    expect(rejected(await decodeMesh(forge({ ...tetraForged, counts: [4, 5, 6] })))).toMatch(/^corrupt (triangle|edge) stream: |^corrupt data: triangle index/);
    expect(rejected(await decodeMesh(forge({ ...tetraForged, counts: [4, 4, 7] })))).toMatch(/^corrupt edge stream: /);
    expect(rejected(await decodeMesh(forge({ ...tetraForged, counts: [5, 4, 6] })))).toMatch(/^corrupt vertex stream: /);
    // Streams of garbage with the right lengths and a right checksum.
    for (let s = 0; s < 3; s++) {
      const bytes = forge(tetraForged);
      const view = new DataView(bytes.buffer);
      const lv = view.getUint32(44, true), li = view.getUint32(48, true), le = view.getUint32(52, true);
      const [from, to] = [[60, 60 + lv], [60 + lv, 60 + lv + li], [60 + lv + li, 60 + lv + li + le]][s]!;
      bytes.fill(0xff, from, to);
      expect(rejected(await decodeMesh(resign(bytes)))).toMatch(/^corrupt (vertex|triangle|edge) stream: |^corrupt data: /);
    }
  });

  it('a triangle index beyond the vertex count (well-formed, checksum right)', async () => {
    expect(rejected(await decodeMesh(forge({ ...tetraForged, triangles: [0, 1, 2, 0, 1, 4, 1, 2, 3, 0, 3, 2] })))).toBe(
      'corrupt data: triangle index 4 is not below the vertex count 4',
    );
  });

  it('an edge beyond the vertex count, a self-loop, a repeat or out of order', async () => {
    const e = (edges: number[]) => decodeMesh(forge({ ...tetraForged, edges }));
    expect(rejected(await e([0, 1, 0, 2, 0, 3, 1, 2, 1, 3, 2, 4]))).toBe('corrupt data: edge 5 (2, 4) is not a < b < vertex count 4');
    expect(rejected(await e([0, 1, 0, 2, 0, 3, 1, 2, 1, 3, 3, 3]))).toBe('corrupt data: edge 5 (3, 3) is not a < b < vertex count 4');
    expect(rejected(await e([0, 1, 0, 2, 0, 2, 1, 2, 1, 3, 2, 3]))).toBe('corrupt data: edge 2 (0, 2) does not follow edge 1 (0, 2) in order');
    expect(rejected(await e([0, 2, 0, 1, 0, 3, 1, 2, 1, 3, 2, 3]))).toBe('corrupt data: edge 1 (0, 1) does not follow edge 0 (0, 2) in order');
  });

  it('a bad bounding box', async () => {
    expect(rejected(await decodeMesh(forge({ ...tetraForged, min: [0, 0, NaN] })))).toBe('corrupt header: bad bounding box');
    expect(rejected(await decodeMesh(forge({ ...tetraForged, min: [2, 0, 0] })))).toBe('corrupt header: bad bounding box');
  });
});
