// SPEC R51: "Clear annotation" is an `annotation.save` marked `cleared`: a new revision (history kept) whose
// head counts as not annotated in task progress, the admin's tables and stats, the review queue, A/B and
// every export, and which another device pulls. Real migrations, the real push, app.request().
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { MutationResult, PullResponse } from '@in3d/shared/protocol';
import type { AbPair, AdminTask, DashboardStats, ReviewItem } from '@in3d/shared/quality';
import type { AnnotationValues, TaskSummary } from '@in3d/shared/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportCoco } from '../src/exchange/export-coco';
import { jsonlLines } from '../src/exchange/export-jsonl';
import { exportNpz } from '../src/exchange/export-npz';
import { exportRelease } from '../src/exchange/export-release';
import { createQualityWorld, INITIAL, type QualityWorld } from './quality-world';

let w: QualityWorld;
let out: string;
beforeEach(async () => {
  w = await createQualityWorld();
  out = mkdtempSync(join(tmpdir(), 'in3d-clear-'));
});
afterEach(async () => {
  await w.close();
  rmSync(out, { recursive: true, force: true });
});

const json = async <T,>(r: Promise<Response>): Promise<T> => {
  const res = await r;
  expect(res.status).toBe(200);
  return (await res.json()) as T;
};
const values: AnnotationValues = { pose: { ...INITIAL, azimuth: 33 }, subtype: 1, objectStatus: 'status_good', dense: 'dense_no', activeMs: 900 };
const clear = (questionId: string, baseRevisionId: string | null, over: Record<string, unknown> = {}) => ({
  kind: 'annotation.save', questionId, taskId: 't-ann', baseRevisionId, values, cleared: true, ...over,
});
const applied = (r: MutationResult): Extract<MutationResult, { status: 'applied' }> => {
  if (r.status !== 'applied') throw new Error(`refused: ${r.reason}: ${r.message}`);
  return r;
};
const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name);

describe('clear annotation (R51)', () => {
  it('R51: a clear is a new revision on top of the save; the head moves to it and the history keeps both', async () => {
    const saved = await w.save('ann', 't-ann', 'q0', values);
    const r = applied(await w.mutate('ann', clear('q0', saved)));
    expect(r.head).toMatchObject({ questionId: 'q0', revisionId: r.id, conflictRevisionId: null });
    const rows = await w.opened.db.selectFrom('annotations').select(['id', 'cleared', 'base_revision_id']).where('question_id', '=', 'q0').orderBy('seq').execute();
    expect(rows).toEqual([
      { id: saved, cleared: 0, base_revision_id: null },
      { id: r.id, cleared: 1, base_revision_id: saved },
    ]);
  });

  it('R51: another device pulls the clear (the revision says cleared) and a later save annotates it again', async () => {
    const saved = await w.save('ann', 't-ann', 'q0', values);
    const c = applied(await w.mutate('ann', clear('q0', saved)));
    const page = await json<PullResponse>(w.call('ann', 'GET', '/api/sync/pull?cursor=0'));
    expect(page.revisions.map((x) => [x.id, x.cleared])).toEqual([[saved, false], [c.id, true]]);
    expect(page.heads).toEqual([expect.objectContaining({ questionId: 'q0', revisionId: c.id })]);
    const again = applied(await w.mutate('ann', { kind: 'annotation.save', questionId: 'q0', taskId: 't-ann', baseRevisionId: c.id, values }));
    expect(again.head).toMatchObject({ revisionId: again.id, conflictRevisionId: null });
    expect((await json<TaskSummary[]>(w.call('ann', 'GET', '/api/tasks'))).find((t) => t.id === 't-ann')?.done).toBe(1);
  });

  it('R51: a clear from a device that never saw the head is a conflict (R11b), like any save', async () => {
    const first = await w.save('ann', 't-ann', 'q0', values);
    // A second device of the same annotator (its own client id) clears from the first save's base…
    const otherClient = randomUUID();
    const push = (m: Record<string, unknown>, seq: number) =>
      json<{ results: MutationResult[] }>(w.call('ann', 'POST', '/api/sync/push', { clientId: otherClient, mutations: [{ id: randomUUID(), seq, clientSavedAt: new Date().toISOString(), ...m }] }));
    const second = (await push({ kind: 'annotation.save', questionId: 'q0', taskId: 't-ann', baseRevisionId: first, values }, 1)).results[0]!;
    // …while the first device, still on its first save, clears: it saw neither the head nor a conflict.
    const stale = applied(await w.mutate('ann', clear('q0', null)));
    expect(second.status).toBe('applied');
    expect(stale.head).toMatchObject({ revisionId: second.id, conflictRevisionId: stale.id });
  });

  it('R51: a cleared question counts as not annotated in progress, first open question, admin tasks and dashboard stats', async () => {
    const a0 = await w.save('ann', 't-ann', 'q0', values);
    await w.save('ann', 't-ann', 'q1', values);
    const before = (await json<TaskSummary[]>(w.call('ann', 'GET', '/api/tasks'))).find((t) => t.id === 't-ann')!;
    expect(before).toMatchObject({ done: 2, firstOpenIndex: 2 });
    applied(await w.mutate('ann', clear('q0', a0)));
    const after = (await json<TaskSummary[]>(w.call('ann', 'GET', '/api/tasks'))).find((t) => t.id === 't-ann')!;
    expect(after).toMatchObject({ done: 1, firstOpenIndex: 0 });

    const tasks = await json<AdminTask[]>(w.call('boss', 'GET', '/api/admin/tasks'));
    expect(tasks.find((t) => t.id === 't-ann')?.assignees).toEqual([{ userId: 'ann', done: 1 }]);
    const stats = await json<DashboardStats>(w.call('boss', 'GET', '/api/admin/stats'));
    expect(stats.perTask.find((t) => t.taskId === 't-ann')).toMatchObject({ done: 1 });
    expect(stats.perAnnotator.find((u) => u.userId === 'ann')).toMatchObject({ done: 1 });
    expect(stats.activeTime.filter((t) => t.userId === 'ann').map((t) => t.questionId)).toEqual(['q1']);
    const open = await json<{ total: number; questions: { id: string }[] }>(w.call('boss', 'GET', '/api/admin/questions?status=open'));
    expect(open.questions.map((q) => q.id)).toContain('q0');
    const annotated = await json<{ questions: { id: string }[] }>(w.call('boss', 'GET', '/api/admin/questions?status=annotated'));
    expect(annotated.questions.map((q) => q.id)).toEqual(['q1']);
  });

  it('R51: a cleared annotation is neither in the review queue nor an A/B candidate', async () => {
    const a1 = await w.save('ann', 't-ann', 'q1', values);
    expect((await json<ReviewItem[]>(w.call('rev', 'GET', '/api/reviews/queue'))).map((i) => i.revisionId)).toEqual([a1]);
    expect((await json<{ pairs: AbPair[] }>(w.call('rev', 'GET', '/api/ab/next?count=5'))).pairs.map((p) => p.question.id)).toEqual(['q1']);
    applied(await w.mutate('ann', clear('q1', a1)));
    expect(await json<ReviewItem[]>(w.call('rev', 'GET', '/api/reviews/queue'))).toEqual([]);
    expect((await json<{ pairs: AbPair[] }>(w.call('rev', 'GET', '/api/ab/next?count=5'))).pairs).toEqual([]);
  });

  it('R51: every export leaves the cleared question out (npz, release, coco) or shows it not annotated (jsonl, history kept)', async () => {
    const a0 = await w.save('ann', 't-ann', 'q0', values);
    await w.save('ann', 't-ann', 'q1', values);
    const c = applied(await w.mutate('ann', clear('q0', a0)));

    const npz = await exportNpz(w.opened.db, { outDir: join(out, 'npz') });
    expect(npz.written).toBe(1);
    expect(files(join(out, 'npz'))).toHaveLength(1);
    const release = await exportRelease(w.opened.db, { outDir: join(out, 'release') });
    expect(release.written).toBe(1);
    const { coco } = await exportCoco(w.opened.db);
    expect(coco.annotations.map((a) => a.question_id)).toEqual(['q1']);

    const lines: { questionId: string; current: unknown; heads: unknown[]; revisions: { id: string; cleared: boolean }[] }[] = [];
    for await (const l of jsonlLines(w.opened.db)) lines.push(JSON.parse(l));
    const q0 = lines.find((l) => l.questionId === 'q0')!;
    expect(q0.current).toBeNull();
    expect(q0.heads).toEqual([]);
    expect(q0.revisions.map((r) => [r.id, r.cleared])).toEqual([[a0, false], [c.id, true]]);
    expect(lines.find((l) => l.questionId === 'q1')!.current).not.toBeNull();
  });

  it('R51: `cleared` must be a boolean; a save without it is an annotation', async () => {
    const [bad] = await w.pushMutations('ann', [{ id: randomUUID(), clientSavedAt: new Date().toISOString(), ...clear('q0', null, { cleared: 'yes' }) }]);
    expect(bad).toMatchObject({ status: 'rejected', reason: 'invalid' });
    await w.save('ann', 't-ann', 'q2', values);
    expect((await json<TaskSummary[]>(w.call('ann', 'GET', '/api/tasks'))).find((t) => t.id === 't-ann')?.done).toBe(1);
  });
});
