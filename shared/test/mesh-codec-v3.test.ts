// Version 3 of the mesh format (shared/src/mesh/v3.ts): a version-2 file in a gzip stream, what a
// device keeps. The round trip must give the version-2 file's mesh exactly; hostile files (forged
// here with node:zlib straight from the layout in v3.ts) come back as results, never throws or hangs.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeMesh, packMesh, type DecodeResult } from '../src/mesh/codec';
import { encodeMesh } from '../src/mesh/encode';
import { encodeMeshV1 } from '../src/mesh/v1';
import { MAX_INNER_BYTES } from '../src/mesh/v3';
import { hasFixtures } from './fixtures';
import { decoded, fixtures, load, rejected, tetra } from './mesh-testing';

/** The decoded mesh as comparable plain values (typed arrays as bytes: toEqual on 300k-element arrays is slow). */
function flat(r: DecodeResult) {
  const m = decoded(r);
  const hex = (a: Uint32Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  return { ...m, positions: hex(m.positions), triangles: hex(m.triangles), edges: hex(m.edges) };
}

/** A version-3 file holding `inner` as `gzip` (default: gzip of inner), announcing `n` bytes. */
function forge(inner: Uint8Array, o: { gzip?: Uint8Array; n?: number; reserved?: number } = {}): Uint8Array {
  const gz = o.gzip ?? gzipSync(inner);
  const out = new Uint8Array(12 + gz.length);
  out.set([0x49, 0x33, 0x44, 0x4d, 3, o.reserved ?? 0, 0, 0]);
  new DataView(out.buffer).setUint32(8, o.n ?? inner.length, true);
  out.set(gz, 12);
  return out;
}

describe('mesh format version 3 (gzip-wrapped version 2)', () => {
  const v2 = encodeMesh(hasFixtures ? load('chair/04.off') : tetra);

  it('packMesh wraps a version-2 file; it decodes to the same mesh, and the bytes are smaller', async () => {
    const packed = await packMesh(v2);
    expect(Array.from(packed.subarray(0, 8))).toEqual([0x49, 0x33, 0x44, 0x4d, 3, 0, 0, 0]);
    expect(new DataView(packed.buffer, packed.byteOffset).getUint32(8, true)).toBe(v2.length);
    if (hasFixtures) expect(packed.length).toBeLessThan(0.7 * v2.length);
    expect(flat(await decodeMesh(packed))).toEqual(flat(await decodeMesh(v2)));
  });

  it.runIf(hasFixtures)('round-trips every fixture model and is never larger than version 1', async () => {
    let v1Total = 0, v3Total = 0;
    for (const name of fixtures) {
      const mesh = load(name);
      const inner = encodeMesh(mesh);
      const packed = await packMesh(inner);
      v1Total += encodeMeshV1(mesh).length;
      v3Total += packed.length;
      expect(flat(await decodeMesh(packed)), name).toEqual(flat(await decodeMesh(inner)));
    }
    expect(v3Total).toBeLessThan(v1Total);
  });

  it('packMesh with `between` feeds the input in 64 KiB pieces, awaiting it between them, to the same bytes', async () => {
    const big = hasFixtures ? encodeMesh(load('microphone/01.off')) : v2;
    let calls = 0;
    const packed = await packMesh(big, async () => void calls++);
    expect(calls).toBe(Math.ceil(big.length / 65536) - 1);
    expect(packed).toEqual(await packMesh(big));
  });

  it('packMesh leaves what is not version 2 as it is: version 1, version 3, not a mesh', async () => {
    const v1 = encodeMeshV1(tetra);
    expect(await packMesh(v1)).toBe(v1);
    const packed = await packMesh(v2);
    expect(await packMesh(packed)).toBe(packed);
    const junk = Uint8Array.of(1, 2, 3);
    expect(await packMesh(junk)).toBe(junk);
  });

  it('a file written from the layout alone decodes', async () => {
    expect(decoded(await decodeMesh(forge(v2)))).toEqual(decoded(await decodeMesh(v2)));
  });
});

describe('decodeMesh rejects hostile version-3 input with a result, never a throw', () => {
  const v2 = encodeMesh(hasFixtures ? load('chair/04.off') : tetra);
  const good = forge(v2);

  it('truncated, at every length', async () => {
    expect(rejected(await decodeMesh(good.subarray(0, 10)))).toBe('truncated: 10 bytes, the header alone is 12');
    expect(rejected(await decodeMesh(good.subarray(0, good.length - 4)))).toMatch(/^corrupt gzip stream: |^truncated: /);
    const step = Math.max(1, Math.floor(good.length / 200));
    for (let n = 0; n < good.length; n += step) expect((await decodeMesh(good.subarray(0, n))).ok, `${n} bytes`).toBe(false);
  });

  it('garbage instead of gzip, and gzip of garbage', async () => {
    const noise = Uint8Array.from({ length: 4000 }, (_, i) => (i * 2654435761) >>> 24);
    expect(rejected(await decodeMesh(forge(v2, { gzip: noise })))).toMatch(/^corrupt gzip stream: /);
    expect(rejected(await decodeMesh(forge(noise)))).toBe('corrupt: the gzip stream of a version-3 file does not hold a version-2 mesh');
  });

  it('no nesting: a version-3 file inside a version-3 file is refused', async () => {
    expect(rejected(await decodeMesh(forge(good)))).toBe('corrupt: the gzip stream of a version-3 file does not hold a version-2 mesh');
  });

  it('a version-2 file that is corrupt inside the wrapper fails the version-2 checks', async () => {
    const bad = v2.slice();
    bad[bad.length - 1]! ^= 1;
    expect(rejected(await decodeMesh(forge(bad)))).toBe('corrupt: checksum mismatch');
  });

  it('a length that lies: more or less than the stream holds', async () => {
    expect(rejected(await decodeMesh(forge(v2, { n: v2.length - 1 })))).toBe(`corrupt: the gzip stream inflates to more than the ${v2.length - 1} bytes the header announces`);
    expect(rejected(await decodeMesh(forge(v2, { n: v2.length + 1 })))).toBe(`truncated: the gzip stream inflates to ${v2.length} bytes, the header announces ${v2.length + 1}`);
  });

  it('a bomb: refused by its header, or stopped at the announced length while inflating', async () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const bomb = gzipSync(zeros, { level: 9 }); // about 8 KB that inflate to 8 MB
    expect(rejected(await decodeMesh(forge(zeros, { gzip: bomb, n: 1000 })))).toBe('corrupt: the gzip stream inflates to more than the 1000 bytes the header announces');
    expect(rejected(await decodeMesh(forge(zeros, { gzip: bomb.subarray(0, 40), n: 2 ** 32 - 1 })))).toMatch(/^too large: the inner file would be 4294967295 bytes, more than the 67108864/);
    expect(rejected(await decodeMesh(forge(zeros, { gzip: bomb.subarray(0, 40), n: MAX_INNER_BYTES })))).toBe(
      `corrupt header: 40 compressed bytes cannot inflate to ${MAX_INNER_BYTES}`,
    );
  });

  it('reserved bytes set', async () => {
    expect(rejected(await decodeMesh(forge(v2, { reserved: 1 })))).toBe('corrupt header: reserved bytes are not 0');
  });

  it('trailing bytes after the gzip member', async () => {
    const longer = new Uint8Array(good.length + 5);
    longer.set(good);
    longer.set([1, 2, 3, 4, 5], good.length);
    expect((await decodeMesh(longer)).ok).toBe(false);
  });
});
