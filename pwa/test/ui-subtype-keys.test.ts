import { describe, expect, it } from 'vitest';
import { resolveShortcut } from '../src/state/keymap';
import { type TypedState, TYPED_NUMBER_MS, typeSubtypeDigit } from '../src/state/subtype-keys';

const type = (digits: number[], available: number[], gap = 100) => {
  let s: TypedState | null = null;
  const picked: (number | null)[] = [];
  digits.forEach((d, i) => {
    const r = typeSubtypeDigit(s, d, i * gap, available);
    s = r.state;
    picked.push(r.subtype);
  });
  return picked;
};

describe('subtype keys', () => {
  it('a digit picks the subtype of that number, not the n-th in the gallery (car: 1 3 4 5 6 8)', () => {
    const car = [1, 3, 4, 5, 6, 8];
    expect(type([8], car)).toEqual([8]);
    expect(type([2], car)).toEqual([null]);
    expect(type([7], car)).toEqual([null]);
  });

  it('subtypes from 10 up are typed as two quick digits; a slow second digit starts again', () => {
    const chair = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(type([1, 0], chair)).toEqual([1, 10]);
    expect(type([1, 2], chair)).toEqual([1, 2]);
    expect(type([1, 0], chair, TYPED_NUMBER_MS + 1)).toEqual([1, null]);
    expect(type([0], chair)).toEqual([null]);
    expect(type([1, 1, 2], [1, 2, 11, 12])).toEqual([1, 11, 2]);
  });

  it('Digit0 reaches the handler', () => {
    const k = { key: '0', code: 'Digit0', shiftKey: false, ctrlKey: false, metaKey: false, altKey: false };
    expect(resolveShortcut(k)).toEqual({ type: 'subtype', index: 0 });
  });
});
