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

/**
 * Distance in pixels from every pixel to the nearest pixel where `seed` is non-zero; pixels are
 * `INF`-far (≈ 1e10) when there is no seed at all. Returns a new width·height array.
 */
export function distanceTransform(seed: ArrayLike<number>, width: number, height: number): Float32Array {
  const grid = new Float32Array(width * height);
  for (let i = 0; i < grid.length; i++) grid[i] = seed[i] ? 0 : INF;
  const n = Math.max(width, height);
  const f = new Float64Array(n), v = new Int32Array(n), z = new Float64Array(n + 1);
  for (let x = 0; x < width; x++) edt1d(grid, x, width, height, f, v, z);
  for (let y = 0; y < height; y++) edt1d(grid, y * width, 1, width, f, v, z);
  for (let i = 0; i < grid.length; i++) grid[i] = Math.sqrt(grid[i]!);
  return grid;
}
