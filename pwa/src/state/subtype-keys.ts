// Digit keys choose a subtype by its number, not by its place in the gallery (numbering has gaps: car
// has no 02). Subtypes from 10 up are typed as their digits in quick succession: "1" picks subtype 1,
// "1" then "0" within a second picks 10. Each key press picks the longest typed number that exists.

export const TYPED_NUMBER_MS = 1000;

export interface TypedState {
  digits: string;
  at: number;
}

export function typeSubtypeDigit(
  prev: TypedState | null,
  digit: number,
  now: number,
  available: readonly number[],
): { state: TypedState; subtype: number | null } {
  const fresh = prev && now - prev.at <= TYPED_NUMBER_MS ? prev.digits : '';
  const longer = `${fresh}${digit}`.replace(/^0+/, '');
  if (longer && available.includes(Number(longer))) return { state: { digits: longer, at: now }, subtype: Number(longer) };
  const single = available.includes(digit) ? digit : null;
  return { state: { digits: digit === 0 ? '' : String(digit), at: now }, subtype: single };
}
