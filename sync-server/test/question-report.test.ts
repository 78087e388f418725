// SPEC R50: a note or problem flag on a question travels through the one push, reaches the admin's and
// reviewer's list and the jsonl export, and is stored exactly once.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonlLines } from '../src/exchange/export-jsonl';
import { createQualityWorld, type QualityWorld } from './quality-world';

let w: QualityWorld;
beforeEach(async () => {
  w = await createQualityWorld();
});
afterEach(() => w.close());

const report = (over: Record<string, unknown> = {}) => ({
  id: randomUUID(), kind: 'question.report', questionId: 'q1', taskId: 't-ann', problem: 'wrong_bbox', note: '  box cuts the legs  ', clientSavedAt: new Date().toISOString(), ...over,
});

describe('question.report', () => {
  it('R50: is applied without a head, listed for reviewers and admins, resolved by an admin, and exported', async () => {
    const m = report();
    const [r] = await w.pushMutations('ann', [m]);
    expect(r).toMatchObject({ id: m.id, status: 'applied', duplicate: false });
    expect(r).not.toHaveProperty('head');
    // R4: the retry is the same report, stored once.
    const [again] = await w.pushMutations('ann', [m]);
    expect(again).toMatchObject({ status: 'applied', duplicate: true });

    const listed = (await (await w.call('rev', 'GET', '/api/reports?open=1')).json()) as { id: string; problem: string; note: string; userId: string }[];
    expect(listed).toEqual([expect.objectContaining({ id: m.id, problem: 'wrong_bbox', note: 'box cuts the legs', userId: 'ann' })]);
    expect((await w.call('ann', 'GET', '/api/reports')).status).toBe(403);
    expect((await w.call('rev', 'POST', `/api/admin/reports/${m.id}/resolve`)).status).toBe(403);
    expect((await w.call('boss', 'POST', `/api/admin/reports/${m.id}/resolve`)).status).toBe(200);
    expect((await (await w.call('boss', 'GET', '/api/reports?open=1')).json()) as unknown[]).toEqual([]);

    const lines: { questionId: string; reports: { id: string; problem: string; resolvedAt: string | null }[] }[] = [];
    for await (const l of jsonlLines(w.opened.db)) lines.push(JSON.parse(l));
    const line = lines.find((l) => l.questionId === 'q1')!;
    expect(line.reports).toEqual([expect.objectContaining({ id: m.id, problem: 'wrong_bbox', resolvedAt: expect.any(String) })]);
    expect(lines.find((l) => l.questionId === 'q0')!.reports).toEqual([]);
  });

  it('R50: is refused without a problem or a note, for a question outside the caller\'s tasks, or with an unknown problem', async () => {
    const results = await w.pushMutations('ann', [
      report({ problem: null, note: '   ' }),
      report({ questionId: 'q3' }),
      report({ problem: 'ugly' }),
      report({ problem: null, note: 'the photo is mirrored' }),
    ]);
    expect(results.map((r) => (r.status === 'rejected' ? r.reason : r.status))).toEqual(['invalid', 'not_assigned', 'invalid', 'applied']);
  });
});

describe('support link', () => {
  it('is set by an admin (http(s) or mailto only) and read by every signed-in user', async () => {
    expect(await (await w.call('ann', 'GET', '/api/settings/support')).json()).toEqual({ url: null });
    expect((await w.call('boss', 'PUT', '/api/admin/settings/support', { url: 'javascript:alert(1)' })).status).toBe(400);
    expect((await w.call('ann', 'PUT', '/api/admin/settings/support', { url: 'mailto:help@example.org' })).status).toBe(403);
    expect((await w.call('boss', 'PUT', '/api/admin/settings/support', { url: ' mailto:help@example.org ' })).status).toBe(200);
    expect(await (await w.call('ann', 'GET', '/api/settings/support')).json()).toEqual({ url: 'mailto:help@example.org' });
  });
});
