// The reviewer's queue and verdicts, usable offline: the queue's last answer is kept on the device (with
// its photos and meshes cached through the DataStore), and a verdict is a `review.verdict` mutation in
// the one outbox (SPEC R19, R24): saved on the device first, sent exactly once by the sync engine.
import type { Review, ReviewItem, ReviewVerdict, ReworkItem } from '@in3d/shared/quality';
import type { DataStore } from '../data/contract';
import { reportError } from '../app/report-error';
import { api } from './api';

/** Photos and meshes of the queue into the device cache, so the queue can be reviewed offline. */
async function prefetch(store: DataStore, items: ReviewItem[]): Promise<void> {
  const cads = new Map<string, Awaited<ReturnType<DataStore['listCads']>>>();
  for (const it of items) {
    try {
      await store.getImage(it.question);
      let list = cads.get(it.question.category);
      if (!list) cads.set(it.question.category, (list = await store.listCads(it.question.category)));
      const cad = list.find((c) => c.subtype === it.answer.subtype);
      if (cad) await store.getMesh(cad);
    } catch (e) {
      // The photo then shows its own error when reviewed; the queue itself is fine.
      reportError('review: keep a photo or mesh for offline use', e);
    }
  }
}

export interface QueueResult {
  items: ReviewItem[];
  /** True when the server could not be reached and the kept queue is shown. */
  offline: boolean;
  /** Verdicts on this device the server does not have yet. */
  waiting: number;
}

/**
 * Revisions judged in this tab. Once a verdict is acknowledged it leaves the outbox, but the queue kept
 * for offline use was fetched before it: without this the kept copy would offer the revision again.
 */
const judgedHere = new Set<string>();

/** The queue, leaving out revisions this device already judged (sent or not). */
export async function loadQueue(store: DataStore, limit = 50): Promise<QueueResult> {
  const { data, offline } = await store.requestKept<ReviewItem[]>(`/api/reviews/queue?limit=${limit}`);
  if (!offline) void prefetch(store, data);
  const { pending, needsAttention } = await store.localWork('review.verdict');
  const done = new Set([...judgedHere, ...[...pending, ...needsAttention].map((m) => m.revisionId)]);
  return { items: data.filter((i) => !done.has(i.revisionId)), offline, waiting: pending.length };
}

/** Keeps the verdict on the device (resolves once it is saved there); the sync engine sends it. */
export async function submitReview(store: DataStore, input: { revisionId: string; verdict: ReviewVerdict; comment: string | null }): Promise<{ id: string }> {
  const saved = await store.saveReview(input);
  judgedHere.add(input.revisionId);
  return saved;
}

export async function listReviews(query: { rework?: boolean; annotator?: string } = {}): Promise<Review[]> {
  const qs = new URLSearchParams();
  if (query.rework) qs.set('rework', '1');
  if (query.annotator) qs.set('annotator', query.annotator);
  return api<Review[]>('GET', `/api/reviews?${qs}`);
}

export const listRework = (): Promise<ReworkItem[]> => api<ReworkItem[]>('GET', '/api/rework');
