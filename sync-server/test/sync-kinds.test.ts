// The mutation kinds beyond annotation saves (SPEC R19–R23): reviews, A/B picks and qualification answers go
// through the one sync push, exactly once, and qualification answers never become dataset annotations.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PushResponse } from '@in3d/shared/protocol';
import type { AttemptDetail, DashboardStats } from '@in3d/shared/quality';
import type { TaskSummary } from '@in3d/shared/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonlLines } from '../src/exchange/export-jsonl';
import { exportNpz } from '../src/exchange/export-npz';
import { createQualityWorld, json, GOLD_IDS, goldPose, type QualityWorld } from './quality-world';

let w: QualityWorld;
beforeEach(async () => {
  w = await createQualityWorld();
});
afterEach(() => w.close());

const values = (azimuth: number, subtype = 2) => ({ pose: { ...goldPose(0), azimuth }, subtype, objectStatus: 'status_good', dense: 'dense_no', activeMs: 4321 });
const now = () => new Date().toISOString();

describe('review, A/B and qualification mutations', () => {
  it('R4, R19, R20, R22: a retried batch of a verdict and a pick stores each once and answers duplicate', async () => {
    const rev = await w.save('ann', 't-ann', 'q0', {});
    const clientId = randomUUID();
    const batch = {
      clientId,
      mutations: [
        { id: randomUUID(), seq: 1, kind: 'review.verdict', revisionId: rev, verdict: 'bad_pose', comment: 'turn it', clientSavedAt: now() },
        { id: randomUUID(), seq: 2, kind: 'ab.pick', questionId: 'q0', a: { kind: 'initial' }, b: { kind: 'annotation', revisionId: rev }, choice: 'b', clientSavedAt: now() },
      ],
    };
    const first = await json<PushResponse>(w.call('rev', 'POST', '/api/sync/push', batch));
    expect(first.ackSeq).toBe(2);
    expect(first.results).toEqual(batch.mutations.map((m) => ({ id: m.id, seq: m.seq, status: 'applied', duplicate: false })));
    const again = await json<PushResponse>(w.call('rev', 'POST', '/api/sync/push', batch));
    expect(again.results.map((r) => [r.status, r.status === 'applied' && r.duplicate])).toEqual([['applied', true], ['applied', true]]);
    expect(await w.opened.db.selectFrom('reviews').select(['id', 'client_id']).execute()).toEqual([{ id: batch.mutations[0]!.id, client_id: clientId }]);
    expect(await w.opened.db.selectFrom('ab_judgements').select(['id', 'client_id']).execute()).toEqual([{ id: batch.mutations[1]!.id, client_id: clientId }]);
  });

  it('R22: one id is one mutation whatever its kind; another user\'s id is id_taken', async () => {
    const rev = await w.save('ann', 't-ann', 'q0', {});
    const reviewId = await w.review('rev', rev, 'good');
    // The same id again, now as a pick: answered from the stored review, nothing new stored.
    const clientOf = async () => (await w.opened.db.selectFrom('reviews').select('client_id').executeTakeFirstOrThrow()).client_id!;
    const asPick = { id: reviewId, seq: 99, kind: 'ab.pick', questionId: 'q0', a: { kind: 'initial' }, b: { kind: 'annotation', revisionId: rev }, choice: 'a', clientSavedAt: now() };
    const same = await json<PushResponse>(w.call('rev', 'POST', '/api/sync/push', { clientId: await clientOf(), mutations: [asPick] }));
    expect(same.results[0]).toMatchObject({ status: 'applied', duplicate: true });
    expect(await w.opened.db.selectFrom('ab_judgements').selectAll().execute()).toEqual([]);
    // Another user (or device) reusing it is refused, as for annotations (R4).
    expect(await w.mutate('boss', { id: reviewId, kind: 'review.verdict', revisionId: rev, verdict: 'bad_image', comment: null })).toMatchObject({ status: 'rejected', reason: 'id_taken' });
    expect(await w.mutate('bob', { id: rev, kind: 'qualification.answer', attemptId: 'x', questionId: 'g0', values: values(1) })).toMatchObject({ status: 'rejected', reason: 'id_taken' });
    // Its owner sending an annotation's id under another kind gets the stored annotation back (with its head).
    expect(await w.mutate('ann', { id: rev, kind: 'qualification.answer', attemptId: 'x', questionId: 'g0', values: values(1) }))
      .toMatchObject({ status: 'applied', duplicate: true, head: { questionId: 'q0', revisionId: rev } });
    expect(await w.opened.db.selectFrom('reviews').select('verdict').execute()).toEqual([{ verdict: 'good' }]);
  });

  it('R7, R19: a refused verdict is permanent and does not fail its neighbours', async () => {
    const rev = await w.save('ann', 't-ann', 'q0', {});
    const clientId = randomUUID();
    const bad = { id: randomUUID(), seq: 1, kind: 'review.verdict', revisionId: 'nope', verdict: 'good', comment: null, clientSavedAt: now() };
    const good = { id: randomUUID(), seq: 2, kind: 'review.verdict', revisionId: rev, verdict: 'good', comment: null, clientSavedAt: now() };
    for (let i = 0; i < 2; i++) {
      const body = await json<PushResponse>(w.call('rev', 'POST', '/api/sync/push', { clientId, mutations: [good, bad] }));
      expect(body.results.map((r) => [r.id, r.status === 'rejected' ? r.reason : r.status])).toEqual([[bad.id, 'unknown_revision'], [good.id, 'applied']]);
    }
    expect(await w.opened.db.selectFrom('reviews').select('id').execute()).toEqual([{ id: good.id }]);
  });

  it('R21: answers only the caller\'s own open attempt, only its questions; annotation.save cannot write into it', async () => {
    for (const questionId of GOLD_IDS) await json(w.call('boss', 'POST', '/api/admin/gold', { questionId }), 201);
    const attempt = await json<AttemptDetail>(w.call('newbie', 'POST', '/api/qualification/attempts'), 201);
    const answer = (user: string, m: Record<string, unknown>) => w.mutate(user, { kind: 'qualification.answer', attemptId: attempt.id, questionId: 'g0', values: values(5), ...m });
    expect(await answer('ann', {})).toMatchObject({ status: 'rejected', reason: 'unknown_attempt' });
    expect(await answer('newbie', { attemptId: 'nope' })).toMatchObject({ status: 'rejected', reason: 'unknown_attempt' });
    expect(await answer('newbie', { questionId: 'q0' })).toMatchObject({ status: 'rejected', reason: 'not_assigned' });
    expect(await answer('newbie', { values: { ...values(5), subtype: 0 } })).toMatchObject({ status: 'rejected', reason: 'invalid' });
    const save = await json<PushResponse>(w.push('newbie', attempt.taskId, 'g0', values(5) as never));
    expect(save.results[0]).toMatchObject({ status: 'rejected', reason: 'not_assigned' });
    expect(await answer('newbie', {})).toMatchObject({ status: 'applied' });
    expect(await w.opened.db.selectFrom('annotations').selectAll().execute()).toEqual([]);
    expect((await json<AttemptDetail>(w.call('newbie', 'GET', `/api/qualification/attempts/${attempt.id}`))).answered).toBe(1);
  });

  it('R23: after a failed and a passed attempt, npz, jsonl, task progress and the dashboard hold none of the answers', async () => {
    for (const questionId of GOLD_IDS) await json(w.call('boss', 'POST', '/api/admin/gold', { questionId }), 201);
    const settings = await json<Record<string, unknown>>(w.call('boss', 'GET', '/api/admin/settings/qualification'));
    await json(w.call('boss', 'PUT', '/api/admin/settings/qualification', { ...settings, rotationDeg: 10 }));
    // A dataset annotation by someone else, so the exports are not empty and the filter is what is tested.
    const dataset = await w.save('ann', 't-ann', 'q0', {});
    const answerIds: string[] = [];
    const run = async (offsetDeg: number) => {
      const a = await json<AttemptDetail>(w.call('newbie', 'POST', '/api/qualification/attempts'), 201);
      for (const q of a.questions) {
        const g = goldPose(GOLD_IDS.indexOf(q.id));
        answerIds.push(await w.answer('newbie', a.id, q.id, { pose: { ...g, azimuth: g.azimuth + offsetDeg }, subtype: 2 }));
      }
      // Progress of the open attempt counts its answers.
      const listed = (await json<TaskSummary[]>(w.call('newbie', 'GET', '/api/tasks'))).find((t) => t.id === a.taskId);
      expect(listed).toMatchObject({ done: 3, total: 3, firstOpenIndex: null, attemptId: a.id });
      return json<AttemptDetail>(w.call('newbie', 'POST', `/api/qualification/attempts/${a.id}/submit`));
    };
    expect((await run(20)).passed).toBe(false);
    expect((await run(2)).passed).toBe(true);
    expect(answerIds).toHaveLength(6);
    expect(await w.opened.db.selectFrom('qualification_answers').select('id').execute()).toHaveLength(6);

    const out = mkdtempSync(join(tmpdir(), 'in3d-r23-'));
    try {
      const npz = await exportNpz(w.opened.db, { outDir: out });
      expect(npz.written).toBe(1);
      expect(readdirSync(join(out, 'annotations_new', 'chair'))).toEqual(['q0.npz']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const lines: string[] = [];
    for await (const line of jsonlLines(w.opened.db)) lines.push(line);
    const text = lines.join('');
    expect(text).toContain(dataset);
    for (const id of answerIds) expect(text).not.toContain(id);
    for (const line of lines) {
      const q = JSON.parse(line) as { questionId: string; current: unknown; revisions: unknown[] };
      if (GOLD_IDS.includes(q.questionId)) expect([q.questionId, q.current, q.revisions]).toEqual([q.questionId, null, []]);
    }

    // Task progress: no finished attempt in the list; the normal task counts nothing from the test.
    const tasks = await json<TaskSummary[]>(w.call('newbie', 'GET', '/api/tasks'));
    expect(tasks.map((t) => [t.id, t.done])).toEqual([['t-new', 0]]);

    const stats = await json<DashboardStats>(w.call('boss', 'GET', '/api/admin/stats'));
    const newbie = stats.perAnnotator.find((a) => a.userId === 'newbie');
    expect(newbie).toMatchObject({ done: 0, revisions: 0, activeMsTotal: 0 });
    expect(stats.perTask.filter((t) => t.kind === 'qualification').map((t) => t.done)).toEqual([0, 0]);
    expect(stats.throughput.reduce((n, d) => n + d.revisions, 0)).toBe(1);
    expect(stats.activeTime.map((a) => a.userId)).toEqual(['ann']);
    expect(stats.agreement.pairs).toEqual([]);
    expect(stats.gold.filter((g) => g.userId === 'newbie' && g.n > 0)).toEqual([]);
  });
});
