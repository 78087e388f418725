// The dashboard charts' scales: counts start at 0 (a bar's height is its value, never an offset), and a
// numeric x axis starts at 0 too; a time axis is padded by a day so a single bar is not stretched over years.
export function xRange(xs: readonly number[], time: boolean): [number, number] | undefined {
  if (xs.length === 0) return undefined;
  const first = xs[0]!, last = xs[xs.length - 1]!;
  // Half a step each side, so the first and last bars are whole.
  const pad = time ? 86400 : xs.length > 1 ? (xs[1]! - first) / 2 : 1;
  return [time ? first - pad : Math.min(0, first - pad), last + pad];
}

/** 0 to a little above the largest value (at least 1, so an all-zero series still has an axis). */
export function yRange(max: number | null | undefined): [number, number] {
  if (typeof max !== 'number' || !Number.isFinite(max) || max <= 0) return [0, 1];
  // A tenth of head-room, rounded up to a whole count: the tallest bar does not touch the frame.
  return [0, Math.ceil(max + max / 10)];
}
