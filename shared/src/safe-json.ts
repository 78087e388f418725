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
  /** True when the value's compact JSON is surely longer than `maxChars` (the walk stopped early). */
  tooLong: boolean;
}

const LONE_SURROGATE = /\p{Surrogate}/u;

/** True when `s` is valid Unicode: every UTF-16 surrogate is half of a pair. */
export const isWellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);

/** `s` with each lone surrogate replaced by U+FFFD, for text we compose from client input. */
export const toWellFormed = (s: string): string => s.replace(/\p{Surrogate}/gu, '\uFFFD');

interface Node {
  v: unknown;
  depth: number;
  parent: Node | null;
  key: string;
}
const pathOf = (n: Node): string => {
  const keys: string[] = [];
  for (let p: Node | null = n; p && p.parent; p = p.parent) keys.push(p.key);
  return keys.reverse().join('.') || '(value)';
};

/**
 * One iterative walk over a parsed JSON value. It stops as soon as the depth passes `maxDepth` (reporting
 * maxDepth + 1) or a lower bound of the compact JSON length passes `maxChars` (every value is at least
 * one character, a string or key its length plus quotes), so its work is bounded by the limits, not by
 * the input.
 */
export function inspectJson(value: unknown, maxDepth: number, maxChars = Infinity): JsonInspection {
  const stack: Node[] = [{ v: value, depth: 0, parent: null, key: '' }];
  let depth = 0;
  let chars = 1; // each value is counted (one character) when it is found; a string adds its length when visited
  let illFormedAt: string | null = null;
  const result = (tooLong: boolean): JsonInspection => ({ depth, illFormedAt, tooLong });
  while (stack.length) {
    const node = stack.pop()!;
    const { v } = node;
    if (typeof v === 'string') {
      chars += v.length + 1;
      if (chars > maxChars) return result(true);
      if (illFormedAt === null && !isWellFormed(v)) illFormedAt = pathOf(node);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const here = node.depth + 1;
    if (here > depth) depth = here;
    if (depth > maxDepth) return result(false);
    // Loops that stop at the budget: Object.keys of a two-million-element array would not.
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (++chars > maxChars) return result(true);
        stack.push({ v: v[i] as unknown, depth: here, parent: node, key: String(i) });
      }
      continue;
    }
    for (const k of Object.keys(v)) {
      chars += k.length + 4; // "k": and the value's first character
      if (chars > maxChars) return result(true);
      const child: Node = { v: (v as Record<string, unknown>)[k], depth: here, parent: node, key: k };
      if (illFormedAt === null && !isWellFormed(k)) illFormedAt = pathOf(child);
      stack.push(child);
    }
  }
  return result(false);
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
