// Binary mesh format, version 1: the project's own codec, written until version 2 (v2.ts) replaced
// it. Still read, because a mesh cached on a device must still open; encoded only by tests and the
// bench that compares the two. About a sixth of the OFF text; one inflate plus linear passes, with
// the edge list the overlay draws stored instead of recomputed.
//
// Byte layout, version 1. Multi-byte numbers are little-endian.
//
//   offset  size  field
//        0     4  magic "I3DM" (49 33 44 4D)
//        4     1  format version (1)
//        5     1  wT: bytes per stored triangle value (1, 2 or 4)
//        6     1  wA: bytes per stored edge value of column A (1, 2 or 4)
//        7     1  wB: bytes per stored edge value of column B (1, 2 or 4)
//        8     4  vertexCount V (u32)
//       12     4  triangleCount T (u32)
//       16     4  edgeCount E (u32)
//       20    12  bounding box min x, y, z (f32)
//       32    12  bounding box max x, y, z (f32)
//       44     4  payload length P in bytes (u32)
//       48     4  CRC-32 (IEEE, as zlib/PNG) of bytes 0..47 followed by the payload
//       52     P  payload: a raw DEFLATE stream (RFC 1951) that inflates to 6V + 3T·wT + E·wA + E·wB bytes:
//
//   1. positions, 6V bytes. Each coordinate is quantised to 16 bits over its axis of the bounding box,
//      q = round((p - min) / (max - min) · 65535) (0 on a flat axis), so the error is at most
//      (max - min) / 131070 per axis. The 3V values go axis by axis (all x, then all y, then all z);
//      each is stored as zigzag(d), where d is its difference from the previous value (the first from
//      0) taken mod 2^16 into [-32768, 32767]; then split into byte planes: the 3V low bytes, then
//      the 3V high bytes.
//   2. triangles, 3T·wT bytes. The 3T indices in order, each stored as zigzag(d), d its difference
//      from the previous index (the first from 0) taken mod 2^32 into a signed 32-bit integer; in wT
//      byte planes, least significant first.
//   3. edges, E·(wA + wB) bytes. The pairs (a, b) of `uniqueEdges`: a < b, sorted by a then b.
//      Column A holds a minus the previous a (the first from 0), in wA byte planes; then column B
//      holds b minus the previous b when a equals the previous edge's a, else b minus a, in wB planes.
//
// zigzag(d) = 2d for d ≥ 0, -2d - 1 for d < 0, so small differences of either sign are small numbers.
// Each index stream uses the smallest of 1, 2, 4 bytes that holds its largest stored value (2 for
// every fixture, even past 65,536 vertices), and byte planes put the mostly-zero high bytes together
// for DEFLATE. Decoded indices are always Uint32Array, whatever the widths.
import { deflateSync, inflateSync } from 'fflate';
import { uniqueEdges } from './edges';
import { boundsOf, checksum, failed as fail, MESH_MAGIC, Q_STEPS, quantise, quantScale, readBounds, writeBounds, type DecodeResult } from './format';
import type { Mesh } from './types';

const VERSION = 1;
const HEADER_BYTES = 52;
const CRC_OFFSET = 48;
// DEFLATE cannot expand more than 1032:1; a header claiming more than that is lying.
const MAX_INFLATE_RATIO = 1032;

/** Smallest of 1, 2, 4 bytes that holds every value. */
function widthFor(values: Uint32Array): number {
  let top = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > top) top = values[i]!;
  return top <= 0xff ? 1 : top <= 0xffff ? 2 : 4;
}

/**
 * Encodes a mesh. Positions are quantised (see the layout above); triangle order is kept.
 * @throws RangeError on a mesh that is not one: non-finite positions, indices out of range.
 */
export function encodeMeshV1(mesh: Mesh): Uint8Array {
  const { positions, triangles } = mesh;
  const { min, max } = boundsOf(positions);
  const nV = positions.length / 3, nT = triangles.length / 3;
  if (nV > 0xffffffff) throw new RangeError(`${nV} vertices do not fit 32-bit indices`);
  const edges = uniqueEdges(triangles, nV);
  const nE = edges.length / 2;

  const pos = new Uint32Array(3 * nV);
  let prev = 0, j = 0;
  for (let k = 0; k < 3; k++) {
    const lo = min[k]!, scale = quantScale(lo, max[k]!);
    for (let i = k; i < positions.length; i += 3, j++) {
      const q = quantise(positions[i]!, lo, scale);
      const d = ((q - prev) << 16) >> 16; // mod 2^16 into [-32768, 32767]
      pos[j] = ((d << 1) ^ (d >> 31)) & 0xffff;
      prev = q;
    }
  }

  const tri = new Uint32Array(3 * nT);
  prev = 0;
  for (let i = 0; i < tri.length; i++) {
    const d = (triangles[i]! - prev) | 0;
    tri[i] = (d << 1) ^ (d >> 31);
    prev = triangles[i]!;
  }

  const colA = new Uint32Array(nE), colB = new Uint32Array(nE);
  let pa = 0, pb = 0;
  for (let i = 0; i < nE; i++) {
    const a = edges[2 * i]!, b = edges[2 * i + 1]!;
    colA[i] = a - pa;
    colB[i] = i > 0 && a === pa ? b - pb : b - a;
    pa = a;
    pb = b;
  }

  const wT = widthFor(tri), wA = widthFor(colA), wB = widthFor(colB);
  const raw = new Uint8Array(6 * nV + 3 * nT * wT + nE * (wA + wB));
  let off = writePlanes(raw, 0, pos, 2);
  off = writePlanes(raw, off, tri, wT);
  off = writePlanes(raw, off, colA, wA);
  writePlanes(raw, off, colB, wB);

  const payload = deflateSync(raw, { level: 6 });
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = MESH_MAGIC.charCodeAt(i);
  out.set([VERSION, wT, wA, wB], 4);
  view.setUint32(8, nV, true);
  view.setUint32(12, nT, true);
  view.setUint32(16, nE, true);
  writeBounds(view, 20, min, max);
  view.setUint32(44, payload.length, true);
  out.set(payload, HEADER_BYTES);
  view.setUint32(CRC_OFFSET, checksum(out, CRC_OFFSET), true);
  return out;
}

/**
 * Decodes a version-1 file (the caller has checked the magic and the version byte). Never throws:
 * anything malformed comes back as `{ ok: false }`.
 */
export function decodeMeshV1(bytes: Uint8Array): DecodeResult {
  if (bytes.length < HEADER_BYTES) return fail(`truncated: ${bytes.length} bytes, the header alone is ${HEADER_BYTES}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nV = view.getUint32(8, true), nT = view.getUint32(12, true), nE = view.getUint32(16, true);
  const payloadBytes = view.getUint32(44, true);
  if (bytes.length < HEADER_BYTES + payloadBytes)
    return fail(`truncated: ${bytes.length} bytes, the header announces ${HEADER_BYTES + payloadBytes}`);
  if (bytes.length > HEADER_BYTES + payloadBytes)
    return fail(`corrupt: ${bytes.length - HEADER_BYTES - payloadBytes} unexpected bytes after the payload`);
  if (checksum(bytes, CRC_OFFSET) !== view.getUint32(CRC_OFFSET, true)) return fail('corrupt: checksum mismatch');

  // Past the checksum the bytes are what some encoder wrote; still check what would make us crash
  // or hand out indices that point outside the vertex array.
  const wT = bytes[5]!, wA = bytes[6]!, wB = bytes[7]!;
  for (const w of [wT, wA, wB]) if (w !== 1 && w !== 2 && w !== 4) return fail(`corrupt header: value width ${w} is not 1, 2 or 4`);
  if (nE > 3 * nT) return fail(`corrupt header: ${nE} edges cannot come from ${nT} triangles`);
  const bounds = readBounds(view, 20);
  if (!bounds) return fail('corrupt header: bad bounding box');
  const { min, max } = bounds;
  const rawBytes = 6 * nV + 3 * nT * wT + nE * (wA + wB);
  if (rawBytes > MAX_INFLATE_RATIO * payloadBytes + 64)
    return fail(`corrupt header: ${nV} vertices, ${nT} triangles, ${nE} edges cannot fit in ${payloadBytes} payload bytes`);

  let raw: Uint8Array;
  try {
    raw = inflateSync(bytes.subarray(HEADER_BYTES), { out: new Uint8Array(rawBytes) });
  } catch (e) {
    return fail(`corrupt payload: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (raw.length !== rawBytes) return fail(`corrupt payload: inflated to ${raw.length} bytes, expected ${rawBytes}`);

  const positions = new Float32Array(3 * nV);
  const n = 3 * nV;
  let q = 0, j = 0;
  for (let k = 0; k < 3; k++) {
    const lo = min[k]!, step = (max[k]! - lo) / Q_STEPS;
    for (let i = k; i < n; i += 3, j++) {
      const z = raw[j]! | (raw[n + j]! << 8);
      q = (q + ((z >>> 1) ^ -(z & 1))) & 0xffff;
      positions[i] = lo + q * step;
    }
  }
  let off = 6 * nV;

  const triangles = new Uint32Array(3 * nT);
  off = readPlanes(raw, off, wT, triangles);
  let prev = 0, top = 0;
  for (let i = 0; i < triangles.length; i++) {
    const z = triangles[i]!;
    prev = (prev + ((z >>> 1) ^ -(z & 1))) >>> 0;
    triangles[i] = prev;
    if (prev > top) top = prev;
  }
  if (nT > 0 && top >= nV) return fail(`corrupt data: triangle index ${top} is not below the vertex count ${nV}`);

  const colA = new Uint32Array(nE), edges = new Uint32Array(2 * nE);
  off = readPlanes(raw, off, wA, colA);
  readPlanes(raw, off, wB, edges.subarray(nE)); // column B, read into the second half, consumed in order below
  let pa = 0, pb = 0;
  for (let i = 0; i < nE; i++) {
    const a = pa + colA[i]!;
    const b = (i > 0 && a === pa ? pb : a) + edges[nE + i]!;
    if (!(a < b && b < nV)) return fail(`corrupt data: edge ${i} (${a}, ${b}) is not a < b < vertex count ${nV}`);
    if (b === pb && a === pa) return fail(`corrupt data: edge ${i} (${a}, ${b}) repeats the one before`);
    edges[2 * i] = a;
    edges[2 * i + 1] = b;
    pa = a;
    pb = b;
  }

  return {
    ok: true,
    mesh: { positions, triangles, edges, min, max, vertexCount: nV, triangleCount: nT, edgeCount: nE },
  };
}

/** Writes `values` as `w` byte planes at `off`, lowest bytes first; returns the offset after them. */
function writePlanes(out: Uint8Array, off: number, values: Uint32Array, w: number): number {
  const n = values.length;
  for (let b = 0; b < w; b++) {
    const base = off + b * n, shift = 8 * b;
    for (let i = 0; i < n; i++) out[base + i] = values[i]! >>> shift;
  }
  return off + w * n;
}

/** Inverse of `writePlanes`, filling `out`; returns the offset after the planes. */
function readPlanes(raw: Uint8Array, off: number, w: number, out: Uint32Array): number {
  const n = out.length;
  if (w === 1) out.set(raw.subarray(off, off + n));
  else if (w === 2) for (let i = 0; i < n; i++) out[i] = raw[off + i]! | (raw[off + n + i]! << 8);
  else
    for (let i = 0; i < n; i++)
      out[i] = (raw[off + i]! | (raw[off + n + i]! << 8) | (raw[off + 2 * n + i]! << 16) | (raw[off + 3 * n + i]! << 24)) >>> 0;
  return off + w * n;
}
