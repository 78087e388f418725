// Undo/redo over immutable snapshots. Plain data, so a question's history can be stored as-is and
// survive a reload. Bursts of one kind of change (a drag, a slider, key repeat) coalesce into one step,
// otherwise a single drag would take hundreds of Ctrl+Z.

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** Coalescing key and time of the last recorded change. */
  lastKey: string | null;
  lastAt: number;
}

export interface RecordOptions {
  /** Changes with the same key within `windowMs` of each other become one undo step. */
  coalesceKey?: string | null;
  now?: number;
  windowMs?: number;
  /** Oldest steps are dropped beyond this. */
  limit?: number;
}

export const HISTORY_LIMIT = 200;
export const COALESCE_MS = 800;

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: null, lastAt: 0 };
}

export function record<T>(h: History<T>, next: T, opts: RecordOptions = {}, equals: (a: T, b: T) => boolean = deepEqual): History<T> {
  if (equals(h.present, next)) return h;
  const now = opts.now ?? Date.now();
  const key = opts.coalesceKey ?? null;
  const windowMs = opts.windowMs ?? COALESCE_MS;
  const coalesce = key !== null && key === h.lastKey && now - h.lastAt <= windowMs && h.past.length > 0;
  const limit = opts.limit ?? HISTORY_LIMIT;
  const past = coalesce ? h.past : [...h.past, h.present];
  return {
    past: past.length > limit ? past.slice(past.length - limit) : past,
    present: next,
    future: [],
    lastKey: key,
    lastAt: now,
  };
}

export const canUndo = (h: History<unknown>) => h.past.length > 0;
export const canRedo = (h: History<unknown>) => h.future.length > 0;

export function undo<T>(h: History<T>): History<T> {
  const prev = h.past[h.past.length - 1];
  if (prev === undefined) return h;
  return { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future], lastKey: null, lastAt: 0 };
}

export function redo<T>(h: History<T>): History<T> {
  const [next, ...rest] = h.future;
  if (next === undefined) return h;
  return { past: [...h.past, h.present], present: next, future: rest, lastKey: null, lastAt: 0 };
}

/** Structural equality for JSON-like values (drafts are plain data). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** Stored histories are validated before use: an older or corrupted record starts a fresh history. */
export function isHistory(x: unknown): x is History<unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const h = x as Record<string, unknown>;
  return Array.isArray(h.past) && Array.isArray(h.future) && 'present' in h;
}
