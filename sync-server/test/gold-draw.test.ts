// The draw rule of qualification retries (policy/gold-draw.ts) on its own; the routes' use of it is in
// qualification-gold.test.ts.
import { describe, expect, it } from 'vitest';
import { attemptSize, drawGold, revealable } from '../src/policy/gold-draw';

const pool = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
/** A seeded generator, so each case runs over many different shuffles reproducibly. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('gold draw', () => {
  it('sizes an attempt by the setting, 0 meaning the whole pool', () => {
    expect(attemptSize(7, 3)).toBe(3);
    expect(attemptSize(7, 0)).toBe(7);
    expect(attemptSize(2, 5)).toBe(2);
  });

  it('R25: draws only questions whose reference was not shown while the pool has enough', () => {
    const revealed = new Set(['a', 'c', 'e']);
    for (let seed = 1; seed <= 50; seed++) {
      const drawn = drawGold(pool, revealed, 3, lcg(seed));
      expect(drawn).toHaveLength(3);
      expect(new Set(drawn).size).toBe(3);
      expect(drawn.filter((q) => revealed.has(q))).toEqual([]);
    }
  });

  it('tops up with shown questions only when too few unseen ones are left, taking every unseen one', () => {
    const revealed = new Set(['a', 'b', 'c', 'd', 'e']);
    const seen = new Set<string>();
    for (let seed = 1; seed <= 50; seed++) {
      const drawn = drawGold(pool, revealed, 3, lcg(seed));
      expect(drawn).toHaveLength(3);
      expect(drawn.filter((q) => !revealed.has(q)).sort()).toEqual(['f', 'g']);
      drawn.filter((q) => revealed.has(q)).forEach((q) => seen.add(q));
    }
    // The top-up is random, not always the same shown question.
    expect(seen.size).toBeGreaterThan(1);
  });

  it('R25: shows the references of a failed attempt only when a full unseen attempt remains', () => {
    // 7 in the pool, 3 per attempt: after a, b, c four are unseen: shown.
    expect(revealable(pool, new Set(), ['a', 'b', 'c'], 3, false)).toEqual(['a', 'b', 'c']);
    // After d, e, f as well only g is unseen: held back.
    expect(revealable(pool, new Set(['a', 'b', 'c']), ['d', 'e', 'f'], 3, false)).toEqual([]);
    // A held-back attempt that repeats shown questions still shows those (nothing new is revealed).
    expect(revealable(pool, new Set(['a', 'b', 'c']), ['a', 'g', 'd'], 3, false)).toEqual(['a']);
    // The whole pool in every attempt: a failed attempt never shows references.
    expect(revealable(pool, new Set(), pool, 0, false)).toEqual([]);
  });

  it('shows every reference after a pass', () => {
    expect(revealable(pool, new Set(), pool, 0, true)).toEqual(pool);
  });
});
