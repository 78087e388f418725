// Binary mesh format, version 2: the three streams are meshoptimizer's codecs (the encoding glTF's
// EXT_meshopt_compression uses; its decoder is a small WASM module, the same file three.js ships).
// Smaller than version 1 once the server's gzip is on top, and much faster to decode (see
// bench/mesh.ts): no inflate in JavaScript, the WASM decoder writes the typed arrays directly.
//
// Byte layout, version 2. Multi-byte numbers are little-endian.
//
//   offset  size  field
//        0     4  magic "I3DM" (49 33 44 4D)
//        4     1  format version (2)
//        5     3  reserved, 0
//        8     4  vertexCount V (u32)
//       12     4  triangleCount T (u32)
//       16     4  edgeCount E (u32)
//       20    12  bounding box min x, y, z (f32)
//       32    12  bounding box max x, y, z (f32)
//       44     4  Lv: bytes of the vertex stream (u32)
//       48     4  Li: bytes of the triangle stream (u32)
//       52     4  Le: bytes of the edge stream (u32)
//       56     4  CRC-32 (IEEE, as zlib/PNG) of bytes 0..55 followed by the three streams
//       60    Lv  vertices: meshopt_encodeVertexBuffer of V vertices of 8 bytes, u16 x, y, z and a u16 0.
//                 Each coordinate is quantised as in version 1: q = round((p - min) / (max - min) · 65535),
//                 0 on a flat axis. Vertices every triangle uses come first, in the order
//                 meshopt_optimizeVertexFetch gives; the unused ones (some CAD files have them) after.
//  60+Lv     Li  triangles: meshopt_encodeIndexBuffer of the 3T indices (u32), in the order
//                 meshopt_optimizeVertexCacheStrip gives. The codec may rotate a triangle's corners;
//                 it keeps the winding.
//  60+Lv+Li  Le  edges: meshopt_encodeIndexSequence of the 2E indices (u32) of `uniqueEdges(triangles)`:
//                 pairs (a, b), a < b, sorted by a then b.
//
// Hostile files: the decoder allocates for the counts before it reads a stream, so the counts are
// capped by the stream lengths first. Each triangle takes at least one byte of its stream (its code
// byte) and each edge index at least one; every vertex past 3T unused ones must be paid for with a
// byte of the vertex stream (the encoder refuses meshes that break this). So nothing allocated is
// more than a small multiple of the file's length, and a file that lies fails in the WASM decoder
// (an error, caught) or in the checks of the decoded indices below.
import { MeshoptDecoder } from 'meshoptimizer/decoder';
import { checksum, failed as fail, Q_STEPS, readBounds, type DecodeResult } from './format';

export const V2 = {
  version: 2,
  headerBytes: 60,
  crcOffset: 56,
  vertexBytes: 8,
} as const;

/** Whether V vertices can come with T triangles in a vertex stream of Lv bytes (see above). */
export const vertexCountFits = (nV: number, nT: number, lv: number): boolean => nV <= 3 * nT + lv;

/**
 * Decodes a version-2 file (the caller has checked the magic and the version byte). Never throws
 * and never waits on anything but the WASM decoder's start-up: anything malformed comes back as
 * `{ ok: false }`.
 */
export async function decodeMeshV2(bytes: Uint8Array): Promise<DecodeResult> {
  const H = V2.headerBytes;
  if (bytes.length < H) return fail(`truncated: ${bytes.length} bytes, the header alone is ${H}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nV = view.getUint32(8, true), nT = view.getUint32(12, true), nE = view.getUint32(16, true);
  const lv = view.getUint32(44, true), li = view.getUint32(48, true), le = view.getUint32(52, true);
  const announced = H + lv + li + le;
  if (bytes.length < announced) return fail(`truncated: ${bytes.length} bytes, the header announces ${announced}`);
  if (bytes.length > announced) return fail(`corrupt: ${bytes.length - announced} unexpected bytes after the streams`);
  if (checksum(bytes, V2.crcOffset) !== view.getUint32(V2.crcOffset, true)) return fail('corrupt: checksum mismatch');

  // Past the checksum the bytes are what some encoder wrote; still refuse what would make us
  // allocate more than the streams can hold, or hand out indices outside the vertex array.
  if (bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) return fail('corrupt header: reserved bytes are not 0');
  const bounds = readBounds(view, 20);
  if (!bounds) return fail('corrupt header: bad bounding box');
  if (nT > li) return fail(`corrupt header: ${nT} triangles cannot fit in a ${li}-byte triangle stream`);
  if (2 * nE > le) return fail(`corrupt header: ${nE} edges cannot fit in a ${le}-byte edge stream`);
  if (nE > 3 * nT) return fail(`corrupt header: ${nE} edges cannot come from ${nT} triangles`);
  if (!vertexCountFits(nV, nT, lv)) return fail(`corrupt header: ${nV} vertices cannot fit in a ${lv}-byte vertex stream with ${nT} triangles`);

  if (!MeshoptDecoder.supported) return fail('this browser has no WebAssembly, which mesh format 2 needs');
  try {
    await MeshoptDecoder.ready;
  } catch (e) {
    return fail(`the mesh decoder did not start: ${e instanceof Error ? e.message : String(e)}`);
  }

  const q = new Uint16Array(4 * nV), triangles = new Uint32Array(3 * nT), edges = new Uint32Array(2 * nE);
  let at = H;
  const stream = (n: number) => bytes.subarray(at, (at += n));
  try {
    MeshoptDecoder.decodeVertexBuffer(new Uint8Array(q.buffer), nV, V2.vertexBytes, stream(lv));
  } catch (e) {
    return fail(`corrupt vertex stream: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    MeshoptDecoder.decodeIndexBuffer(new Uint8Array(triangles.buffer), 3 * nT, 4, stream(li));
  } catch (e) {
    return fail(`corrupt triangle stream: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    MeshoptDecoder.decodeIndexSequence(new Uint8Array(edges.buffer), 2 * nE, 4, stream(le));
  } catch (e) {
    return fail(`corrupt edge stream: ${e instanceof Error ? e.message : String(e)}`);
  }

  let top = 0;
  for (let i = 0; i < triangles.length; i++) if (triangles[i]! > top) top = triangles[i]!;
  if (nT > 0 && top >= nV) return fail(`corrupt data: triangle index ${top} is not below the vertex count ${nV}`);
  let pa = 0, pb = 0;
  for (let i = 0; i < nE; i++) {
    const a = edges[2 * i]!, b = edges[2 * i + 1]!;
    if (!(a < b && b < nV)) return fail(`corrupt data: edge ${i} (${a}, ${b}) is not a < b < vertex count ${nV}`);
    if (i > 0 && !(a > pa || (a === pa && b > pb))) return fail(`corrupt data: edge ${i} (${a}, ${b}) does not follow edge ${i - 1} (${pa}, ${pb}) in order`);
    pa = a;
    pb = b;
  }

  const { min, max } = bounds;
  const positions = new Float32Array(3 * nV);
  for (let k = 0; k < 3; k++) {
    const lo = min[k]!, step = (max[k]! - lo) / Q_STEPS;
    for (let v = 0; v < nV; v++) positions[3 * v + k] = lo + q[4 * v + k]! * step;
  }
  return {
    ok: true,
    mesh: { positions, triangles, edges, min, max, vertexCount: nV, triangleCount: nT, edgeCount: nE },
  };
}
