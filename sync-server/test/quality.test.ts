import type { AbJudgement, AbPair, AttemptDetail, QualificationStatus, Review, ReviewItem, ReworkItem } from '@in3d/shared/quality';
import type { TaskSummary } from '@in3d/shared/types';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQualityWorld, GOLD_IDS, goldPose, type QualityWorld } from './quality-world';

let w: QualityWorld;
beforeEach(async () => {
  w = await createQualityWorld();
});
afterEach(() => w.close());

const json = async <T>(res: Response | Promise<Response>, status = 200): Promise<T> => {
  const r = await res;
  const body = (await r.json()) as T;
  expect(r.status, JSON.stringify(body)).toBe(status);
  return body;
};
const markAllGold = async () => {
  for (const questionId of GOLD_IDS) await json(w.call('boss', 'POST', '/api/admin/gold', { questionId }), 201);
};
/** Answers every question of the attempt at the gold pose turned by `offsetDeg` of azimuth. */
const answer = async (a: AttemptDetail, offsetDeg: number, subtype = 2) => {
  for (const q of a.questions) {
    const i = GOLD_IDS.indexOf(q.id);
    const g = goldPose(i);
    await w.save('newbie', a.taskId, q.id, { pose: { ...g, azimuth: g.azimuth + offsetDeg }, subtype });
  }
};

describe('qualification test', () => {
  it('keeps a new annotator locked until they pass, scores with the thresholds, and allows a fresh retry', async () => {
    // Before anything: normal tasks hidden, not openable, not writable.
    expect(await json<TaskSummary[]>(w.call('newbie', 'GET', '/api/tasks'))).toEqual([]);
    expect((await w.call('newbie', 'GET', '/api/tasks/t-new')).status).toBe(403);
    // A save to a locked task is rejected on its own (R7), never the whole push (that would block the outbox).
    const refused = await json<{ results: { status: string; reason?: string }[] }>(w.push('newbie', 't-new', 'q2'));
    expect(refused.results).toEqual([expect.objectContaining({ status: 'rejected', reason: 'qualification_required' })]);
    expect(await w.opened.db.selectFrom('annotations').selectAll().execute()).toHaveLength(0);
    expect((await json<QualificationStatus>(w.call('newbie', 'GET', '/api/qualification'))).state).toBe('no_gold');
    expect((await w.call('newbie', 'POST', '/api/qualification/attempts')).status).toBe(409);

    await markAllGold();
    // Strict rotation for the first attempt: 20° off fails it.
    const settings = await json<Record<string, unknown>>(w.call('boss', 'GET', '/api/admin/settings/qualification'));
    await json(w.call('boss', 'PUT', '/api/admin/settings/qualification', { ...settings, rotationDeg: 10 }));
    const status = await json<QualificationStatus>(w.call('newbie', 'GET', '/api/qualification'));
    expect(status).toMatchObject({ state: 'not_started', lockedTasks: 1, goldQuestions: 3 });

    const first = await json<AttemptDetail>(w.call('newbie', 'POST', '/api/qualification/attempts'), 201);
    expect(first.number).toBe(1);
    expect(first.questions.map((q) => q.id).sort()).toEqual(GOLD_IDS);
    expect(first.results).toBeNull();
    // Starting again while one is open answers the open one.
    expect((await json<AttemptDetail>(w.call('newbie', 'POST', '/api/qualification/attempts'))).id).toBe(first.id);
    // Only the qualification task is visible, and it is open for saving.
    expect((await json<TaskSummary[]>(w.call('newbie', 'GET', '/api/tasks'))).map((t) => t.id)).toEqual([first.taskId]);
    expect((await w.call('newbie', 'POST', `/api/qualification/attempts/${first.id}/submit`)).status).toBe(409);

    await answer(first, 20);
    const failed = await json<AttemptDetail>(w.call('newbie', 'POST', `/api/qualification/attempts/${first.id}/submit`));
    expect(failed.passed).toBe(false);
    expect(failed.results).toHaveLength(3);
    for (const r of failed.results!) {
      expect(r.rotationDeg).toBeCloseTo(20, 9);
      expect(r.failed).toEqual(['rotation']);
      expect(r.reference.pose).toEqual(goldPose(GOLD_IDS.indexOf(r.questionId)));
      expect(r.answer.pose.azimuth).toBeCloseTo(r.reference.pose.azimuth + 20, 9);
    }
    expect((await w.call('newbie', 'POST', `/api/qualification/attempts/${first.id}/submit`)).status).toBe(409);
    expect(await json<TaskSummary[]>(w.call('newbie', 'GET', '/api/tasks'))).toHaveLength(1);
    expect((await json<QualificationStatus>(w.call('newbie', 'GET', '/api/qualification'))).state).toBe('failed');

    // The admin relaxes the threshold to π/6; the retry is a fresh attempt with nothing answered yet.
    await json(w.call('boss', 'PUT', '/api/admin/settings/qualification', { ...settings, rotationDeg: 30 }));
    const second = await json<AttemptDetail>(w.call('newbie', 'POST', '/api/qualification/attempts'), 201);
    expect(second.number).toBe(2);
    expect(second.taskId).not.toBe(first.taskId);
    expect(second.answered).toBe(0);
    expect((await w.call('newbie', 'POST', `/api/qualification/attempts/${second.id}/submit`)).status).toBe(409);
    await answer(second, 20);
    const passed = await json<AttemptDetail>(w.call('newbie', 'POST', `/api/qualification/attempts/${second.id}/submit`));
    expect(passed.passed).toBe(true);
    expect(passed.results!.every((r) => r.passed && r.subtypeMatch)).toBe(true);

    // Now the normal task is listed, opens and takes saves.
    const tasks = await json<TaskSummary[]>(w.call('newbie', 'GET', '/api/tasks'));
    expect(tasks.map((t) => t.id)).toContain('t-new');
    expect((await w.call('newbie', 'GET', '/api/tasks/t-new')).status).toBe(200);
    await w.save('newbie', 't-new', 'q2', {});
    expect((await json<QualificationStatus>(w.call('newbie', 'GET', '/api/qualification'))).state).toBe('qualified');
    expect((await w.call('newbie', 'POST', '/api/qualification/attempts')).status).toBe(409);
  });

  it('rejects only the locked task\'s mutation in a push that also saves to the qualification task', async () => {
    await markAllGold();
    const attempt = await json<AttemptDetail>(w.call('newbie', 'POST', '/api/qualification/attempts'), 201);
    const clientId = randomUUID();
    const mutation = (seq: number, taskId: string, questionId: string) => ({
      id: randomUUID(), seq, kind: 'annotation.save', questionId, taskId, baseRevisionId: null,
      values: { pose: goldPose(0), subtype: 2, objectStatus: 'status_good', dense: 'dense_no', activeMs: 1000 },
      clientSavedAt: new Date().toISOString(),
    });
    const locked = mutation(1, 't-new', 'q2');
    const open = mutation(2, attempt.taskId, attempt.questions[0]!.id);
    const push = () => json<{ status: string; ackSeq: number; results: { id: string; status: string; reason?: string }[] }>(
      w.call('newbie', 'POST', '/api/sync/push', { clientId, mutations: [locked, open] }),
    );
    const body = await push();
    expect(body).toMatchObject({ status: 'ok', ackSeq: 2 });
    expect(body.results).toEqual([
      expect.objectContaining({ id: locked.id, status: 'rejected', reason: 'qualification_required' }),
      expect.objectContaining({ id: open.id, status: 'applied' }),
    ]);
    const stored = await w.opened.db.selectFrom('annotations').select(['id', 'task_id']).execute();
    expect(stored).toEqual([{ id: open.id, task_id: attempt.taskId }]);
    // R7: the rejection is permanent; a retry of the batch gets the same answers.
    const again = await push();
    expect(again.results.map((r) => [r.status, r.reason])).toEqual([['rejected', 'qualification_required'], ['applied', undefined]]);
    // Qualified annotators are not affected.
    expect(await w.save('ann', 't-ann', 'q0', {})).toBeTruthy();
  });

  it('fails on the wrong subtype even with a perfect pose', async () => {
    await markAllGold();
    const a = await json<AttemptDetail>(w.call('newbie', 'POST', '/api/qualification/attempts'), 201);
    await answer(a, 0, 1);
    const r = await json<AttemptDetail>(w.call('newbie', 'POST', `/api/qualification/attempts/${a.id}/submit`));
    expect(r.passed).toBe(false);
    expect(r.results!.map((x) => x.failed)).toEqual([['subtype'], ['subtype'], ['subtype']]);
  });

  it('hides attempts from other annotators but shows them to reviewers', async () => {
    await markAllGold();
    const a = await json<AttemptDetail>(w.call('newbie', 'POST', '/api/qualification/attempts'), 201);
    expect((await w.call('ann', 'GET', `/api/qualification/attempts/${a.id}`)).status).toBe(403);
    expect((await w.call('rev', 'GET', `/api/qualification/attempts/${a.id}`)).status).toBe(200);
    expect((await w.call('rev', 'POST', `/api/qualification/attempts/${a.id}/submit`)).status).toBe(403);
    expect((await w.call('newbie', 'GET', '/api/qualification/attempts/nope')).status).toBe(404);
  });

  it('refuses a gold mark without a reference pose, and takes an explicit one', async () => {
    expect((await w.call('boss', 'POST', '/api/admin/gold', { questionId: 'q0' })).status).toBe(400);
    expect((await w.call('boss', 'POST', '/api/admin/gold', { questionId: 'nope' })).status).toBe(404);
    const reference = { pose: goldPose(7), subtype: 3, objectStatus: 'status_good', dense: 'dense_no' };
    const g = await json<{ reference: unknown }>(w.call('boss', 'POST', '/api/admin/gold', { questionId: 'q0', reference }), 201);
    expect(g.reference).toEqual(reference);
    expect((await w.call('boss', 'POST', '/api/admin/gold', { questionId: 'q0', reference: { ...reference, subtype: 'x' } })).status).toBe(400);
  });
});

describe('quality review and rework', () => {
  it('sends a bad pose back to its annotator and closes when they save again', async () => {
    const rev1 = await w.save('ann', 't-ann', 'q0', {});
    const queue = await json<ReviewItem[]>(w.call('rev', 'GET', '/api/reviews/queue'));
    expect(queue.map((q) => [q.question.id, q.annotatorId, q.revisionId])).toEqual([['q0', 'ann', rev1]]);
    expect(queue[0]!.question).toMatchObject({ taskId: 't-ann', index: 0, imageUrl: '/api/images/img-q0?v=e7a911348' });

    const id = randomUUID();
    const review = await json<Review>(w.call('rev', 'POST', '/api/reviews', { id, revisionId: rev1, verdict: 'bad_pose', comment: ' turn it ' }), 201);
    expect(review).toMatchObject({ annotatorId: 'ann', reviewerId: 'rev', verdict: 'bad_pose', comment: 'turn it', rework: true, closed: false, taskId: 't-ann' });
    // A retry of the same post (offline queue) stores once.
    expect((await w.call('rev', 'POST', '/api/reviews', { id, revisionId: rev1, verdict: 'bad_pose' })).status).toBe(200);
    expect(await w.opened.db.selectFrom('reviews').selectAll().execute()).toHaveLength(1);
    expect(await json<ReviewItem[]>(w.call('rev', 'GET', '/api/reviews/queue'))).toEqual([]);

    const tasks = await json<TaskSummary[]>(w.call('ann', 'GET', '/api/tasks'));
    expect(tasks.find((t) => t.id === 't-ann')?.rework).toBe(1);
    const rework = await json<ReworkItem[]>(w.call('ann', 'GET', '/api/rework'));
    expect(rework.map((r) => [r.questionId, r.closed, r.comment])).toEqual([['q0', false, 'turn it']]);
    expect(await json<ReworkItem[]>(w.call('bob', 'GET', '/api/rework'))).toEqual([]);

    const rev2 = await w.save('ann', 't-ann', 'q0', { pose: { azimuth: 90, elevation: 10, theta: 0, distance: 5, px: 320, py: 240 } });
    const after = await json<ReworkItem[]>(w.call('ann', 'GET', '/api/rework'));
    expect(after[0]).toMatchObject({ closed: true, closedByRevisionId: rev2 });
    expect((await json<TaskSummary[]>(w.call('ann', 'GET', '/api/tasks'))).find((t) => t.id === 't-ann')?.rework).toBe(0);
    const reviews = await json<Review[]>(w.call('rev', 'GET', '/api/reviews?annotator=ann'));
    expect(reviews[0]).toMatchObject({ id, closed: true });
    // The fixed revision is new, so it is back in the queue.
    expect((await json<ReviewItem[]>(w.call('rev', 'GET', '/api/reviews/queue'))).map((q) => q.revisionId)).toEqual([rev2]);
  });

  it('does not ask for rework on Good, More CAD models or Bad image; Bad CAD model does', async () => {
    const r0 = await w.save('ann', 't-ann', 'q0', {});
    const r1 = await w.save('ann', 't-ann', 'q1', {});
    const r2 = await w.save('ann', 't-ann', 'q2', {});
    const verdicts = [[r0, 'good'], [r1, 'more_cads'], [r2, 'bad_cad']] as const;
    const out = [];
    for (const [revisionId, verdict] of verdicts)
      out.push(await json<Review>(w.call('rev', 'POST', '/api/reviews', { id: randomUUID(), revisionId, verdict }), 201));
    expect(out.map((r) => r.rework)).toEqual([false, false, true]);
    expect((await json<TaskSummary[]>(w.call('ann', 'GET', '/api/tasks'))).find((t) => t.id === 't-ann')?.rework).toBe(1);
  });

  it('answers bad reviews with 4xx, never 5xx', async () => {
    const r0 = await w.save('ann', 't-ann', 'q0', {});
    expect((await w.call('rev', 'POST', '/api/reviews', { id: randomUUID(), revisionId: 'nope', verdict: 'good' })).status).toBe(404);
    expect((await w.call('rev', 'POST', '/api/reviews', { id: randomUUID(), revisionId: r0, verdict: 'meh' })).status).toBe(400);
    expect((await w.call('rev', 'POST', '/api/reviews', { id: 'not-a-uuid', revisionId: r0, verdict: 'good' })).status).toBe(400);
    expect((await w.call('ann', 'POST', '/api/reviews', { id: randomUUID(), revisionId: r0, verdict: 'good' })).status).toBe(403);
    const id = randomUUID();
    await json(w.call('rev', 'POST', '/api/reviews', { id, revisionId: r0, verdict: 'good' }), 201);
    expect((await w.call('rev', 'POST', '/api/reviews', { id, revisionId: r0, verdict: 'bad_image' })).status).toBe(409);
  });
});

describe('A/B evaluation', () => {
  it('offers two answers of one object in random order and stores the pick with who and when', async () => {
    const a1 = await w.save('ann', 't-ann', 'q1', {});
    const b1 = await w.save('bob', 't-bob', 'q1', { pose: { azimuth: 30, elevation: 10, theta: 0, distance: 5, px: 320, py: 240 } });
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const { pair } = await json<{ pair: AbPair }>(w.call('rev', 'GET', '/api/ab/next'));
      expect(pair.question.id).toBe('q1');
      const tag = (s: AbPair['a']) => (s.kind === 'initial' ? 'initial' : s.revisionId === a1 ? 'ann' : s.revisionId === b1 ? 'bob' : '?');
      seen.add(`${tag(pair.a)}|${tag(pair.b)}`);
    }
    // Both orders and both kinds of pair show up (probability of missing one in 30 draws < 1e-3).
    expect([...seen].some((s) => s.startsWith('initial'))).toBe(true);
    expect([...seen].some((s) => s.endsWith('initial'))).toBe(true);
    expect([...seen].some((s) => !s.includes('initial'))).toBe(true);

    const id = randomUUID();
    const before = Date.now();
    const j = await json<AbJudgement>(
      w.call('rev', 'POST', '/api/ab', { id, questionId: 'q1', a: { kind: 'annotation', revisionId: b1 }, b: { kind: 'initial' }, choice: 'a' }),
      201,
    );
    expect(j).toMatchObject({ reviewerId: 'rev', choice: 'a', a: { kind: 'annotation', revisionId: b1 }, b: { kind: 'initial' } });
    expect(Date.parse(j.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    const stored = await w.opened.db.selectFrom('ab_judgements').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ reviewer_id: 'rev', a_revision_id: b1, b_kind: 'initial', choice: 'a' });
    // Judged: this reviewer is not asked about q1 again; the admin still is.
    expect((await json<{ pair: AbPair | null }>(w.call('rev', 'GET', '/api/ab/next'))).pair).toBeNull();
    expect((await json<{ pair: AbPair | null }>(w.call('boss', 'GET', '/api/ab/next'))).pair?.question.id).toBe('q1');
  });

  it('refuses sides that are not answers of that question', async () => {
    const a0 = await w.save('ann', 't-ann', 'q0', {});
    const body = { id: randomUUID(), questionId: 'q1', a: { kind: 'annotation', revisionId: a0 }, b: { kind: 'initial' }, choice: 'b' };
    expect((await w.call('rev', 'POST', '/api/ab', body)).status).toBe(404);
    expect((await w.call('rev', 'POST', '/api/ab', { ...body, questionId: 'q0', b: body.a })).status).toBe(400);
    expect((await w.call('rev', 'POST', '/api/ab', { ...body, questionId: 'q0', choice: 'c' })).status).toBe(400);
    expect((await w.call('ann', 'POST', '/api/ab', { ...body, questionId: 'q0' })).status).toBe(403);
    expect((await w.call('rev', 'POST', '/api/ab', { ...body, questionId: 'q0', choice: 'both_bad' })).status).toBe(201);
  });
});
