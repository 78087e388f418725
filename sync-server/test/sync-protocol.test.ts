// The server half of shared/SPEC.md, rule by rule, against the real app on a temp SQLite file.
import { randomUUID } from 'node:crypto';
import { PROTOCOL_VERSION, type PullResponse, type PushResponse } from '@in3d/shared/protocol';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWriteQueue } from '../src/repositories/annotations';
import { createWorld, type World } from './sync-world';

let w: World;
beforeEach(async () => {
  w = await createWorld();
});
afterEach(async () => {
  await w.close();
});

const values = (azimuth = 30) => ({
  pose: { azimuth, elevation: 10, theta: 0, distance: 5, px: 100, py: 80 },
  subtype: 2,
  objectStatus: 'status_good',
  dense: 'dense_no',
  activeMs: 1200,
});

function save(seq: number, questionId: string, taskId: string, over: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    seq,
    kind: 'annotation.save',
    questionId,
    taskId,
    baseRevisionId: null,
    supersedes: [],
    values: values(seq),
    clientSavedAt: new Date().toISOString(),
    ...over,
  };
}

async function push(user: string, clientId: string, mutations: unknown[], init: { protocol?: number | null } = {}) {
  const res = await w.request(user, '/api/sync/push', { method: 'POST', body: JSON.stringify({ clientId, mutations }), ...init });
  return { res, body: (await res.json()) as PushResponse & Record<string, unknown> };
}

async function pull(user: string, cursor: number, limit = 500) {
  const res = await w.request(user, `/api/sync/pull?cursor=${cursor}&limit=${limit}`);
  expect(res.status).toBe(200);
  return (await res.json()) as PullResponse;
}

const countRevisions = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM annotations`.execute(w.opened.db)).rows[0]!.n);
const annTask = () => w.tasks.ann![0]!;

describe('sync protocol (server)', () => {
  it('R1: a missing or old protocol version gets 426 protocol_outdated, even before the session is checked', async () => {
    const c = randomUUID();
    const t = annTask();
    for (const protocol of [null, 0]) {
      const { res, body } = await push('ann', c, [save(1, t.questionIds[0]!, t.taskId)], { protocol });
      expect(res.status).toBe(426);
      expect(body.status).toBe('protocol_outdated');
      expect(body.serverVersion).toBe(PROTOCOL_VERSION);
    }
    const anon = await w.request(null, '/api/sync/pull', { protocol: 0 });
    expect(anon.status).toBe(426);
    expect(await countRevisions()).toBe(0);
  });

  it('R2: without a session push and pull answer 401 and store nothing', async () => {
    const t = annTask();
    const res = await w.request(null, '/api/sync/push', { method: 'POST', body: JSON.stringify({ clientId: randomUUID(), mutations: [save(1, t.questionIds[0]!, t.taskId)] }) });
    expect(res.status).toBe(401);
    expect((await w.request(null, '/api/sync/pull')).status).toBe(401);
    expect(await countRevisions()).toBe(0);
  });

  it('R3: a client id bound to another annotator gets 409 client_mismatch', async () => {
    const c = randomUUID();
    const shared = w.tasks.ann![1]!;
    expect((await push('ann', c, [save(1, shared.questionIds[0]!, shared.taskId)])).res.status).toBe(200);
    const { res, body } = await push('bob', c, [save(1, shared.questionIds[1]!, shared.taskId)]);
    expect(res.status).toBe(409);
    expect(body.status).toBe('client_mismatch');
    expect(await countRevisions()).toBe(1);
  });

  it('R15: malformed requests get 400 with the paths, never a 5xx, and change nothing', async () => {
    const bad = await w.request('ann', '/api/sync/push', { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { status: string }).status).toBe('invalid');

    const t = annTask();
    const noId = save(1, t.questionIds[0]!, t.taskId) as Record<string, unknown>;
    delete noId.id;
    const { res, body } = await push('ann', randomUUID(), [noId]);
    expect(res.status).toBe(400);
    expect(body.status).toBe('invalid');
    expect((body.issues as { path: string }[]).map((i) => i.path)).toContain('mutations.0.id');

    const notUuid = await push('ann', 'device-1', [save(1, t.questionIds[0]!, t.taskId)]);
    expect(notUuid.res.status).toBe(400);

    for (const q of ['cursor=-1', 'cursor=abc', 'limit=0', 'limit=5000']) {
      const r = await w.request('ann', `/api/sync/pull?${q}`);
      expect(r.status, q).toBe(400);
    }
    expect(await countRevisions()).toBe(0);
  });

  it('R4: a mutation applied twice is stored once, and the retry says duplicate', async () => {
    const c = randomUUID();
    const t = annTask();
    const m = save(1, t.questionIds[0]!, t.taskId);
    const first = await push('ann', c, [m]);
    const again = await push('ann', c, [m]);
    expect(first.body.results[0]).toMatchObject({ status: 'applied', duplicate: false });
    expect(again.body.results[0]).toMatchObject({ status: 'applied', duplicate: true });
    const [r1, r2] = [first.body.results[0]!, again.body.results[0]!];
    if (r1.status !== 'applied' || r2.status !== 'applied') throw new Error('not applied');
    expect(r2.revisionSeq).toBe(r1.revisionSeq);
    expect(await countRevisions()).toBe(1);
  });

  it('R5: ackSeq is the highest processed seq and never goes back', async () => {
    const c = randomUUID();
    const t = annTask();
    const a = await push('ann', c, [save(1, t.questionIds[0]!, t.taskId), save(2, t.questionIds[1]!, t.taskId)]);
    expect(a.body.ackSeq).toBe(2);
    const b = await push('ann', c, [save(5, t.questionIds[2]!, t.taskId)]);
    expect(b.body.ackSeq).toBe(5);
    // A late, reordered request carrying an older seq does not move the acknowledgement back.
    const late = await push('ann', c, [save(3, t.questionIds[3]!, t.taskId)]);
    expect(late.body.ackSeq).toBe(5);
    expect(await countRevisions()).toBe(4);
  });

  it('R6: concurrent pushes are serialized: two devices racing on one question end with one head and a flagged conflict', async () => {
    const shared = w.tasks.ann![1]!;
    const q = shared.questionIds[0]!;
    const [a, b] = await Promise.all([
      push('ann', randomUUID(), [save(1, q, shared.taskId)]),
      push('ann', randomUUID(), [save(1, q, shared.taskId)]),
    ]);
    const ra = a.body.results[0]!;
    const rb = b.body.results[0]!;
    if (ra.status !== 'applied' || rb.status !== 'applied') throw new Error('not applied');
    const heads = await w.opened.db.selectFrom('annotation_heads').selectAll().where('question_id', '=', q).execute();
    expect(heads).toHaveLength(1);
    expect(new Set([heads[0]!.revision_id, heads[0]!.conflict_revision_id])).toEqual(new Set([ra.id, rb.id]));
  });

  it('R7: rejections come back per mutation with a reason, are recorded, and a retry gets the same answer', async () => {
    const c = randomUUID();
    const t = annTask();
    const batch = [
      save(1, t.questionIds[0]!, t.taskId),
      save(2, t.questionIds[1]!, t.taskId, { values: { ...values(), subtype: 0 } }),
      save(3, 'no-such-question', t.taskId),
      save(4, w.unassigned.questionIds[0]!, w.unassigned.taskId),
      save(5, w.tasks.bob![0]!.questionIds[0]!, w.tasks.bob![0]!.taskId),
      { ...save(6, t.questionIds[2]!, t.taskId), kind: 'annotation.delete' },
      save(7, t.questionIds[3]!, t.taskId),
    ];
    const { res, body } = await push('ann', c, batch);
    expect(res.status).toBe(200);
    const summary = body.results.map((r) => (r.status === 'applied' ? 'applied' : r.reason));
    expect(summary).toEqual(['applied', 'invalid', 'unknown_question', 'not_assigned', 'not_assigned', 'unknown_kind', 'applied']);
    const invalid = body.results[1]!;
    expect(invalid.status === 'rejected' && invalid.message).toContain('values.subtype');
    expect(await countRevisions()).toBe(2);
    const stored = await w.opened.db.selectFrom('sync_rejections').select(['reason']).orderBy('client_seq').execute();
    expect(stored.map((r) => r.reason)).toEqual(['invalid', 'unknown_question', 'not_assigned', 'not_assigned', 'unknown_kind']);

    const retry = await push('ann', c, batch);
    expect(retry.body.results.map((r) => (r.status === 'applied' ? `applied:${r.duplicate}` : r.reason))).toEqual([
      'applied:true', 'invalid', 'unknown_question', 'not_assigned', 'not_assigned', 'unknown_kind', 'applied:true',
    ]);
    expect(await countRevisions()).toBe(2);
  });

  it('R7: a mutation id reused by another client is refused as id_taken', async () => {
    const t = w.tasks.ann![1]!;
    const m = save(1, t.questionIds[0]!, t.taskId);
    await push('ann', randomUUID(), [m]);
    const other = await push('ann', randomUUID(), [m]);
    expect(other.body.results[0]).toMatchObject({ status: 'rejected', reason: 'id_taken' });
    expect(await countRevisions()).toBe(1);
  });

  it('R10: revisions are append-only in the database itself', async () => {
    const t = annTask();
    await push('ann', randomUUID(), [save(1, t.questionIds[0]!, t.taskId)]);
    await expect(sql`UPDATE annotations SET azimuth = 0`.execute(w.opened.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM annotations`.execute(w.opened.db)).rejects.toThrow(/append-only/);
  });

  it('R11/R12: a stale save from another device is kept as a conflict; a save naming both sides settles it', async () => {
    const t = annTask();
    const q = t.questionIds[0]!;
    const dev1 = randomUUID();
    const dev2 = randomUUID();
    const a = save(1, q, t.taskId);
    await push('ann', dev1, [a]);
    const b = save(1, q, t.taskId, { baseRevisionId: a.id });
    await push('ann', dev2, [b]);
    // dev1 has not seen b and saves on top of a.
    const c = save(2, q, t.taskId, { baseRevisionId: a.id });
    const rc = (await push('ann', dev1, [c])).body.results[0]!;
    expect(rc).toMatchObject({ status: 'applied', head: { revisionId: b.id, conflictRevisionId: c.id } });
    // dev1 keeps its own pose: a new revision on top of both.
    const d = save(3, q, t.taskId, { baseRevisionId: c.id, supersedes: [b.id], values: c.values });
    const rd = (await push('ann', dev1, [d])).body.results[0]!;
    expect(rd).toMatchObject({ status: 'applied', head: { revisionId: d.id, conflictRevisionId: null } });
    expect(await countRevisions()).toBe(4);
  });

  it('R13: pull pages through only the caller’s revisions with heads, cursor and hasMore', async () => {
    const c = randomUUID();
    const t = annTask();
    const shared = w.tasks.bob![1]!;
    await push('bob', randomUUID(), [save(1, shared.questionIds[0]!, shared.taskId)]);
    const mine = t.questionIds.map((q, i) => save(i + 1, q, t.taskId));
    mine.push(save(6, t.questionIds[0]!, t.taskId, { baseRevisionId: mine[0]!.id }));
    mine.push(save(7, t.questionIds[1]!, t.taskId, { baseRevisionId: mine[1]!.id }));
    await push('ann', c, mine);

    const seen: string[] = [];
    let cursor = 0;
    const pages: number[] = [];
    for (;;) {
      const p = await pull('ann', cursor, 3);
      pages.push(p.revisions.length);
      seen.push(...p.revisions.map((r) => r.id));
      expect(p.revisions.every((r) => r.userId === 'ann')).toBe(true);
      expect(new Set(p.heads.map((h) => h.questionId))).toEqual(new Set(p.revisions.map((r) => r.questionId)));
      if (p.revisions.length) expect(p.cursor).toBe(p.revisions.at(-1)!.seq);
      cursor = p.cursor;
      if (!p.hasMore) break;
    }
    expect(pages).toEqual([3, 3, 1]);
    expect(seen).toEqual(mine.map((m) => m.id));
    const last = await pull('ann', cursor, 3);
    expect(last).toMatchObject({ revisions: [], heads: [], cursor, hasMore: false });
    const q0 = (await pull('ann', 0)).heads.find((h) => h.questionId === t.questionIds[0]);
    expect(q0?.revisionId).toBe(mine[5]!.id);
  });

  it('R17: a batch is applied in seq order whatever order it arrives in', async () => {
    const t = annTask();
    const q = t.questionIds[0]!;
    const first = save(1, q, t.taskId);
    const second = save(2, q, t.taskId, { baseRevisionId: first.id });
    const { body } = await push('ann', randomUUID(), [second, first]);
    expect(body.results.map((r) => r.id)).toEqual([first.id, second.id]);
    const head = await w.opened.db.selectFrom('annotation_heads').selectAll().where('question_id', '=', q).executeTakeFirstOrThrow();
    expect(head).toMatchObject({ revision_id: second.id, conflict_revision_id: null });
    const seqs = await w.opened.db.selectFrom('annotations').select(['id', 'seq']).orderBy('seq').execute();
    expect(seqs.map((s) => s.id)).toEqual([first.id, second.id]);
  });

  it('R6: pushes sharing one group commit are isolated: one failing undoes only its own writes', async () => {
    const q = createWriteQueue(w.opened.db);
    const add = (id: string, fail = false) =>
      q.run(async (conn) => {
        await conn.insertInto('categories').values({ id, name: id }).execute();
        if (fail) throw new Error(`push ${id} broke halfway`);
        return id;
      });
    const outcomes = await Promise.allSettled([add('g1'), add('g2', true), add('g3'), add('g4')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const ids = (await w.opened.db.selectFrom('categories').select('id').where('id', 'like', 'g%').orderBy('id').execute()).map((r) => r.id);
    expect(ids).toEqual(['g1', 'g3', 'g4']);
  });

  it('R6: a restart on the same file keeps every acknowledged revision and the client seq', async () => {
    const c = randomUUID();
    const t = annTask();
    await push('ann', c, [save(1, t.questionIds[0]!, t.taskId), save(2, t.questionIds[1]!, t.taskId)]);
    await w.restart();
    expect(await countRevisions()).toBe(2);
    const b = await push('ann', c, [save(3, t.questionIds[2]!, t.taskId)]);
    expect(b.body.ackSeq).toBe(3);
  });
});
