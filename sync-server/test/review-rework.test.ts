// SPEC R26 (the rework loop, decided on the server) and the review queue's filters, through the real
// app: saves and verdicts go through the sync push as the app sends them.
import type { Review, ReviewFacets, ReviewItem, ReworkItem } from '@in3d/shared/quality';
import type { TaskSummary } from '@in3d/shared/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQualityWorld, expectJson as json, INITIAL, type QualityWorld } from './quality-world';

let w: QualityWorld;
beforeEach(async () => {
  w = await createQualityWorld();
});
afterEach(() => w.close());

const rework = (user = 'ann') => json<ReworkItem[]>(w.call(user, 'GET', '/api/rework'));
const queue = (qs = '') => json<ReviewItem[]>(w.call('rev', 'GET', `/api/reviews/queue${qs}`));
const openCount = async () => (await json<TaskSummary[]>(w.call('ann', 'GET', '/api/tasks'))).find((t) => t.id === 't-ann')?.rework;

describe('R26: the rework loop', () => {
  it('R26: an unchanged re-save keeps the rework open and out of the queue; a changed pose closes it', async () => {
    const r1 = await w.save('ann', 't-ann', 'q0', {});
    const id = await w.review('rev', r1, 'bad_pose', 'turn it');
    const r2 = await w.save('ann', 't-ann', 'q0', {});
    expect((await rework())[0]).toMatchObject({ id, closed: false, closedByRevisionId: null, keep: null, answer: { pose: INITIAL, subtype: 1 } });
    expect(await openCount()).toBe(1);
    // The unchanged revision is the head now, but its rework is still with the annotator.
    expect((await queue()).map((q) => q.revisionId)).not.toContain(r2);

    const r3 = await w.save('ann', 't-ann', 'q0', { pose: { ...INITIAL, theta: 1 } });
    expect((await rework())[0]).toMatchObject({ closed: true, closedByRevisionId: r3 });
    expect(await openCount()).toBe(0);
    const [item] = (await queue()).filter((q) => q.question.id === 'q0');
    expect(item).toMatchObject({ revisionId: r3, previous: { review: { id, verdict: 'bad_pose', comment: 'turn it' }, before: { pose: INITIAL } } });
    expect(item!.answer.pose.theta).toBe(1);
  });

  it('R26: a changed subtype or label closes it too', async () => {
    const a = await w.save('ann', 't-ann', 'q0', {});
    const b = await w.save('ann', 't-ann', 'q1', {});
    const c = await w.save('ann', 't-ann', 'q2', {});
    for (const r of [a, b, c]) await w.review('rev', r, 'bad_cad');
    await w.save('ann', 't-ann', 'q0', { subtype: 2 });
    await w.save('ann', 't-ann', 'q1', { objectStatus: 'status_partially' });
    await w.save('ann', 't-ann', 'q2', { dense: 'dense_yes' });
    expect((await rework()).map((r) => r.closed)).toEqual([true, true, true]);
    const dash = await json<{ reviews: { verdict: string; openRework: number }[] }>(w.call('boss', 'GET', '/api/admin/stats'));
    expect(dash.reviews.find((r) => r.verdict === 'bad_cad')?.openRework).toBe(0);
  });

  it('R26: "keep as is" with a reason closes it; the reviewer sees the reason with the item back in the queue', async () => {
    const r1 = await w.save('ann', 't-ann', 'q0', {});
    const id = await w.review('rev', r1, 'bad_pose', 'too far left');
    expect(await queue()).toEqual([]);
    const keep = await w.mutate('ann', { kind: 'rework.keep', reviewId: id, reason: '  the photo is mirrored  ' });
    expect(keep).toMatchObject({ status: 'applied' });
    expect(keep).not.toHaveProperty('head');
    expect((await rework())[0]).toMatchObject({ closed: true, closedByRevisionId: null, keep: { reason: 'the photo is mirrored' } });
    expect(await openCount()).toBe(0);
    const [item] = await queue();
    expect(item).toMatchObject({ revisionId: r1, previous: { review: { id, keep: { reason: 'the photo is mirrored' } } } });
    // Judged again, it leaves the queue.
    await w.review('rev', r1, 'good');
    expect(await queue()).toEqual([]);
  });

  it('R26: refuses a keep of a review not sent to the caller, of a non-rework verdict, or without a reason', async () => {
    const r1 = await w.save('ann', 't-ann', 'q0', {});
    const r2 = await w.save('ann', 't-ann', 'q1', {});
    const bad = await w.review('rev', r1, 'bad_pose');
    const good = await w.review('rev', r2, 'good');
    expect(await w.mutate('bob', { kind: 'rework.keep', reviewId: bad, reason: 'mine?' })).toMatchObject({ status: 'rejected', reason: 'unknown_review' });
    expect(await w.mutate('ann', { kind: 'rework.keep', reviewId: good, reason: 'ok' })).toMatchObject({ status: 'rejected', reason: 'unknown_review' });
    expect(await w.mutate('ann', { kind: 'rework.keep', reviewId: 'nope', reason: 'ok' })).toMatchObject({ status: 'rejected', reason: 'unknown_review' });
    expect(await w.mutate('ann', { kind: 'rework.keep', reviewId: bad, reason: '   ' })).toMatchObject({ status: 'rejected', reason: 'invalid' });
    expect(await w.mutate('ann', { kind: 'rework.keep', reviewId: bad, reason: 'x'.repeat(2001) })).toMatchObject({ status: 'rejected', reason: 'invalid' });
    expect(await w.opened.db.selectFrom('rework_keeps').selectAll().execute()).toEqual([]);
    expect((await rework())[0]).toMatchObject({ id: bad, closed: false });
  });

  it('R22, R26: a keep sent twice is stored once', async () => {
    const r1 = await w.save('ann', 't-ann', 'q0', {});
    const reviewId = await w.review('rev', r1, 'bad_pose');
    const m = { id: crypto.randomUUID(), kind: 'rework.keep', reviewId, reason: 'right as it is', clientSavedAt: new Date().toISOString() };
    const [first] = await w.pushMutations('ann', [{ ...m }]);
    const [again] = await w.pushMutations('ann', [{ ...m, seq: (first as { seq: number }).seq }]);
    expect(first).toMatchObject({ status: 'applied', duplicate: false });
    expect(again).toMatchObject({ status: 'applied', duplicate: true });
    expect(await w.opened.db.selectFrom('rework_keeps').selectAll().execute()).toHaveLength(1);
  });
});

describe('review queue filters', () => {
  const world = async () => {
    const a0 = await w.save('ann', 't-ann', 'q0', {});
    await w.save('ann', 't-ann', 'q1', {});
    await w.save('bob', 't-bob', 'q3', {});
    await w.save('bob', 't-bob', 'q0', {});
    // ann's q0 was judged Good, then saved again: back in the queue with a previous verdict.
    await w.review('rev', a0, 'good');
    await w.save('ann', 't-ann', 'q0', { pose: { ...INITIAL, azimuth: 5 } });
  };
  const ids = (xs: ReviewItem[]) => xs.map((x) => `${x.annotatorId}/${x.question.id}`).sort();

  it('filters by annotator, task, category and previous verdict, alone and together', async () => {
    await world();
    expect(ids(await queue())).toEqual(['ann/q0', 'ann/q1', 'bob/q0', 'bob/q3']);
    expect(ids(await queue('?annotator=bob'))).toEqual(['bob/q0', 'bob/q3']);
    expect(ids(await queue('?task=t-ann'))).toEqual(['ann/q0', 'ann/q1']);
    expect(ids(await queue('?category=chair'))).toHaveLength(4);
    expect(await queue('?category=table')).toEqual([]);
    expect(ids(await queue('?verdict=good'))).toEqual(['ann/q0']);
    expect(ids(await queue('?verdict=none'))).toEqual(['ann/q1', 'bob/q0', 'bob/q3']);
    expect(ids(await queue('?verdict=none&task=t-ann'))).toEqual(['ann/q1']);
    expect(await queue('?verdict=bad_pose')).toEqual([]);
  });

  it('counts the whole queue under the same filters, beyond the batch the page loads', async () => {
    await world();
    const count = async (qs = '') => (await json<{ waiting: number }>(w.call('rev', 'GET', `/api/reviews/queue/count${qs}`))).waiting;
    expect(await queue('?limit=1')).toHaveLength(1);
    expect(await count()).toBe(4);
    expect(await count('?annotator=bob')).toBe(2);
    expect(await count('?verdict=none&task=t-ann')).toBe(1);
    expect(await count('?category=table')).toBe(0);
    for (const qs of ['?verdict=meh', '?limit=5', '?annotator=']) expect((await w.call('rev', 'GET', `/api/reviews/queue/count${qs}`)).status, qs).toBe(400);
    expect((await w.call('ann', 'GET', '/api/reviews/queue/count')).status).toBe(403);
  });

  it('refuses malformed filters with 400 and the path, never 5xx', async () => {
    for (const qs of ['?verdict=meh', '?limit=0', '?limit=1e3', '?limit=-1', '?annotator=', '?colour=red', '?limit=501']) {
      const r = await w.call('rev', 'GET', `/api/reviews/queue${qs}`);
      expect(r.status, qs).toBe(400);
      expect(JSON.stringify(await r.json()), qs).toMatch(/verdict|limit|annotator|colour/);
    }
    expect((await w.call('ann', 'GET', '/api/reviews/queue')).status).toBe(403);
  });

  it('lists the filter choices and filters the review history the same way', async () => {
    await world();
    const facets = await json<ReviewFacets>(w.call('rev', 'GET', '/api/reviews/facets'));
    expect(facets).toEqual({ categories: ['chair'], annotators: ['ann', 'bob'], tasks: [{ id: 't-ann', name: 't-ann' }, { id: 't-bob', name: 't-bob' }] });
    const history = (qs: string) => json<Review[]>(w.call('rev', 'GET', `/api/reviews${qs}`));
    expect((await history('?verdict=good')).map((r) => r.questionId)).toEqual(['q0']);
    expect(await history('?verdict=bad_pose')).toEqual([]);
    expect(await history('?task=t-bob')).toEqual([]);
    expect(await history('?category=table')).toEqual([]);
    expect(await history('?category=chair')).toHaveLength(1);
  });
});
