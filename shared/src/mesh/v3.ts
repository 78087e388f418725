// Binary mesh format, version 3: a version-2 file (v2.ts) inside a gzip stream. It is what a device
// keeps: the server sends version 2 with HTTP's own compression (brotli or gzip), which the browser
// undoes, so a device that stored what it received would keep the larger, entropy-uncoded v2 bytes.
// Wrapping them once at store time keeps a device's meshes smaller than version 1 did; the worker
// inflates with the platform's DecompressionStream (native code, in every realm we run in) on load.
//
// Byte layout, version 3. Multi-byte numbers are little-endian.
//
//   offset  size  field
//        0     4  magic "I3DM" (49 33 44 4D)
//        4     1  format version (3)
//        5     3  reserved, 0
//        8     4  N: length of the inner file in bytes (u32)
//       12     …  one gzip member (RFC 1952) that inflates to exactly N bytes: a version-2 file
//
// Hostile files: N is capped (MAX_INNER_BYTES, and DEFLATE's own ceiling of about 1032 output bytes
// per input byte), inflating stops as soon as the output passes N, and the inner file is checked by
// the version-2 decoder (its CRC-32 included).
import { hasMagic } from './format';

// Not imported from v2.ts: that module loads the WASM decoder, and packMesh runs on the page, which
// never decodes (the workers do).
const INNER = { version: 2, headerBytes: 60 } as const;

export const V3 = { version: 3, headerBytes: 12 } as const;
/** No real CAD model comes near this (the largest fixture is under 1 MB as version 2). */
export const MAX_INNER_BYTES = 64 * 1024 * 1024;
/** DEFLATE cannot expand one input byte into more than 1032 output bytes (RFC 1951's longest match). */
const MAX_RATIO = 1032;

// The shared realm has no DOM types: the little of the Compression Streams API used here.
interface ByteStreamPair {
  writable: { getWriter(): { write(chunk: Uint8Array): Promise<void>; close(): Promise<void> } };
  readable: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> } };
}
type StreamCtor = new (format: 'gzip') => ByteStreamPair;
type Unpacked = { ok: true; inner: Uint8Array } | { ok: false; error: string };
const failed = (error: string): Unpacked => ({ ok: false, error });
const platform = globalThis as { CompressionStream?: StreamCtor; DecompressionStream?: StreamCtor };

/** Input is fed to a stream in pieces this big, so `between` can let other work run in between. */
const PIECE = 64 * 1024;

/**
 * Runs `bytes` through a (de)compression stream, reading at most `limit` bytes of output.
 * Answers the output, or `undefined` when it would pass the limit (reading stops there).
 * `between` (if given) is awaited before each piece of input after the first.
 * @throws whatever the stream fails with (corrupt or truncated input).
 */
async function pipe(Ctor: StreamCtor, bytes: Uint8Array, limit: number, between?: () => Promise<void>): Promise<Uint8Array | undefined> {
  const pair = new Ctor('gzip');
  const writer = pair.writable.getWriter();
  const reader = pair.readable.getReader();
  // The writer's promises reject with the same error the reader sees (or on our cancel): the read
  // loop below reports it, so here it is only kept from being an unhandled rejection.
  (async () => {
    if (!between) await writer.write(bytes);
    else
      for (let at = 0; at < bytes.length; at += PIECE) {
        if (at > 0) await between();
        await writer.write(bytes.subarray(at, at + PIECE));
      }
    await writer.close();
  })().catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value!.length;
    if (total > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value!);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) out.set(c, (at += c.length) - c.length);
  return out;
}

/**
 * What a device stores for mesh bytes it received: a version-2 file wrapped as version 3; anything
 * else (version 1 is already deflated, version 3 already wrapped, not a mesh at all) unchanged, so
 * decodeMesh still says what is wrong with it. Without CompressionStream (older browsers) the bytes
 * are kept as they came, which still open. Answers `bytes` itself or a new array of its own.
 * `between`: awaited between pieces of the input, so a page can yield to input and frames (compressing
 * the largest model is tens of milliseconds of the thread's time).
 */
export async function packMesh(bytes: Uint8Array, between?: () => Promise<void>): Promise<Uint8Array> {
  if (!(bytes.length >= INNER.headerBytes && hasMagic(bytes) && bytes[4] === INNER.version)) return bytes;
  if (bytes.length > MAX_INNER_BYTES || !platform.CompressionStream) return bytes;
  const gz = (await pipe(platform.CompressionStream, bytes, Infinity, between))!;
  const out = new Uint8Array(V3.headerBytes + gz.length);
  out.set(bytes.subarray(0, 4));
  out[4] = V3.version;
  new DataView(out.buffer).setUint32(8, bytes.length, true);
  out.set(gz, V3.headerBytes);
  return out;
}

/**
 * The inner file of a version-3 file (the caller has checked the magic and the version byte), or
 * why not. Never throws. The inner file's own version is the caller's to check.
 */
export async function unpackMeshV3(bytes: Uint8Array): Promise<Unpacked> {
  const H = V3.headerBytes;
  if (bytes.length < H) return failed(`truncated: ${bytes.length} bytes, the header alone is ${H}`);
  if (bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) return failed('corrupt header: reserved bytes are not 0');
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (n > MAX_INNER_BYTES) return failed(`too large: the inner file would be ${n} bytes, more than the ${MAX_INNER_BYTES} this build opens`);
  if (n > MAX_RATIO * (bytes.length - H)) return failed(`corrupt header: ${bytes.length - H} compressed bytes cannot inflate to ${n}`);
  if (!platform.DecompressionStream) return failed('this browser has no DecompressionStream, which mesh format 3 needs');
  let inner: Uint8Array | undefined;
  try {
    inner = await pipe(platform.DecompressionStream, bytes.subarray(H), n);
  } catch (e) {
    return failed(`corrupt gzip stream: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!inner) return failed(`corrupt: the gzip stream inflates to more than the ${n} bytes the header announces`);
  if (inner.length < n) return failed(`truncated: the gzip stream inflates to ${inner.length} bytes, the header announces ${n}`);
  return { ok: true, inner };
}
