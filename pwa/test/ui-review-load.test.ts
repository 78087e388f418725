// The reviewer's batch and the whole queue's size: the page says how many more wait on the server, so
// the end of a batch of 200 is not mistaken for the end of the queue.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReviewItem } from '@in3d/shared/quality';
import { type DataStore, RequestError } from '../src/data/contract';
import { reportedErrors } from '../src/app/report-error';
import { loadQueue } from '../src/state/review';

const item = (id: string): ReviewItem => ({ question: { id: `q-${id}`, taskId: 't1', category: 'chair' }, revisionId: id, annotatorId: 'ann' }) as unknown as ReviewItem;

function fakeStore(opts: { batch: ReviewItem[]; offline?: boolean; count: () => Promise<unknown> }) {
  const paths: string[] = [];
  const store = {
    requestKept: async (path: string) => (paths.push(path), { data: opts.batch, offline: opts.offline ?? false }),
    request: async (_m: string, path: string) => (paths.push(path), opts.count()),
    localWork: async () => ({ pending: [{ revisionId: 'b' }], needsAttention: [] }),
  } as unknown as DataStore;
  return { store, paths };
}

afterEach(() => {
  reportedErrors.value = [];
  vi.restoreAllMocks();
});

describe('review queue batches', () => {
  it('counts the answers beyond the batch under the same filter, and leaves out what this device judged', async () => {
    const { store, paths } = fakeStore({ batch: [item('a'), item('b'), item('c')], count: async () => ({ waiting: 10 }) });
    const q = await loadQueue(store, { annotator: 'ann' }, 3);
    expect(q.items.map((i) => i.revisionId)).toEqual(['a', 'c']);
    expect(q.more).toBe(7);
    expect(paths).toContain('/api/reviews/queue/count?annotator=ann');
  });

  it('offline: the kept batch is all there is (no count, no error shown)', async () => {
    const { store } = fakeStore({ batch: [item('a')], offline: true, count: () => Promise.reject(new RequestError('offline', 'offline', 0)) });
    const q = await loadQueue(store, {}, 3);
    expect(q.more).toBe(0);
    expect(reportedErrors.value).toEqual([]);
  });

  it('a count the server refuses is reported once and the batch still opens', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { store } = fakeStore({ batch: [item('a')], count: () => Promise.reject(new RequestError('HTTP 500', 'http', 500)) });
    const q = await loadQueue(store, {}, 3);
    expect(q.items).toHaveLength(1);
    expect(q.more).toBe(0);
    expect(reportedErrors.value.map((e) => e.where)).toEqual(['review: count the queue']);
  });
});
