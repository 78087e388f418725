import type { AbJudgement, AbPair, AttemptDetail, QualificationStatus, Review, ReviewItem, ReworkItem } from '@in3d/shared/quality';
import type { TaskSummary } from '@in3d/shared/types';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQualityWorld, json, GOLD_IDS, goldPose, type QualityWorld } from './quality-world';

let w: QualityWorld;
beforeEach(async () => {
  w = await createQualityWorld();
});
afterEach(() => w.close());

const markAllGold = async () => {
  for (const questionId of GOLD_IDS) await json(w.call('boss', 'POST', '/api/admin/gold', { questionId }), 201);
};
/** Answers every question of the attempt at the gold pose turned by `offsetDeg` of azimuth. */
const answer = async (a: AttemptDetail, offsetDeg: number, subtype = 2) => {
  for (const q of a.questions) {
    const i = GOLD_IDS.indexOf(q.id);
    const g = goldPose(i);
    await w.answer('newbie', a.id, q.id, { pose: { ...g, azimuth: g.azimuth + offsetDeg }, subtype });
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
    // Every attempt holds the whole pool, so the retry repeats these questions: errors only, no reference.
    for (const r of failed.results!) {
      expect(r.rotationDeg).toBeCloseTo(20, 9);
      expect(r.failed).toEqual(['rotation']);
      expect(r.reference).toBeNull();
      expect(r.answer.pose.azimuth).toBeCloseTo(goldPose(GOLD_IDS.indexOf(r.questionId)).azimuth + 20, 9);
    }
    // Staff still see the reference.
    const asReviewer = await json<AttemptDetail>(w.call('rev', 'GET', `/api/qualification/attempts/${first.id}`));
    expect(asReviewer.results!.map((r) => r.reference?.pose)).toEqual(failed.results!.map((r) => goldPose(GOLD_IDS.indexOf(r.questionId))));
    expect((await w.call('newbie', 'POST', `/api/qualification/attempts/${first.id}/submit`)).status).toBe(409);
    // R23: the finished attempt is a result, not a task; an answer arriving late is refused for good.
    expect(await json<TaskSummary[]>(w.call('newbie', 'GET', '/api/tasks'))).toEqual([]);
    const late = await w.mutate('newbie', { kind: 'qualification.answer', attemptId: first.id, questionId: GOLD_IDS[0], values: { pose: goldPose(0), subtype: 2, objectStatus: 'status_good', dense: 'dense_no', activeMs: 1 } });
    expect(late).toMatchObject({ status: 'rejected', reason: 'attempt_closed' });
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
    // After a pass no retry follows: the references are shown, on this attempt and the earlier one.
    expect(passed.results!.map((r) => r.reference?.pose)).toEqual(passed.results!.map((r) => goldPose(GOLD_IDS.indexOf(r.questionId))));
    expect((await json<AttemptDetail>(w.call('newbie', 'GET', `/api/qualification/attempts/${first.id}`))).results!.every((r) => r.reference !== null)).toBe(true);

    // Now the normal task is listed, opens and takes saves.
    const tasks = await json<TaskSummary[]>(w.call('newbie', 'GET', '/api/tasks'));
    expect(tasks.map((t) => t.id)).toContain('t-new');
    expect((await w.call('newbie', 'GET', '/api/tasks/t-new')).status).toBe(200);
    await w.save('newbie', 't-new', 'q2', {});
    expect((await json<QualificationStatus>(w.call('newbie', 'GET', '/api/qualification'))).state).toBe('qualified');
    expect((await w.call('newbie', 'POST', '/api/qualification/attempts')).status).toBe(409);
  });

  it('R7, R21: rejects only the locked task\'s mutation in a push that also answers the qualification attempt', async () => {
    await markAllGold();
    const attempt = await json<AttemptDetail>(w.call('newbie', 'POST', '/api/qualification/attempts'), 201);
    const clientId = randomUUID();
    const values = { pose: goldPose(0), subtype: 2, objectStatus: 'status_good', dense: 'dense_no', activeMs: 1000 };
    const clientSavedAt = new Date().toISOString();
    const locked = { id: randomUUID(), seq: 1, kind: 'annotation.save', questionId: 'q2', taskId: 't-new', baseRevisionId: null, values, clientSavedAt };
    const open = { id: randomUUID(), seq: 2, kind: 'qualification.answer', attemptId: attempt.id, questionId: attempt.questions[0]!.id, values, clientSavedAt };
    const push = () => json<{ status: string; ackSeq: number; results: { id: string; status: string; reason?: string }[] }>(
      w.call('newbie', 'POST', '/api/sync/push', { clientId, mutations: [locked, open] }),
    );
    const body = await push();
    expect(body).toMatchObject({ status: 'ok', ackSeq: 2 });
    expect(body.results).toEqual([
      expect.objectContaining({ id: locked.id, status: 'rejected', reason: 'qualification_required' }),
      expect.objectContaining({ id: open.id, status: 'applied' }),
    ]);
    expect(await w.opened.db.selectFrom('annotations').select('id').execute()).toEqual([]);
    expect(await w.opened.db.selectFrom('qualification_answers').select(['id', 'attempt_id']).execute()).toEqual([{ id: open.id, attempt_id: attempt.id }]);
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

    const id = await w.review('rev', rev1, 'bad_pose', ' turn it ');
    const [review] = await json<Review[]>(w.call('rev', 'GET', '/api/reviews?annotator=ann'));
    expect(review).toMatchObject({ id, annotatorId: 'ann', reviewerId: 'rev', verdict: 'bad_pose', comment: 'turn it', rework: true, closed: false, taskId: 't-ann' });
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

  it("shows when the annotator saved, not when the server got it (offline, imported), unless the device's clock ran ahead", async () => {
    const offline = new Date(Date.now() - 2 * 3600_000).toISOString();
    const values = { pose: { azimuth: 10, elevation: 5, theta: 0, distance: 5, px: 320, py: 240 }, subtype: 1, objectStatus: 'status_good', dense: 'dense_no', activeMs: 1000 };
    const early = await w.mutate('ann', { kind: 'annotation.save', questionId: 'q0', taskId: 't-ann', baseRevisionId: null, values, clientSavedAt: offline });
    const ahead = await w.mutate('bob', { kind: 'annotation.save', questionId: 'q0', taskId: 't-bob', baseRevisionId: null, values, clientSavedAt: new Date(Date.now() + 86_400_000).toISOString() });
    const queue = await json<ReviewItem[]>(w.call('rev', 'GET', '/api/reviews/queue'));
    const at = (id: string | undefined) => queue.find((q) => q.revisionId === id)?.savedAt;
    expect(at(early.id)).toBe(offline);
    const received = await w.opened.db.selectFrom('annotations').select('server_received_at').where('id', '=', ahead.id!).executeTakeFirstOrThrow();
    expect(at(ahead.id)).toBe(received.server_received_at);
  });

  it('does not ask for rework on Good, More CAD models or Bad image; Bad CAD model does', async () => {
    const r0 = await w.save('ann', 't-ann', 'q0', {});
    const r1 = await w.save('ann', 't-ann', 'q1', {});
    const r2 = await w.save('ann', 't-ann', 'q2', {});
    const verdicts = [[r0, 'good'], [r1, 'more_cads'], [r2, 'bad_cad']] as const;
    for (const [revisionId, verdict] of verdicts) await w.review('rev', revisionId, verdict);
    const out = await json<Review[]>(w.call('rev', 'GET', '/api/reviews?annotator=ann'));
    expect(Object.fromEntries(out.map((r) => [r.verdict, r.rework]))).toEqual({ good: false, more_cads: false, bad_cad: true });
    expect((await json<TaskSummary[]>(w.call('ann', 'GET', '/api/tasks'))).find((t) => t.id === 't-ann')?.rework).toBe(1);
  });

  it('R19: refuses a verdict on an unknown revision or from an annotator, each on its own and for good', async () => {
    const r0 = await w.save('ann', 't-ann', 'q0', {});
    expect(await w.mutate('rev', { kind: 'review.verdict', revisionId: 'nope', verdict: 'good', comment: null })).toMatchObject({ status: 'rejected', reason: 'unknown_revision' });
    expect(await w.mutate('rev', { kind: 'review.verdict', revisionId: r0, verdict: 'meh', comment: null })).toMatchObject({ status: 'rejected', reason: 'invalid' });
    expect(await w.mutate('ann', { kind: 'review.verdict', revisionId: r0, verdict: 'good', comment: null })).toMatchObject({ status: 'rejected', reason: 'not_reviewer' });
    expect(await w.mutate('rev', { kind: 'review.verdict', revisionId: r0, verdict: 'good', comment: 'x'.repeat(2001) })).toMatchObject({ status: 'rejected', reason: 'invalid' });
    expect(await w.opened.db.selectFrom('reviews').selectAll().execute()).toEqual([]);
  });
});

describe('A/B evaluation', () => {
  it('offers two answers of one object in random order and stores the pick with who and when', async () => {
    const a1 = await w.save('ann', 't-ann', 'q1', {});
    const b1 = await w.save('bob', 't-bob', 'q1', { pose: { azimuth: 30, elevation: 10, theta: 0, distance: 5, px: 320, py: 240 } });
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const [pair] = (await json<{ pairs: AbPair[] }>(w.call('rev', 'GET', '/api/ab/next'))).pairs;
      if (!pair) throw new Error('no pair');
      expect(pair.question.id).toBe('q1');
      const tag = (s: AbPair['a']) => (s.kind === 'initial' ? 'initial' : s.revisionId === a1 ? 'ann' : s.revisionId === b1 ? 'bob' : '?');
      seen.add(`${tag(pair.a)}|${tag(pair.b)}`);
    }
    // Both orders and both kinds of pair show up (probability of missing one in 30 draws < 1e-3).
    expect([...seen].some((s) => s.startsWith('initial'))).toBe(true);
    expect([...seen].some((s) => s.endsWith('initial'))).toBe(true);
    expect([...seen].some((s) => !s.includes('initial'))).toBe(true);

    const before = Date.now();
    const pick = await w.mutate('rev', { kind: 'ab.pick', questionId: 'q1', a: { kind: 'annotation', revisionId: b1 }, b: { kind: 'initial' }, choice: 'a' });
    expect(pick).toMatchObject({ status: 'applied', duplicate: false });
    const [j] = await json<AbJudgement[]>(w.call('rev', 'GET', '/api/ab?mine=1'));
    expect(j).toMatchObject({ id: pick.id, reviewerId: 'rev', choice: 'a', a: { kind: 'annotation', revisionId: b1 }, b: { kind: 'initial' } });
    expect(Date.parse(j!.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    const stored = await w.opened.db.selectFrom('ab_judgements').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ reviewer_id: 'rev', a_revision_id: b1, b_kind: 'initial', choice: 'a' });
    // Judged: this reviewer is not asked about q1 again; the admin still is.
    expect((await json<{ pairs: AbPair[] }>(w.call('rev', 'GET', '/api/ab/next?count=5'))).pairs).toEqual([]);
    expect((await json<{ pairs: AbPair[] }>(w.call('boss', 'GET', '/api/ab/next?count=5'))).pairs.map((p) => p.question.id)).toEqual(['q1']);
  });

  it('R20: refuses sides that are not answers of that question, each on its own', async () => {
    const a0 = await w.save('ann', 't-ann', 'q0', {});
    const body = { kind: 'ab.pick', questionId: 'q1', a: { kind: 'annotation', revisionId: a0 }, b: { kind: 'initial' }, choice: 'b' };
    const reason = async (user: string, m: Record<string, unknown>) => {
      const r = await w.mutate(user, { ...body, ...m });
      return r.status === 'rejected' ? r.reason : r.status;
    };
    expect(await reason('rev', {})).toBe('unknown_revision');
    expect(await reason('rev', { questionId: 'nope' })).toBe('unknown_question');
    expect(await reason('rev', { questionId: 'q0', b: body.a })).toBe('invalid');
    expect(await reason('rev', { questionId: 'q0', choice: 'c' })).toBe('invalid');
    expect(await reason('ann', { questionId: 'q0' })).toBe('not_reviewer');
    expect(await reason('rev', { questionId: 'q0', choice: 'both_bad' })).toBe('applied');
    expect(await w.opened.db.selectFrom('ab_judgements').select('choice').execute()).toEqual([{ choice: 'both_bad' }]);
  });

  it('offers several pairs at once, one per question, for judging offline', async () => {
    await w.save('ann', 't-ann', 'q0', {});
    await w.save('ann', 't-ann', 'q1', {});
    await w.save('bob', 't-bob', 'q3', {});
    const { pairs } = await json<{ pairs: AbPair[] }>(w.call('rev', 'GET', '/api/ab/next?count=10'));
    expect(pairs.map((p) => p.question.id).sort()).toEqual(['q0', 'q1', 'q3']);
    expect((await w.call('rev', 'GET', '/api/ab/next?count=0')).status).toBe(400);
  });
});
