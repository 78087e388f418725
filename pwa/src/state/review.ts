// The reviewer's queue and verdicts, usable offline: the queue's last answer is kept on the device (its
// photos and meshes are kept ahead by the page, state/use-keep-ahead.ts), and a verdict is a `review.verdict` mutation in
// the one outbox (SPEC R19, R24): saved on the device first, sent exactly once by the sync engine.
import type { Review, ReviewFacets, ReviewItem, ReviewQueueFilter, ReviewVerdict, ReworkItem } from '@in3d/shared/quality';
import { type DataStore, RequestError } from '../data/contract';
import { reportError } from '../app/report-error';
import { api } from './api';
import { filterParams, matchesFilter } from './review-queue';

export interface QueueResult {
  items: ReviewItem[];
  /** True when the server could not be reached and the kept queue is shown. */
  offline: boolean;
  /** Verdicts on this device the server does not have yet. */
  waiting: number;
  /** Answers the server holds under the filter beyond this batch (0 offline: unknown then). */
  more: number;
}

/**
 * Verdicts given in this tab, by revision. Once a verdict is acknowledged it leaves the outbox, but the
 * queue kept for offline use was fetched before it: without this the kept copy would offer the revision
 * again. A revision comes back for real only when its rework was kept as is (R26): the server then
 * names one of these verdicts as the item's previous review.
 */
const judgedHere = new Map<string, Set<string>>();
const judgedBefore = (i: ReviewItem) => {
  const ids = judgedHere.get(i.revisionId);
  return ids !== undefined && !(i.previous && ids.has(i.previous.review.id));
};

/**
 * The queue under `filter` (applied by the server; offline, to the kept copy), leaving out revisions this
 * device already judged (sent or not). Kept under one key whatever the filter, so offline the last
 * batch is found again.
 */
export async function loadQueue(store: DataStore, filter: ReviewQueueFilter = {}, limit = 200): Promise<QueueResult> {
  const qs = filterParams(filter);
  qs.set('limit', String(limit));
  const [{ data, offline }, count] = await Promise.all([
    store.requestKept<ReviewItem[]>(`/api/reviews/queue?${qs}`, '/api/reviews/queue'),
    queueCount(store, filter),
  ]);
  const { pending, needsAttention } = await store.localWork('review.verdict');
  const onDevice = new Set([...pending, ...needsAttention].map((m) => m.revisionId));
  const items = data.filter((i) => !onDevice.has(i.revisionId) && !judgedBefore(i) && matchesFilter(i, filter));
  return { items, offline, waiting: pending.length, more: offline || count === null ? 0 : Math.max(0, count - data.length) };
}

/** The whole queue's size on the server; null when it cannot be asked (offline: the kept batch is all there is). */
async function queueCount(store: DataStore, filter: ReviewQueueFilter): Promise<number | null> {
  try {
    return (await store.request<{ waiting: number }>('GET', `/api/reviews/queue/count?${filterParams(filter)}`)).waiting;
  } catch (e) {
    if (!(e instanceof RequestError && e.kind === 'offline')) reportError('review: count the queue', e);
    return null;
  }
}

/** The filters' choices (kept for offline use like the queue). */
export async function loadFacets(store: DataStore): Promise<ReviewFacets> {
  return (await store.requestKept<ReviewFacets>('/api/reviews/facets')).data;
}

/** Keeps the verdict on the device (resolves once it is saved there); the sync engine sends it. */
export async function submitReview(store: DataStore, input: { revisionId: string; verdict: ReviewVerdict; comment: string | null }): Promise<{ id: string }> {
  const saved = await store.saveReview(input);
  judgedHere.set(input.revisionId, (judgedHere.get(input.revisionId) ?? new Set()).add(saved.id));
  return saved;
}

/** Recent reviews under the queue's filter (its verdict is the review's own here; 'none' matches none). */
export async function listReviews(filter: ReviewQueueFilter = {}): Promise<Review[]> {
  if (filter.verdict === 'none') return [];
  return api<Review[]>('GET', `/api/reviews?${filterParams(filter)}`);
}

/** The rework sent back to the signed-in user; kept on the device, so the fix screen shows it offline. */
export async function listRework(store: DataStore): Promise<{ items: ReworkItem[]; offline: boolean }> {
  const { data, offline } = await store.requestKept<ReworkItem[]>('/api/rework');
  return { items: data, offline };
}

/** R26: "keep as is" with a reason, saved on the device; the sync engine sends it. */
export async function keepAsIs(store: DataStore, reviewId: string, reason: string): Promise<void> {
  if (reason.trim() === '') throw new Error('A reason is needed to keep the answer as it is');
  await store.keepAsIs({ reviewId, reason });
}

/** This user's keep answers still on the device (sent or refused), by review id. */
export async function keptHere(store: DataStore): Promise<Map<string, string>> {
  const { pending, needsAttention } = await store.localWork('rework.keep');
  return new Map([...pending, ...needsAttention].map((m) => [m.reviewId, m.reason]));
}
