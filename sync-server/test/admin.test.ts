import type { AdminQuestion, AdminTask, AdminUser, DashboardStats } from '@in3d/shared/quality';
import type { TaskSummary } from '@in3d/shared/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQualityWorld, json, goldPose, type QualityWorld } from './quality-world';

let w: QualityWorld;
beforeEach(async () => {
  w = await createQualityWorld();
});
afterEach(() => w.close());

const login = (userId: string, password: string) =>
  w.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, password }) });

describe('admin: accounts', () => {
  it('creates an account with a generated password that logs in, resets it, changes the role and disables it', async () => {
    const created = await json<{ user: AdminUser; password: string }>(w.call('boss', 'POST', '/api/admin/users', { id: 'carol', role: 'annotator' }), 201);
    expect(created.user).toMatchObject({ id: 'carol', role: 'annotator', qualified: false, disabled: false });
    expect(created.password).toMatch(/^[A-Za-z0-9]{16}$/);
    expect((await login('carol', created.password)).status).toBe(200);
    expect((await w.call('boss', 'POST', '/api/admin/users', { id: 'carol', role: 'annotator' })).status).toBe(409);
    expect((await w.call('boss', 'POST', '/api/admin/users', { id: 'bad id!', role: 'annotator' })).status).toBe(400);
    expect((await w.call('boss', 'POST', '/api/admin/users', { id: 'x', role: 'king' })).status).toBe(400);

    const reset = await json<{ password: string }>(w.call('boss', 'POST', '/api/admin/users/carol/password', {}));
    expect(reset.password).not.toBe(created.password);
    expect((await login('carol', created.password)).status).toBe(401);
    expect((await login('carol', reset.password)).status).toBe(200);

    expect((await json<AdminUser>(w.call('boss', 'PATCH', '/api/admin/users/carol', { role: 'reviewer' }))).role).toBe('reviewer');
    await json(w.call('boss', 'PATCH', '/api/admin/users/ann', { disabled: true }));
    expect((await w.call('ann', 'GET', '/api/me')).status).toBe(401);
    expect((await w.call('boss', 'PATCH', '/api/admin/users/nobody', { role: 'admin' })).status).toBe(404);
    expect((await w.call('boss', 'PATCH', '/api/admin/users/carol', { password: 'sneaky' })).status).toBe(400);
    // The last word on lockout: an admin cannot demote or disable themself.
    expect((await w.call('boss', 'PATCH', '/api/admin/users/boss', { role: 'annotator' })).status).toBe(409);
    const users = await json<AdminUser[]>(w.call('boss', 'GET', '/api/admin/users'));
    expect(users.map((u) => u.id)).toEqual(['ann', 'bob', 'boss', 'carol', 'newbie', 'rev']);
  });
});

describe('admin: tasks', () => {
  it('creates a task from questions, assigns, reassigns and unassigns', async () => {
    const page = await json<{ total: number; questions: AdminQuestion[] }>(w.call('boss', 'GET', '/api/admin/questions?limit=3'));
    expect(page.total).toBe(7);
    expect(page.questions.map((q) => q.id)).toEqual(['g0', 'g1', 'g2']);
    expect(page.questions[0]).toMatchObject({ isGold: false, hasSourceGold: true, taskIds: [] });

    const t = await json<AdminTask>(w.call('boss', 'POST', '/api/admin/tasks', { id: 'fresh', name: 'Fresh', questionIds: ['q3', 'q0', 'q3'], assignees: ['ann'] }), 201);
    expect(t).toMatchObject({ id: 'fresh', total: 2, assignees: [{ userId: 'ann', done: 0 }] });
    const annTask = (await json<{ questions: { id: string }[] }>(w.call('ann', 'GET', '/api/tasks/fresh'))).questions.map((q) => q.id);
    expect(annTask).toEqual(['q3', 'q0']);
    expect((await w.call('boss', 'POST', '/api/admin/tasks', { name: 'x', questionIds: ['nope'] })).status).toBe(400);
    expect((await w.call('boss', 'POST', '/api/admin/tasks', { id: 'fresh', name: 'x', questionIds: ['q0'] })).status).toBe(409);

    await w.save('ann', 'fresh', 'q0', {});
    await json(w.call('boss', 'POST', '/api/admin/tasks/fresh/reassign', { from: 'ann', to: 'bob' }));
    expect((await w.call('ann', 'GET', '/api/tasks/fresh')).status).toBe(403);
    expect((await json<TaskSummary[]>(w.call('bob', 'GET', '/api/tasks'))).map((x) => x.id)).toContain('fresh');
    // ann's save stays hers; bob starts the task fresh.
    const after = (await json<AdminTask[]>(w.call('boss', 'GET', '/api/admin/tasks'))).find((x) => x.id === 'fresh');
    expect(after?.assignees).toEqual([{ userId: 'bob', done: 0 }]);
    expect(await w.opened.db.selectFrom('annotations').select('user_id').where('question_id', '=', 'q0').execute()).toEqual([{ user_id: 'ann' }]);

    await json(w.call('boss', 'POST', '/api/admin/tasks/fresh/assignees', { userId: 'newbie' }));
    await json(w.call('boss', 'DELETE', '/api/admin/tasks/fresh/assignees/bob'));
    expect((await w.call('boss', 'DELETE', '/api/admin/tasks/fresh/assignees/bob')).status).toBe(404);
    expect((await w.call('boss', 'POST', '/api/admin/tasks/nope/assignees', { userId: 'bob' })).status).toBe(404);
    expect((await w.call('boss', 'POST', '/api/admin/tasks/fresh/assignees', { userId: 'ghost' })).status).toBe(404);
  });
});

describe('admin: dashboard statistics', () => {
  it('measures agreement between two annotators of the same objects and Acc@π/6 on gold', async () => {
    const pose = (azimuth: number) => ({ azimuth, elevation: 10, theta: 0, distance: 5, px: 320, py: 240 });
    // ann and bob both did q0 and q1: rotation 20° and 50° apart, centre 0 and 5 px, distances 5 vs 5 and 5 vs 6.
    await w.save('ann', 't-ann', 'q0', { pose: pose(0), objectStatus: 'status_good', dense: 'dense_no', activeMs: 4000 });
    await w.save('ann', 't-ann', 'q1', { pose: pose(0), objectStatus: 'status_partially', dense: 'dense_no', activeMs: 1000 });
    await w.save('ann', 't-ann', 'q1', { pose: pose(0), objectStatus: 'status_partially', dense: 'dense_no', activeMs: 3000 });
    await w.save('bob', 't-bob', 'q0', { pose: pose(20), objectStatus: 'status_good', dense: 'dense_no', activeMs: 2000 });
    await w.save('bob', 't-bob', 'q1', { pose: { ...pose(50), px: 323, py: 244, distance: 6 }, objectStatus: 'status_partially', dense: 'dense_yes' });

    // bob also annotates the three gold questions in a normal task: 10°, 20° and 45° off.
    for (const g of ['g0', 'g1', 'g2']) await json(w.call('boss', 'POST', '/api/admin/gold', { questionId: g }), 201);
    const now = new Date().toISOString();
    await w.opened.db.insertInto('tasks').values({ id: 't-gold', name: 't-gold', created_at: now }).execute();
    await w.opened.db.insertInto('task_questions').values(['g0', 'g1', 'g2'].map((q, position) => ({ task_id: 't-gold', question_id: q, position }))).execute();
    await w.opened.db.insertInto('assignments').values({ task_id: 't-gold', user_id: 'bob', assigned_at: now }).execute();
    const offsets = [10, 20, 45];
    for (let i = 0; i < 3; i++) {
      const g = goldPose(i);
      await w.save('bob', 't-gold', `g${i}`, { pose: { ...g, azimuth: g.azimuth + offsets[i]! }, subtype: 2 });
    }
    // R23: newbie's qualification answers (exact) are attempt records: no gold accuracy, no counts.
    const attempt = await json<{ id: string }>(w.call('newbie', 'POST', '/api/qualification/attempts'), 201);
    for (let i = 0; i < 3; i++) await w.answer('newbie', attempt.id, `g${i}`, { pose: goldPose(i), subtype: 2 });

    const s = await json<DashboardStats>(w.call('boss', 'GET', '/api/admin/stats'));
    expect(s.agreement.pairs).toHaveLength(1);
    const p = s.agreement.pairs[0]!;
    expect(p).toMatchObject({ userA: 'ann', userB: 'bob', n: 2, accAtPi6: 0.5, subtypeAgreement: 1 });
    expect(p.medianRotationDeg).toBeCloseTo(35, 9);
    expect(p.meanCentrePx).toBeCloseTo(2.5, 12);
    expect(p.medianDistanceRatio).toBeCloseTo((1 + 1.2) / 2, 12);
    // Status agrees on both (good, partially): κ = 1. Dense (no,no) and (no,yes): pₒ = ½, pₑ = 1·½, κ = 0.
    expect(p.kappaObjectStatus).toBe(1);
    expect(p.kappaDense).toBe(0);

    expect(s.gold.map((x) => x.userId)).toEqual(['bob']);
    const gold = s.gold.find((x) => x.userId === 'bob')!;
    expect(gold.n).toBe(3);
    expect(gold.accAtPi6).toBeCloseTo(2 / 3, 12);
    expect(gold.medianRotationDeg).toBeCloseTo(20, 9);

    const today = new Date().toISOString().slice(0, 10);
    expect(s.throughput).toEqual([{ day: today, revisions: 8, newAnnotations: 7 }]);
    expect(s.activeTime.filter((a) => a.userId === 'ann')).toEqual([
      { userId: 'ann', questionId: 'q0', activeMs: 4000 },
      { userId: 'ann', questionId: 'q1', activeMs: 3000 },
    ]);
    const ann = s.perAnnotator.find((u) => u.userId === 'ann')!;
    expect(ann).toMatchObject({ assigned: 3, done: 2, revisions: 3, activeMsTotal: 7000 });
    expect(s.perTask.find((t) => t.taskId === 't-ann')).toMatchObject({ total: 3, assignees: 1, done: 2, possible: 3 });
  });
});

describe('admin: question table filters', () => {
  const ids = async (query: string) =>
    (await json<{ total: number; questions: AdminQuestion[] }>(w.call('boss', 'GET', `/api/admin/questions?${query}`))).questions.map((q) => q.id);

  it('filters by status, annotator, task and category substring, with thumbnails and who answered', async () => {
    await w.save('ann', 't-ann', 'q0', {});
    await w.save('bob', 't-bob', 'q3', {});
    expect(await ids('status=annotated')).toEqual(['q0', 'q3']);
    expect(await ids('status=open&task=t-ann')).toEqual(['q1', 'q2']);
    expect(await ids('annotator=BO')).toEqual(['q3']);
    expect(await ids('task=-new')).toEqual(['q2', 'q3']);
    expect(await ids('category=hai&task=t-bob')).toEqual(['q0', 'q1', 'q3']);
    expect(await ids('category=nothing')).toEqual([]);
    // LIKE wildcards in the text are literal.
    expect(await ids('task=t%25')).toEqual([]);
    const page = await json<{ questions: AdminQuestion[] }>(w.call('boss', 'GET', '/api/admin/questions?task=t-ann'));
    expect(page.questions.find((q) => q.id === 'q0')).toMatchObject({ status: 'annotated', annotators: ['ann'], imageUrl: expect.stringMatching(/^\/api\/images\/img-q0/) });
    expect((await w.call('boss', 'GET', '/api/admin/questions?status=weird')).status).toBe(400);
  });
});

describe('admin: poison input', () => {
  it('R33/R34: huge numbers in the question page or a gold reference are 400, never 500, and store nothing', async () => {
    for (const qs of ['offset=1e308', 'offset=0x10', 'limit=1e3', 'offset=9007199254740992'])
      expect((await w.call('boss', 'GET', `/api/admin/questions?${qs}`)).status, qs).toBe(400);
    expect((await w.call('boss', 'GET', '/api/admin/questions?offset=9007199254740991&limit=5000')).status).toBe(200);
    const pose = { azimuth: 0, elevation: 0, theta: 0, distance: 5, px: 0, py: 0 };
    for (const reference of [{ pose, subtype: 1e308 }, { pose: { ...pose, azimuth: 1e308 }, subtype: 1 }, { pose: { ...pose, distance: 5e-324 }, subtype: 1 }]) {
      const res = await w.call('boss', 'POST', '/api/admin/gold', { questionId: 'g0', reference });
      expect(res.status, JSON.stringify(reference)).toBe(400);
    }
    expect(await json<unknown[]>(w.call('boss', 'GET', '/api/admin/gold'))).toEqual([]);
    await json(w.call('boss', 'POST', '/api/admin/gold', { questionId: 'g0', reference: { pose, subtype: 1 } }), 201);
  });
});
