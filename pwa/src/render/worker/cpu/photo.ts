// The photo under the CPU overlay, scaled in JS. Letting Canvas2D scale it is fast, but reading the
// result back (getImageData) to blend over costs more than the whole scaling here, and it is what
// stands between "next question" and its first frame.
import type { Rect } from '../view';
import type { Frame } from './raster';

export interface Pixels {
  /** 0xAABBGGRR, row-major. */
  data: Uint32Array;
  width: number;
  height: number;
}

type PixelCanvas = {
  getContext(id: '2d', o?: { willReadFrequently?: boolean }): {
    drawImage(b: ImageBitmap, x: number, y: number): void;
    getImageData(x: number, y: number, w: number, h: number): ImageData;
  } | null;
};

/** The bitmap's pixels at its own size. */
export function bitmapPixels(bitmap: ImageBitmap): Pixels {
  const { width, height } = bitmap;
  let canvas: PixelCanvas | undefined;
  if (typeof OffscreenCanvas !== 'undefined') canvas = new OffscreenCanvas(width, height);
  else {
    // Main-thread fallback in a browser without OffscreenCanvas (`document` is not in the worker realm).
    const doc = (globalThis as { document?: { createElement(t: 'canvas'): PixelCanvas & { width: number; height: number } } }).document;
    const c = doc?.createElement('canvas');
    if (c) {
      c.width = width;
      c.height = height;
    }
    canvas = c;
  }
  const ctx = canvas?.getContext('2d', { willReadFrequently: true });
  if (!ctx) return { data: new Uint32Array(width * height), width, height };
  ctx.drawImage(bitmap, 0, 0);
  return { data: new Uint32Array(ctx.getImageData(0, 0, width, height).data.buffer), width, height };
}

/** Half size, each pixel the mean of a 2x2 block (an odd last row or column is dropped). */
export function halve(src: Pixels): Pixels {
  const w = Math.max(1, src.width >> 1), h = Math.max(1, src.height >> 1);
  const out = new Uint32Array(w * h);
  const sw = src.width, d = src.data;
  for (let y = 0; y < h; y++) {
    const r0 = Math.min(2 * y, src.height - 1) * sw, r1 = Math.min(2 * y + 1, src.height - 1) * sw;
    for (let x = 0; x < w; x++) {
      const x0 = Math.min(2 * x, sw - 1), x1 = Math.min(2 * x + 1, sw - 1);
      const a = d[r0 + x0]!, b = d[r0 + x1]!, c = d[r1 + x0]!, e = d[r1 + x1]!;
      const rb = ((((a & 0xff00ff) + (b & 0xff00ff) + (c & 0xff00ff) + (e & 0xff00ff)) >>> 2) & 0xff00ff);
      const g = ((((a & 0xff00) + (b & 0xff00) + (c & 0xff00) + (e & 0xff00)) >>> 2) & 0xff00);
      out[y * w + x] = (0xff000000 | rb | g) >>> 0;
    }
  }
  return { data: out, width: w, height: h };
}

/** Halves until the scale to `rect` is at least 1/2, so bilinear sampling below does not alias. */
export function levelFor(pyramid: Pixels[], rect: Rect): Pixels {
  let level = pyramid[0]!;
  for (let i = 1; rect.w / level.width < 0.5 && level.width > 1 && level.height > 1; i++) {
    pyramid[i] ??= halve(level);
    level = pyramid[i]!;
  }
  return level;
}

/**
 * Draws `src` stretched over `rect` (device pixels, may be partly off the frame) into `dst` with
 * bilinear filtering; pixels of `dst` outside the rect are left alone. Output is opaque.
 */
export function drawScaled(dst: Frame, src: Pixels, rect: Rect): void {
  const { data: out, width: W, height: H } = dst;
  const { data: s, width: sw, height: sh } = src;
  if (rect.w <= 0 || rect.h <= 0 || sw === 0 || sh === 0) return;
  const x0 = Math.max(0, Math.ceil(rect.x - 0.5)), x1 = Math.min(W, Math.ceil(rect.x + rect.w - 0.5));
  const y0 = Math.max(0, Math.ceil(rect.y - 0.5)), y1 = Math.min(H, Math.ceil(rect.y + rect.h - 0.5));
  if (x0 >= x1 || y0 >= y1) return;
  const kx = sw / rect.w, ky = sh / rect.h;
  // Per column: the two source columns and the 8-bit weight of the right one.
  const n = x1 - x0;
  const colA = new Int32Array(n), colB = new Int32Array(n), colW = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.min(sw - 1, Math.max(0, (x0 + i + 0.5 - rect.x) * kx - 0.5));
    const a = Math.floor(u);
    colA[i] = a;
    colB[i] = Math.min(sw - 1, a + 1);
    colW[i] = Math.round((u - a) * 256);
  }
  for (let y = y0; y < y1; y++) {
    const v = Math.min(sh - 1, Math.max(0, (y + 0.5 - rect.y) * ky - 0.5));
    const r = Math.floor(v);
    const fy = Math.round((v - r) * 256), iy = 256 - fy;
    const ra = r * sw, rb = Math.min(sh - 1, r + 1) * sw;
    const row = y * W + x0;
    for (let i = 0; i < n; i++) {
      const fx = colW[i]!, ix = 256 - fx;
      const p = s[ra + colA[i]!]!, q = s[ra + colB[i]!]!, t = s[rb + colA[i]!]!, u = s[rb + colB[i]!]!;
      // Two channels per multiply (red and blue 16 bits apart, green alone); 8-bit weights.
      const topRB = (((p & 0xff00ff) * ix + (q & 0xff00ff) * fx) >>> 8) & 0xff00ff;
      const topG = (((p & 0xff00) * ix + (q & 0xff00) * fx) >>> 8) & 0xff00;
      const botRB = (((t & 0xff00ff) * ix + (u & 0xff00ff) * fx) >>> 8) & 0xff00ff;
      const botG = (((t & 0xff00) * ix + (u & 0xff00) * fx) >>> 8) & 0xff00;
      out[row + i] = 0xff000000 | (((topRB * iy + botRB * fy) >>> 8) & 0xff00ff) | (((topG * iy + botG * fy) >>> 8) & 0xff00);
    }
  }
}
