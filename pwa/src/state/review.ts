// The reviewer's queue and verdicts, usable offline: the queue is kept on the device (with its photos
// and meshes fetched through the DataStore, which caches them), and verdicts wait in a small outbox
// until the server has them. Review ids are made here, so a resend after a lost answer stores once.
import type { Review, ReviewItem, ReviewVerdict, ReworkItem } from '@in3d/shared/quality';
import type { DataStore } from '../data/contract';
import { apiJson, newId, unwrap } from './review-http';

export interface PendingReview {
  id: string;
  revisionId: string;
  verdict: ReviewVerdict;
  comment: string | null;
  at: string;
}

const queueKey = (userId: string) => `in3d.review.queue.${userId}`;
const outboxKey = (userId: string) => `in3d.review.outbox.${userId}`;

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}
function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or private mode: the queue is then online-only
  }
}

export const pendingReviews = (userId: string): PendingReview[] => read<PendingReview[]>(outboxKey(userId), []);

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
    } catch {
      // a missing photo shows its own error when reviewed
    }
  }
}

export interface QueueResult {
  items: ReviewItem[];
  /** True when the server could not be reached and the kept queue is shown. */
  offline: boolean;
}

export async function loadQueue(store: DataStore, userId: string, limit = 50): Promise<QueueResult> {
  const r = await apiJson<ReviewItem[]>('GET', `/api/reviews/queue?limit=${limit}`);
  let items: ReviewItem[];
  let offline = false;
  if (r.ok) {
    items = r.data;
    write(queueKey(userId), items);
    void prefetch(store, items);
  } else if (r.offline) {
    items = read<ReviewItem[]>(queueKey(userId), []);
    offline = true;
  } else throw new Error(r.message);
  const done = new Set(pendingReviews(userId).map((p) => p.revisionId));
  return { items: items.filter((i) => !done.has(i.revisionId)), offline };
}

/** Sends what waits in the outbox; answers how many are still waiting. Refused ones are dropped. */
export async function flushReviews(userId: string): Promise<{ waiting: number; refused: string[] }> {
  const refused: string[] = [];
  let rest = pendingReviews(userId);
  for (const p of [...rest]) {
    const r = await apiJson<Review>('POST', '/api/reviews', { id: p.id, revisionId: p.revisionId, verdict: p.verdict, comment: p.comment });
    if (!r.ok && (r.offline || r.status >= 500 || r.status === 401)) break;
    if (!r.ok) refused.push(r.message);
    rest = rest.filter((x) => x.id !== p.id);
    write(outboxKey(userId), rest);
  }
  return { waiting: rest.length, refused };
}

/** Keeps the verdict on the device, then tries to send it; `sent` says whether the server has it. */
export async function submitReview(userId: string, input: Omit<PendingReview, 'id' | 'at'>): Promise<{ sent: boolean; refused: string[] }> {
  const p: PendingReview = { ...input, id: newId(), at: new Date().toISOString() };
  write(outboxKey(userId), [...pendingReviews(userId), p]);
  const q = read<ReviewItem[]>(queueKey(userId), []).filter((i) => i.revisionId !== input.revisionId);
  write(queueKey(userId), q);
  const { waiting, refused } = await flushReviews(userId);
  return { sent: waiting === 0 && refused.length === 0, refused };
}

export async function listReviews(query: { rework?: boolean; annotator?: string } = {}): Promise<Review[]> {
  const qs = new URLSearchParams();
  if (query.rework) qs.set('rework', '1');
  if (query.annotator) qs.set('annotator', query.annotator);
  return unwrap(await apiJson<Review[]>('GET', `/api/reviews?${qs}`));
}

export async function listRework(): Promise<ReworkItem[]> {
  return unwrap(await apiJson<ReworkItem[]>('GET', '/api/rework'));
}
