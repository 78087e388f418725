// Photos at the width a screen needs: a 1024-pixel photo on a phone, or one far larger than the
// viewport, costs a slow link seconds for pixels nobody sees. JPEGs are decoded (jpeg-js), shrunk with
// a box filter (each output pixel the mean of the source pixels it covers: no aliasing when shrinking)
// and encoded again (the project's encoder, demo/jpeg.ts), once per photo version and width: the result
// is kept on disk under DATA_DIR/.cache/photos (files/disk-cache.ts), so later requests read a file.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
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
  return cachedFile(join(dataDir, '.cache', 'photos', `${etag}-w${width}.jpg`), async () => shrinkOffThread(await readFile(file), width));
}

/** Decodes the JPEG `bytes`, shrinks it to `width` pixels across and encodes it again (seconds of CPU for a large photo). */
export function shrinkJpeg(bytes: Uint8Array, width: number): Uint8Array {
  const src = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: MAX_DECODE_MB });
  const height = Math.max(1, Math.round((src.height * width) / src.width));
  return encodeJpegRgba(shrink({ width: src.width, height: src.height, data: src.data }, width, height), QUALITY);
}

// jpeg-js is pure JavaScript: on the server's thread a 20-megapixel photo stops every other request
// (sync pushes, other photos, /api/health) for seconds. Each shrink runs in its own worker thread, one
// at a time (a large decode holds hundreds of MB; the thread's memory goes when it ends).
// The thread loads this module through tsx's API (the server runs TypeScript through tsx), so it needs
// no file of its own and no loader flags, which worker threads do not all take.
const BOOT = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.tsx).then(({ tsImport }) => tsImport(workerData.module, workerData.module)).then(({ shrinkJpeg }) => {
  const out = shrinkJpeg(workerData.bytes, workerData.width);
  parentPort.postMessage(out, [out.buffer]);
});`;
const TSX_API = (() => {
  // tsx's ESM API (its CommonJS one cannot load in a thread), found through its package's exports map.
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const exports = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  return new URL(exports['./esm/api']!.import.default, pathToFileURL(pkg)).href;
})();
let queue: Promise<unknown> = Promise.resolve();

function shrinkOffThread(bytes: Uint8Array, width: number): Promise<Uint8Array> {
  const run = () =>
    new Promise<Uint8Array>((resolve, reject) => {
      const w = new Worker(BOOT, { eval: true, workerData: { tsx: TSX_API, module: import.meta.url, bytes, width } });
      w.once('message', (out: Uint8Array) => resolve(out));
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`the photo shrinking thread stopped (exit code ${code})`)));
    });
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

