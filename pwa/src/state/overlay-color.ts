// The automatic overlay colour: the preset that stands out most against the photo inside the bbox
// (a teal wireframe vanishes on a teal object, a white one on a white cup).
import { COLOR_PRESETS, type OverlayColor } from './view-settings';

type Rgb = [number, number, number];

function rgbOf(hex: string): Rgb {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

/** Perceptual-ish distance ("redmean") between two sRGB colours. */
export function colorDistance(a: Rgb, b: Rgb): number {
  const rm = (a[0] + b[0]) / 2;
  const dr = a[0] - b[0], dg = a[1] - b[1], db = a[2] - b[2];
  return Math.sqrt((2 + rm / 256) * dr * dr + 4 * dg * dg + (2 + (255 - rm) / 256) * db * db);
}

/** The preset farthest from `mean`. */
export function contrastColor(mean: Rgb): (typeof COLOR_PRESETS)[number] {
  let best: (typeof COLOR_PRESETS)[number] = COLOR_PRESETS[0];
  let bestD = -1;
  for (const c of COLOR_PRESETS) {
    const d = colorDistance(rgbOf(c), mean);
    if (d > bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** Mean colour of the photo inside `bbox` (photo pixels), from a 24x24 downscale; null without a canvas. */
export function meanColor(bitmap: ImageBitmap, bbox: readonly [number, number, number, number] | null): Rgb | null {
  const [x1, y1, x2, y2] = bbox ?? [0, 0, bitmap.width, bitmap.height];
  const sx = Math.max(0, Math.floor(x1)), sy = Math.max(0, Math.floor(y1));
  const sw = Math.min(bitmap.width, Math.ceil(x2)) - sx, sh = Math.min(bitmap.height, Math.ceil(y2)) - sy;
  if (sw <= 0 || sh <= 0 || typeof OffscreenCanvas === 'undefined') return null;
  const n = 24;
  const ctx = new OffscreenCanvas(n, n).getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(bitmap, sx, sy, sw, sh, 0, 0, n, n);
  const px = ctx.getImageData(0, 0, n, n).data;
  const sum: Rgb = [0, 0, 0];
  for (let i = 0; i < px.length; i += 4) {
    sum[0] += px[i]!;
    sum[1] += px[i + 1]!;
    sum[2] += px[i + 2]!;
  }
  return sum.map((s) => s / (n * n)) as Rgb;
}

/** The CSS colour to draw with for a setting. */
export function resolveColor(setting: OverlayColor, mean: Rgb | null): string {
  if (setting !== 'auto') return setting;
  return mean ? contrastColor(mean) : COLOR_PRESETS[0];
}
