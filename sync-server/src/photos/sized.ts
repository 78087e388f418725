// Photos at the width a screen needs: a 1024-pixel photo on a phone, or one far larger than the
// viewport, costs a slow link seconds for pixels nobody sees. JPEGs are decoded (jpeg-js), shrunk with
// a box filter (each output pixel the mean of the source pixels it covers: no aliasing when shrinking)
// and encoded again (the project's encoder, demo/jpeg.ts), once per photo version and width: the result
// is kept on disk under DATA_DIR/.cache/photos (files/disk-cache.ts), so later requests read a file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { encodeJpegRgba, type RgbaImage } from '../demo/jpeg';
import { cachedFile } from '../files/disk-cache';

/** Widths are rounded up to this step, so the disk holds a few sizes per photo, not one per window. */
export const WIDTH_STEP = 128;
export const MAX_WIDTH = 4096;
const QUALITY = 85;
/** jpeg-js refuses to allocate more than this while decoding: a huge file is refused, not a server out of memory. */
const MAX_DECODE_MB = 512;

/** The width to send for a request of `asked` pixels: rounded up, capped; null means the original. */
export function servedWidth(asked: number, original: number): number | null {
  const w = Math.min(MAX_WIDTH, Math.ceil(asked / WIDTH_STEP) * WIDTH_STEP);
  return w < original ? w : null;
}

/** Box-filter downscale of RGBA pixels to `w` x `h` (both no larger than the source). */
export function shrink(src: RgbaImage, w: number, h: number): RgbaImage {
  const out = new Uint8Array(w * h * 4);
  const sx = src.width / w, sy = src.height / h;
  const sum = new Float64Array(4);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor(y * sy), y1 = Math.max(y0 + 1, Math.min(src.height, Math.floor((y + 1) * sy)));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor(x * sx), x1 = Math.max(x0 + 1, Math.min(src.width, Math.floor((x + 1) * sx)));
      sum.fill(0);
      for (let yy = y0; yy < y1; yy++) {
        let i = (yy * src.width + x0) * 4;
        for (let xx = x0; xx < x1; xx++, i += 4) {
          sum[0]! += src.data[i]!;
          sum[1]! += src.data[i + 1]!;
          sum[2]! += src.data[i + 2]!;
        }
      }
      const n = (y1 - y0) * (x1 - x0), o = (y * w + x) * 4;
      out[o] = Math.round(sum[0]! / n);
      out[o + 1] = Math.round(sum[1]! / n);
      out[o + 2] = Math.round(sum[2]! / n);
      out[o + 3] = 255;
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * The JPEG at `file` (version `etag`) at `width` pixels across, from the disk cache or made now.
 * Concurrent requests for the same size share one encode.
 */
export function sizedJpeg(dataDir: string, file: string, etag: string, width: number): Promise<Uint8Array> {
  // The etag names the cache file: only plain characters, so it cannot point outside the cache folder.
  if (!/^[0-9A-Za-z_-]{1,128}$/.test(etag) || !Number.isInteger(width)) return Promise.reject(new Error(`no sized copy for etag ${JSON.stringify(etag)}`));
  return cachedFile(join(dataDir, '.cache', 'photos', `${etag}-w${width}.jpg`), async () => {
    const src = jpeg.decode(await readFile(file), { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: MAX_DECODE_MB });
    const height = Math.max(1, Math.round((src.height * width) / src.width));
    return encodeJpegRgba(shrink({ width: src.width, height: src.height, data: src.data }, width, height), QUALITY);
  });
}
