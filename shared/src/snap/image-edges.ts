// The photo side of Snap: the region around the bounding box, downsampled to a working size,
// smoothed, its colour gradient (the strongest of R, G, B at each pixel, so an orange chair on a grey
// floor of the same brightness still has an edge), thin edges (non-maximum suppression + hysteresis,
// as Canny), and one distance transform per edge orientation for oriented chamfer matching.
import { DistanceScratch, distanceTransform } from './distance';

/** RGBA pixels, row-major, as ImageData and jpeg-js give them. */
export interface RgbaImage {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

/** Edge orientations are binned over 180° (an edge has no direction). */
export const ORIENTATION_BINS = 8;

export interface EdgeLevel {
  /** Level pixels = (image pixels − origin) · scale. */
  scale: number;
  x0: number;
  y0: number;
  width: number;
  height: number;
  /** Per orientation bin: distance (level pixels) to the nearest edge pixel of about that orientation. */
  oriented: Float32Array[];
  /** Edge pixel indices inside the bounding box (for the photo → model term). */
  boxEdges: Int32Array;
  /** The bounding box in level pixels, and which of its sides lie on the photo border (truncated). */
  box: [number, number, number, number];
  truncated: [boolean, boolean, boolean, boolean];
  /** Count of edge pixels in the whole level (diagnostics). */
  edgeCount: number;
}

export interface EdgeLevelOptions {
  /** The bounding box (x1, y1, x2, y2) in image pixels. */
  bbox: readonly [number, number, number, number];
  /** Working size: the longer side of the region, in level pixels (never upsampled). */
  size: number;
  /** Margin around the bounding box, as a fraction of its larger side. */
  margin?: number;
}

/** Bin of an undirected orientation given by a direction (dx, dy). */
export function orientationBin(dx: number, dy: number): number {
  let a = Math.atan2(dy, dx);
  if (a < 0) a += Math.PI;
  return Math.round((a / Math.PI) * ORIENTATION_BINS) % ORIENTATION_BINS;
}

function blur3(src: Float32Array, w: number, h: number): Float32Array {
  // Separable Gaussian, σ ≈ 1 (binomial 1-4-6-4-1), edges clamped.
  const tmp = new Float32Array(src.length), out = new Float32Array(src.length);
  const at = (v: number, n: number) => (v < 0 ? 0 : v >= n ? n - 1 : v);
  for (let y = 0; y < h; y++) {
    const r = y * w;
    for (let x = 0; x < w; x++)
      tmp[r + x] = (src[r + at(x - 2, w)]! + src[r + at(x + 2, w)]! + 4 * (src[r + at(x - 1, w)]! + src[r + at(x + 1, w)]!) + 6 * src[r + x]!) / 16;
  }
  for (let y = 0; y < h; y++) {
    const a = at(y - 2, h) * w, b = at(y - 1, h) * w, r = y * w, c = at(y + 1, h) * w, d = at(y + 2, h) * w;
    for (let x = 0; x < w; x++) out[r + x] = (tmp[a + x]! + tmp[d + x]! + 4 * (tmp[b + x]! + tmp[c + x]!) + 6 * tmp[r + x]!) / 16;
  }
  return out;
}

/** Area-average downsampling of the region [x0, x1) × [y0, y1) into w×h, three channels (planar). */
function sampleRegion(img: RgbaImage, x0: number, y0: number, x1: number, y1: number, scale: number, w: number, h: number): Float32Array[] {
  const sums = [new Float32Array(w * h), new Float32Array(w * h), new Float32Array(w * h)];
  const count = new Float32Array(w * h);
  const d = img.data, iw = img.width;
  for (let y = y0; y < y1; y++) {
    const ty = Math.min(h - 1, Math.floor((y - y0 + 0.5) * scale)) * w;
    for (let x = x0; x < x1; x++) {
      const t = ty + Math.min(w - 1, Math.floor((x - x0 + 0.5) * scale));
      const s = 4 * (y * iw + x);
      sums[0]![t]! += d[s]!;
      sums[1]![t]! += d[s + 1]!;
      sums[2]![t]! += d[s + 2]!;
      count[t]!++;
    }
  }
  for (const ch of sums) for (let i = 0; i < ch.length; i++) ch[i] = count[i]! > 0 ? ch[i]! / count[i]! : 0;
  return sums;
}

export function buildEdgeLevel(img: RgbaImage, opts: EdgeLevelOptions): EdgeLevel {
  const [bx1, by1, bx2, by2] = opts.bbox;
  const bw = Math.max(1, bx2 - bx1), bh = Math.max(1, by2 - by1);
  const m = (opts.margin ?? 0.15) * Math.max(bw, bh);
  const x0 = Math.max(0, Math.floor(bx1 - m)), y0 = Math.max(0, Math.floor(by1 - m));
  const x1 = Math.min(img.width, Math.ceil(bx2 + m)), y1 = Math.min(img.height, Math.ceil(by2 + m));
  const scale = Math.min(1, opts.size / Math.max(x1 - x0, y1 - y0, 1));
  const w = Math.max(3, Math.round((x1 - x0) * scale)), h = Math.max(3, Math.round((y1 - y0) * scale));

  // Strongest-channel Sobel gradient.
  const gx = new Float32Array(w * h), gy = new Float32Array(w * h), mag = new Float32Array(w * h);
  const region = sampleRegion(img, x0, y0, x1, y1, scale, w, h);
  for (let c = 0; c < 3; c++) {
    const ch = blur3(region[c]!, w, h);
    for (let y = 1; y < h - 1; y++)
      for (let x = 1; x < w - 1; x++) {
        const i = y * w + x;
        const a = ch[i - w - 1]!, b = ch[i - w]!, cc = ch[i - w + 1]!, d = ch[i - 1]!, f = ch[i + 1]!, g = ch[i + w - 1]!, hh = ch[i + w]!, k = ch[i + w + 1]!;
        const sx = (cc + 2 * f + k - a - 2 * d - g) / 8, sy = (g + 2 * hh + k - a - 2 * b - cc) / 8;
        const m2 = sx * sx + sy * sy;
        if (m2 > mag[i]!) {
          mag[i] = m2;
          gx[i] = sx;
          gy[i] = sy;
        }
      }
  }
  for (let i = 0; i < mag.length; i++) mag[i] = Math.sqrt(mag[i]!);

  // Non-maximum suppression across the edge.
  const thin = new Float32Array(w * h);
  for (let y = 1; y < h - 1; y++)
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x, v = mag[i]!;
      if (v === 0) continue;
      const ax = Math.abs(gx[i]!), ay = Math.abs(gy[i]!);
      let o: number;
      if (ay <= 0.414 * ax) o = 1;
      else if (ax <= 0.414 * ay) o = w;
      else o = gx[i]! * gy[i]! > 0 ? w + 1 : w - 1;
      if (v >= mag[i - o]! && v > mag[i + o]!) thin[i] = v;
    }

  // Hysteresis thresholds relative to this region's own contrast, with a floor for flat noisy regions.
  const strong: number[] = [];
  for (let i = 0; i < thin.length; i++) if (thin[i]! > 0) strong.push(thin[i]!);
  strong.sort((a, b) => a - b);
  const p90 = strong.length ? strong[Math.floor(strong.length * 0.9)]! : 0;
  const hi = Math.max(4, 0.3 * p90), lo = Math.max(2, 0.4 * hi);
  const edge = new Uint8Array(w * h);
  const stack: number[] = [];
  const around = [-w - 1, -w, -w + 1, -1, 1, w - 1, w, w + 1];
  for (let i = 0; i < thin.length; i++)
    if (thin[i]! >= hi && !edge[i]) {
      edge[i] = 1;
      stack.push(i);
      while (stack.length) {
        const j = stack.pop()!;
        for (let q = 0; q < 8; q++) {
          const n = j + around[q]!;
          if (n >= 0 && n < edge.length && !edge[n] && thin[n]! >= lo) {
            edge[n] = 1;
            stack.push(n);
          }
        }
      }
    }

  // One seed map per orientation bin; each edge pixel also seeds the nearer neighbouring bin, so
  // matching tolerates about ±1 bin of orientation error.
  const seeds = Array.from({ length: ORIENTATION_BINS }, () => new Uint8Array(w * h));
  let edgeCount = 0;
  for (let i = 0; i < edge.length; i++) {
    if (!edge[i]) continue;
    edgeCount++;
    // Edge direction is perpendicular to the gradient.
    let a = Math.atan2(gx[i]!, -gy[i]!);
    if (a < 0) a += Math.PI;
    const f = (a / Math.PI) * ORIENTATION_BINS;
    const b = Math.round(f) % ORIENTATION_BINS;
    const nb = (f - Math.round(f) >= 0 ? b + 1 : b + ORIENTATION_BINS - 1) % ORIENTATION_BINS;
    seeds[b]![i] = 1;
    seeds[nb]![i] = 1;
  }
  const scratch = new DistanceScratch(Math.max(w, h));
  const oriented = seeds.map((s) => distanceTransform(s, w, h, undefined, scratch));

  const box: [number, number, number, number] = [(bx1 - x0) * scale, (by1 - y0) * scale, (bx2 - x0) * scale, (by2 - y0) * scale];
  const inBox: number[] = [];
  for (let y = Math.max(0, Math.floor(box[1])); y < Math.min(h, Math.ceil(box[3])); y++)
    for (let x = Math.max(0, Math.floor(box[0])); x < Math.min(w, Math.ceil(box[2])); x++) if (edge[y * w + x]) inBox.push(y * w + x);
  const border = 1.5;
  return {
    scale,
    x0,
    y0,
    width: w,
    height: h,
    oriented,
    boxEdges: Int32Array.from(inBox),
    box,
    truncated: [bx1 <= border, by1 <= border, bx2 >= img.width - 1 - border, by2 >= img.height - 1 - border],
    edgeCount,
  };
}
