// The reviewer's walk through the queue, as data: where they are, what they judged or skipped this
// session, and the "12 of 40" they see. Pure (no store, no DOM), so skip, back and the progress are
// tested on their own; the page keeps one and replaces it on every step.
import type { ReviewItem, ReviewQueueFilter, ReviewVerdict } from '@in3d/shared/quality';

export interface QueueSession {
  items: readonly ReviewItem[];
  /** The item shown; items.length once past the last one. */
  index: number;
  /** Verdicts given in this session, by revision id (going back shows them). */
  judged: Readonly<Record<string, ReviewVerdict>>;
  skipped: readonly string[];
}

/** A session over `items`; skipped revision ids (from an earlier load) go to the end, in their order. */
export function startSession(items: readonly ReviewItem[], skipped: readonly string[] = []): QueueSession {
  const later = new Set(skipped);
  const ordered = [...items.filter((i) => !later.has(i.revisionId)), ...items.filter((i) => later.has(i.revisionId))];
  return { items: ordered, index: 0, judged: {}, skipped: skipped.filter((id) => items.some((i) => i.revisionId === id)) };
}

export const currentItem = (s: QueueSession): ReviewItem | null => s.items[s.index] ?? null;

const step = (s: QueueSession, to: number): QueueSession => ({ ...s, index: Math.max(0, Math.min(s.items.length, to)) });

/** After a verdict: remembered, and on to the next item. */
export function judge(s: QueueSession, verdict: ReviewVerdict): QueueSession {
  const item = currentItem(s);
  if (!item) return s;
  return step({ ...s, judged: { ...s.judged, [item.revisionId]: verdict }, skipped: s.skipped.filter((id) => id !== item.revisionId) }, s.index + 1);
}

/** On without a verdict; the item stays in the queue (and comes last after a reload). */
export function skip(s: QueueSession): QueueSession {
  const item = currentItem(s);
  if (!item) return s;
  const skipped = s.judged[item.revisionId] || s.skipped.includes(item.revisionId) ? s.skipped : [...s.skipped, item.revisionId];
  return step({ ...s, skipped }, s.index + 1);
}

export const back = (s: QueueSession): QueueSession => step(s, s.index - 1);

/** Back to the first skipped item, after the end of the queue. */
export function firstSkipped(s: QueueSession): QueueSession {
  const i = s.items.findIndex((x) => s.skipped.includes(x.revisionId));
  return i < 0 ? s : step(s, i);
}

export interface QueueProgress {
  /** 1-based position of the item shown (total + 1 past the end). */
  position: number;
  total: number;
  judged: number;
  skipped: number;
}

export const progressOf = (s: QueueSession): QueueProgress => ({
  position: s.index + 1,
  total: s.items.length,
  judged: Object.keys(s.judged).length,
  skipped: s.skipped.length,
});

/** The same filters the server applies (repositories/reviews.ts), for the copy kept offline. */
export function matchesFilter(item: ReviewItem, f: ReviewQueueFilter): boolean {
  if (f.category && item.question.category !== f.category) return false;
  if (f.annotator && item.annotatorId !== f.annotator) return false;
  if (f.task && item.question.taskId !== f.task) return false;
  if (f.verdict) {
    const prev = item.previous?.review.verdict ?? 'none';
    if (prev !== f.verdict) return false;
  }
  return true;
}

/** The filter as query parameters; empty values are left out (they mean "any"). */
export function filterParams(f: ReviewQueueFilter): URLSearchParams {
  const qs = new URLSearchParams();
  for (const k of ['category', 'annotator', 'task', 'verdict'] as const) {
    const v = f[k];
    if (v) qs.set(k, v);
  }
  return qs;
}
