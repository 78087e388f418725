// The depth-checked JSON helpers behind shared/SPEC.md R31, R32 and R35.
import { describe, expect, it } from 'vitest';
import { inspectJson, isWellFormed, parseJsonLimited, toWellFormed, utf8Length } from '../src/safe-json';
import { decimalInt, safeInt, safeText } from '../src/safe-values';

describe('safe JSON', () => {
  it('R31: parseJsonLimited refuses nesting past the limit before parsing, ignoring brackets inside strings', () => {
    expect(parseJsonLimited('[[1]]', 2)).toEqual({ ok: true, value: [[1]] });
    expect(parseJsonLimited('[[[1]]]', 2)).toMatchObject({ ok: false, message: expect.stringMatching(/deeper than 2/) });
    expect(parseJsonLimited('["[[[[", "\\"[[[", {"a": "{{{"}]', 2)).toMatchObject({ ok: true });
    expect(parseJsonLimited('['.repeat(1_000_000), 100)).toMatchObject({ ok: false, message: expect.stringMatching(/deeper/) });
    expect(parseJsonLimited('{"a": ', 10)).toEqual({ ok: false, message: 'Body is not valid JSON' });
  });

  it('R32/R35: inspectJson measures depth without recursion and finds lone surrogates in keys and values', () => {
    expect(inspectJson(1, 5)).toEqual({ depth: 0, illFormedAt: null, tooLong: false });
    expect(inspectJson({ a: [{ b: 1 }] }, 5)).toEqual({ depth: 3, illFormedAt: null, tooLong: false });
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(inspectJson(deep, 16).depth).toBe(17);
    expect(inspectJson({ a: ['ok', 'x\ud800'] }, 5).illFormedAt).toBe('a.1');
    expect(inspectJson({ ['k\udc00']: 1 }, 5).illFormedAt).toBe('k\udc00');
    expect(inspectJson({ a: 'emoji \ud83d\ude00' }, 5).illFormedAt).toBeNull();
  });

  it('R32: the walk stops once the JSON is surely longer than maxChars (a lower bound, never above the real length)', () => {
    const wide = new Array(2_000_000).fill(0);
    expect(inspectJson(wide, 16, 16_384).tooLong).toBe(true);
    for (const v of [{ a: 'x'.repeat(100), b: [1, 2, null, true] }, ['é€\ud83d\ude00', { k: {} }], 'plain']) {
      const len = JSON.stringify(v).length;
      expect(inspectJson(v, 16, len).tooLong, JSON.stringify(v)).toBe(false);
    }
    expect(inspectJson({ a: 'x'.repeat(100) }, 16, 50).tooLong).toBe(true);
  });

  it('R35: well-formed text, and lone surrogates replaced in composed text', () => {
    expect(isWellFormed('a\ud83d\ude00b')).toBe(true);
    for (const s of ['\ud800', 'a\udc00', '\ude00\ud83d', '\ud83d']) expect(isWellFormed(s), JSON.stringify(s)).toBe(false);
    expect(toWellFormed('a\ud800b')).toBe('a\uFFFDb');
    expect(safeText(1, 5).safeParse('x\ud800').success).toBe(false);
    expect(safeText(1, 5).safeParse('x\ud83d\ude00').success).toBe(true);
  });

  it('R32: utf8Length agrees with a UTF-8 encoder', () => {
    for (const s of ['', 'abc', 'é', '€', '\ud83d\ude00', 'mixed é € \ud83d\ude00 x']) expect(utf8Length(s), s).toBe(Buffer.byteLength(s, 'utf8'));
  });

  it('R33: safeInt stops at 2^53 − 1 and decimalInt takes digits only', () => {
    expect(safeInt(1).safeParse(Number.MAX_SAFE_INTEGER).success).toBe(true);
    for (const n of [1e308, 2 ** 53, 0, 1.5]) expect(safeInt(1).safeParse(n).success, String(n)).toBe(false);
    expect(decimalInt(0).safeParse('9007199254740991')).toEqual({ success: true, data: Number.MAX_SAFE_INTEGER });
    for (const s of ['1e3', '0x10', '01', '+1', '-1', ' 1', '1.0', '', '9007199254740992']) expect(decimalInt(0).safeParse(s).success, s).toBe(false);
  });
});
