// Exact Euclidean distance transform (Felzenszwalb & Huttenlocher, "Distance transforms of sampled
// functions"): two passes of the 1-D lower envelope of parabolas, linear in the pixel count. Chamfer
// matching reads it as "how far is the nearest edge pixel from here".

const INF = 1e20;

/** 1-D squared distance transform of `f` (length n, stride `stride` from `offset`) in place. */
function edt1d(grid: Float32Array, offset: number, stride: number, n: number, f: Float64Array, v: Int32Array, z: Float64Array): void {
  for (let i = 0; i < n; i++) f[i] = grid[offset + i * stride]!;
  let k = 0;
  v[0] = 0;
  z[0] = -INF;
  z[1] = INF;
  for (let q = 1; q < n; q++) {
    // z[0] = -INF and |s| < INF / 2, so the loop stops at k = 0 at the latest.
    let p = v[k]!;
    let s = (f[q]! + q * q - (f[p]! + p * p)) / (2 * (q - p));
    while (s <= z[k]!) {
      k--;
      p = v[k]!;
      s = (f[q]! + q * q - (f[p]! + p * p)) / (2 * (q - p));
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = INF;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const p = v[k]!;
    grid[offset + q * stride] = (q - p) * (q - p) + f[p]!;
  }
}

/** Scratch rows for `distanceTransform`, reusable across calls up to `n` pixels a side. */
export class DistanceScratch {
  readonly f: Float64Array;
  readonly v: Int32Array;
  readonly z: Float64Array;
  constructor(readonly n: number) {
    this.f = new Float64Array(n);
    this.v = new Int32Array(n);
    this.z = new Float64Array(n + 1);
  }
}

/**
 * Distance in pixels from every pixel to the nearest pixel where `seed` is non-zero; pixels are
 * `INF`-far (≈ 1e10) when there is no seed at all. Writes into `out` when given (length ≥ width·height).
 */
export function distanceTransform(seed: ArrayLike<number>, width: number, height: number, out?: Float32Array, scratch?: DistanceScratch): Float32Array {
  const grid = out ?? new Float32Array(width * height);
  const n = Math.max(width, height);
  for (let i = 0; i < width * height; i++) grid[i] = seed[i] ? 0 : INF;
  const s = scratch && scratch.n >= n ? scratch : new DistanceScratch(n);
  const { f, v, z } = s;
  for (let x = 0; x < width; x++) edt1d(grid, x, width, height, f, v, z);
  for (let y = 0; y < height; y++) edt1d(grid, y * width, 1, width, f, v, z);
  for (let i = 0; i < width * height; i++) grid[i] = Math.sqrt(grid[i]!);
  return grid;
}

/**
 * Chamfer (3-4) distance to the nearest seed, in pixels, within about 8% of the Euclidean one and
 * capped at `cap`: two raster passes, for the per-pose distance maps where speed beats exactness.
 * Only the window [x0, x1) × [y0, y1) is computed (seeds outside it are not seen), the rest of `out`
 * is left as it was.
 */
export function chamferDistance(
  seed: ArrayLike<number>,
  width: number,
  height: number,
  cap: number,
  out: Float32Array,
  win: readonly [number, number, number, number] = [0, 0, width, height],
): Float32Array {
  const big = Math.ceil(cap * 3) + 4;
  const d = out;
  const x0 = Math.max(0, win[0]), y0 = Math.max(0, win[1]), x1 = Math.min(width, win[2]), y1 = Math.min(height, win[3]);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) d[y * width + x] = seed[y * width + x] ? 0 : big;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = y * width + x;
      let v = d[i]!;
      if (v === 0) continue;
      if (x > x0 && d[i - 1]! + 3 < v) v = d[i - 1]! + 3;
      if (y > y0) {
        const u = i - width;
        if (d[u]! + 3 < v) v = d[u]! + 3;
        if (x > x0 && d[u - 1]! + 4 < v) v = d[u - 1]! + 4;
        if (x < x1 - 1 && d[u + 1]! + 4 < v) v = d[u + 1]! + 4;
      }
      d[i] = v;
    }
  for (let y = y1 - 1; y >= y0; y--)
    for (let x = x1 - 1; x >= x0; x--) {
      const i = y * width + x;
      let v = d[i]!;
      if (v === 0) continue;
      if (x < x1 - 1 && d[i + 1]! + 3 < v) v = d[i + 1]! + 3;
      if (y < y1 - 1) {
        const u = i + width;
        if (d[u]! + 3 < v) v = d[u]! + 3;
        if (x < x1 - 1 && d[u + 1]! + 4 < v) v = d[u + 1]! + 4;
        if (x > x0 && d[u - 1]! + 4 < v) v = d[u - 1]! + 4;
      }
      d[i] = v;
    }
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) d[y * width + x] = Math.min(cap, d[y * width + x]! / 3);
  return d;
}
