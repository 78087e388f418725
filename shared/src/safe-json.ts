// JSON that cannot hurt the reader: a depth-checked parse, and one walk that measures a parsed value's
// nesting and finds ill-formed text. Everything here is iterative, so no input can overflow the stack
// (JSON.stringify and most validators recurse; call them only on values that passed these checks).
// Pure (no DOM, no Node), so the server, the app and tests share it.

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Parses `text` as JSON, refusing it before parsing when arrays/objects nest deeper than `maxDepth`
 * (the top-level object or array is depth 1).
 */
export function parseJsonLimited(text: string, maxDepth: number): JsonParse {
  const depth = textDepth(text, maxDepth);
  if (depth > maxDepth) return { ok: false, message: `JSON nests deeper than ${maxDepth} levels` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: 'Body is not valid JSON' };
  }
}

/** Bracket depth of JSON text outside strings, stopping as soon as it passes `stopAbove`. */
function textDepth(text: string, stopAbove: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max && (max = depth) > stopAbove) return max;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return max;
}

export interface JsonInspection {
  /** Nesting depth of arrays/objects (a scalar is 0, `{}` is 1); stops counting past `maxDepth`. */
  depth: number;
  /** Path of the first string (value or key) holding a lone UTF-16 surrogate, or null. */
  illFormedAt: string | null;
}

const LONE_SURROGATE = /\p{Surrogate}/u;

/** True when `s` is valid Unicode: every UTF-16 surrogate is half of a pair. */
export const isWellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);

/** `s` with each lone surrogate replaced by U+FFFD, for text we compose from client input. */
export const toWellFormed = (s: string): string => s.replace(/\p{Surrogate}/gu, '\uFFFD');

/** One iterative walk over a parsed JSON value; deeper than `maxDepth` it stops and reports maxDepth + 1. */
export function inspectJson(value: unknown, maxDepth: number): JsonInspection {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '' }];
  let depth = 0;
  let illFormedAt: string | null = null;
  while (stack.length) {
    const { v, depth: d, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (illFormedAt === null && !isWellFormed(v)) illFormedAt = path || '(value)';
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const here = d + 1;
    if (here > depth) depth = here;
    if (depth > maxDepth) return { depth, illFormedAt };
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
    for (const [k, x] of entries) {
      const p = path ? `${path}.${k}` : k;
      if (illFormedAt === null && !isWellFormed(k)) illFormedAt = p;
      stack.push({ v: x, depth: here, path: p });
    }
  }
  return { depth, illFormedAt };
}

/** Bytes of `s` in UTF-8 (a lone surrogate counts 3, as encoders that replace it write U+FFFD). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
