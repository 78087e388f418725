// What every version of the binary mesh format shares: the magic, the result type, the bounding box
// the positions are quantised over, and the CRC-32 each version keeps in its header.
import type { DecodedMesh, Vec3 } from './types';

export type DecodeResult = { ok: true; mesh: DecodedMesh } | { ok: false; error: string };

export const MESH_MAGIC = 'I3DM';

export const failed = (error: string): DecodeResult => ({ ok: false, error });

/** Whether `bytes` starts with the magic. */
export function hasMagic(bytes: Uint8Array): boolean {
  for (let i = 0; i < 4; i++) if (bytes[i] !== MESH_MAGIC.charCodeAt(i)) return false;
  return true;
}

/**
 * Per-axis bounding box of xyz positions ((0,0,0)-(0,0,0) for none).
 * @throws RangeError on a non-finite coordinate or a length that is not a multiple of 3.
 */
export function boundsOf(positions: Float32Array): { min: Vec3; max: Vec3 } {
  if (positions.length % 3 !== 0) throw new RangeError(`positions has ${positions.length} values, not a multiple of 3`);
  const min: Vec3 = [0, 0, 0], max: Vec3 = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = k; i < positions.length; i += 3) {
      const x = positions[i]!;
      if (!Number.isFinite(x)) throw new RangeError(`vertex ${(i - k) / 3} has a non-finite coordinate`);
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (positions.length > 0) {
      min[k] = lo;
      max[k] = hi;
    }
  }
  return { min, max };
}

/** Reads the header's bounding box at `off` (min xyz then max xyz, f32); undefined if not finite or min > max. */
export function readBounds(view: DataView, off: number): { min: Vec3; max: Vec3 } | undefined {
  const min: Vec3 = [0, 0, 0], max: Vec3 = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    min[k] = view.getFloat32(off + 4 * k, true);
    max[k] = view.getFloat32(off + 12 + 4 * k, true);
    if (!(Number.isFinite(min[k]) && Number.isFinite(max[k]) && min[k]! <= max[k]!)) return undefined;
  }
  return { min, max };
}

/** Writes the bounding box as `readBounds` reads it. */
export function writeBounds(view: DataView, off: number, min: Vec3, max: Vec3): void {
  for (let k = 0; k < 3; k++) {
    view.setFloat32(off + 4 * k, min[k]!, true);
    view.setFloat32(off + 12 + 4 * k, max[k]!, true);
  }
}

let crcTables: Int32Array[] | undefined;

/** CRC-32 (IEEE, as zlib/PNG) of the whole buffer except the 4-byte CRC field at `crcOffset`. */
export function checksum(bytes: Uint8Array, crcOffset: number): number {
  return ~crc32(bytes, crcOffset + 4, bytes.length, crc32(bytes, 0, crcOffset, -1)) >>> 0;
}

/**
 * Running CRC-32 (without the final inversion) over bytes[from, to). Four bytes a step ("slicing by
 * 4"): the checksum is a sizeable part of decoding a large mesh, and this is about 3x the bytewise loop.
 */
function crc32(bytes: Uint8Array, from: number, to: number, c: number): number {
  const [t0, t1, t2, t3] = (crcTables ??= makeCrcTables()) as [Int32Array, Int32Array, Int32Array, Int32Array];
  let i = from;
  for (; i + 4 <= to; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = t3[c & 0xff]! ^ t2[(c >>> 8) & 0xff]! ^ t1[(c >>> 16) & 0xff]! ^ t0[c >>> 24]!;
  }
  for (; i < to; i++) c = t0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return c;
}

/** t0 is the bytewise table; tk[n] is the CRC of byte n followed by k zero bytes. */
function makeCrcTables(): Int32Array[] {
  const t = [0, 1, 2, 3].map(() => new Int32Array(256));
  const t0 = t[0]!;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c;
  }
  for (let k = 1; k < 4; k++) for (let n = 0; n < 256; n++) t[k]![n] = (t[k - 1]![n]! >>> 8) ^ t0[t[k - 1]![n]! & 0xff]!;
  return t;
}

/** Positions are stored as 16-bit steps over their axis of the bounding box. */
export const Q_STEPS = 65535;

/** Quantisation scale of an axis from lo to hi (0 on a flat axis, so every value is step 0). */
export const quantScale = (lo: number, hi: number): number => (hi > lo ? Q_STEPS / (hi - lo) : 0);

/** The step of coordinate x on an axis starting at lo, as `quantScale` gave the scale. */
export const quantise = (x: number, lo: number, scale: number): number => Math.min(Q_STEPS, Math.round((x - lo) * scale));
