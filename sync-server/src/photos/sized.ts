// Photos at the width a screen needs: a 1024-pixel photo on a phone, or one far larger than the
// viewport, costs a slow link seconds for pixels nobody sees. The copy is made by sharp (libvips):
// it decodes a JPEG at 1/2, 1/4 or 1/8 scale straight from the DCT when that is enough, so a 48-MP
// phone photo shrinks in well under a second and in tens of MB, on libuv's thread pool rather than
// the event loop that serves everyone's saves (the pure-JS decoder before it needed ~900 MB and 18 s
// for one, and refused it). Made once per photo version and width and kept on disk under
// DATA_DIR/.cache/photos (files/disk-cache.ts), so later requests read a file.
import { join } from 'node:path';
import sharp from 'sharp';
import { cachedFile } from '../files/disk-cache';
import { MAX_PHOTO_PIXELS } from './limits';

/** Widths are rounded up to this step, so the disk holds a few sizes per photo, not one per window. */
export const WIDTH_STEP = 128;
export const MAX_WIDTH = 4096;
const QUALITY = 85;

/**
 * Copies made at once. Each holds one of libuv's four pool threads, which every file read of every other
 * request also needs; a device reading ahead asks for several photos at a time.
 */
const MAX_AT_ONCE = 2;
let making = 0;
const waiting: (() => void)[] = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (making >= MAX_AT_ONCE) await new Promise<void>((go) => waiting.push(go));
  else making++;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next in line, so a newcomer cannot slip in between.
    const next = waiting.shift();
    if (next) next();
    else making--;
  }
}

/** The width to send for a request of `asked` pixels: rounded up, capped; null means the original. */
export function servedWidth(asked: number, original: number): number | null {
  const w = Math.min(MAX_WIDTH, Math.ceil(asked / WIDTH_STEP) * WIDTH_STEP);
  return w < original ? w : null;
}

/**
 * The JPEG at `file` (version `etag`) at `width` pixels across, from the disk cache or made now.
 * Concurrent requests for the same size share one encode. Pixels stay in the file's own frame (no
 * EXIF rotation, as the original tool's PIL read them): boxes and poses are given in that frame.
 */
export function sizedJpeg(dataDir: string, file: string, etag: string, width: number): Promise<Uint8Array> {
  // The etag names the cache file: only plain characters, so it cannot point outside the cache folder.
  if (!/^[0-9A-Za-z_-]{1,128}$/.test(etag) || !Number.isInteger(width)) return Promise.reject(new Error(`no sized copy for etag ${JSON.stringify(etag)}`));
  return cachedFile(join(dataDir, '.cache', 'photos', `${etag}-w${width}.jpg`), () => inTurn(async () => {
    const source = sharp(file, { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'error' });
    const { width: w0, height: h0 } = await source.metadata();
    if (!w0 || !h0) throw new Error(`${file}: no image size`);
    const height = Math.max(1, Math.round((h0 * width) / w0));
    const out = await source.resize(width, height, { fit: 'fill', kernel: 'lanczos3' }).jpeg({ quality: QUALITY }).toBuffer();
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  }));
}
