// The head never moves back in time (shared/SPEC.md R36) and revisions cannot be replaced (R37).
import { randomUUID } from 'node:crypto';
import type { PullResponse, PushResponse } from '@in3d/shared/protocol';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type World } from './sync-world';

let w: World;
beforeEach(async () => {
  w = await createWorld();
});
afterEach(async () => {
  await w.close();
});

const shared = () => w.tasks.ann![1]!;

function save(seq: number, azimuth: number, baseRevisionId: string | null = null) {
  const t = shared();
  return {
    id: randomUUID(),
    seq,
    kind: 'annotation.save',
    questionId: t.questionIds[0]!,
    taskId: t.taskId,
    baseRevisionId,
    supersedes: [],
    values: { pose: { azimuth, elevation: 10, theta: 0, distance: 5, px: 100, py: 80 }, subtype: 2, objectStatus: 'status_good', dense: 'dense_no', activeMs: 1 },
    clientSavedAt: new Date().toISOString(),
  };
}

async function push(user: string, clientId: string, mutations: unknown[]) {
  const res = await w.request(user, '/api/sync/push', { method: 'POST', body: JSON.stringify({ clientId, mutations }) });
  expect(res.status).toBe(200);
  return (await res.json()) as PushResponse;
}

async function headOf(user: string) {
  const res = await w.request(user, '/api/sync/pull?cursor=0');
  const page = (await res.json()) as PullResponse;
  return { head: page.heads.find((h) => h.questionId === shared().questionIds[0]), revisions: page.revisions.map((r) => r.id) };
}

describe('time order (server)', () => {
  it("R36: a device's seq 1 arriving after its seq 2 is stored but does not become the head; seq 3 does", async () => {
    const dev = randomUUID();
    const two = save(2, 20);
    const one = save(1, 10);
    await push('ann', dev, [two]);
    const late = await push('ann', dev, [one]);
    expect(late.results[0]).toMatchObject({ status: 'applied', duplicate: false, head: { revisionId: two.id, conflictRevisionId: null } });
    const after = await headOf('ann');
    expect(after.head).toMatchObject({ revisionId: two.id, conflictRevisionId: null });
    expect(after.revisions).toEqual([two.id, one.id]); // kept as history
    // Control: a newer seq of the same device still moves the head.
    const three = save(3, 30, two.id);
    await push('ann', dev, [three]);
    expect((await headOf('ann')).head).toMatchObject({ revisionId: three.id, conflictRevisionId: null });
  });

  it('R36: an older revision does not replace its own device’s side of an open conflict', async () => {
    const devA = randomUUID();
    const devB = randomUUID();
    const base = save(1, 0);
    await push('ann', devA, [base]);
    // devB never saw `base` (R11b): its seq 3 becomes the conflict revision.
    const b3 = save(3, 70);
    const conflict = await push('ann', devB, [b3]);
    expect(conflict.results[0]).toMatchObject({ head: { revisionId: base.id, conflictRevisionId: b3.id } });
    const b2 = save(2, 60); // devB's seq 2, arriving after its seq 3
    const late = await push('ann', devB, [b2]);
    expect(late.results[0]).toMatchObject({ status: 'applied', head: { revisionId: base.id, conflictRevisionId: b3.id } });
  });
});

describe('append-only revisions (server)', () => {
  const rowOf = async (id: string) => (await sql<{ seq: number; azimuth: number }>`SELECT seq, azimuth FROM annotations WHERE id = ${id}`.execute(w.opened.db)).rows;
  const insert = (verb: string, id: string, seq: number | null, tail = '') =>
    sql.raw(`${verb} INTO annotations (${seq === null ? '' : 'seq, '}id, question_id, user_id, client_id, azimuth, elevation, theta, distance, px, py, subtype,
      object_status, dense, client_saved_at, server_received_at)
      VALUES (${seq === null ? '' : `${seq}, `}'${id}', '${shared().questionIds[0]}', 'ann', 'raw', 99, 0, 0, 5, 1, 1, 1, 'status_good', 'dense_no', 'x', 'x') ${tail}`);

  for (const recursive of ['OFF', 'ON']) {
    it(`R37: INSERT OR REPLACE, REPLACE INTO, upserts and OR IGNORE on a stored revision are refused (recursive_triggers ${recursive})`, async () => {
      w.opened.sqlite.pragma(`recursive_triggers = ${recursive}`);
      const m = save(1, 10);
      const [r] = (await push('ann', randomUUID(), [m])).results;
      const seq = (r as { revisionSeq: number }).revisionSeq;
      const attempts = [
        insert('INSERT OR REPLACE', m.id, null),
        insert('REPLACE', m.id, null),
        insert('INSERT OR REPLACE', randomUUID(), seq), // same server seq, new id: REPLACE would delete the original
        insert('INSERT', m.id, null, 'ON CONFLICT(id) DO UPDATE SET azimuth = 99'),
        insert('INSERT OR IGNORE', m.id, null),
      ];
      for (const q of attempts) await expect(q.execute(w.opened.db)).rejects.toThrow(/append-only/);
      expect(await rowOf(m.id)).toEqual([{ seq, azimuth: 10 }]);
      const count = (await sql<{ n: number }>`SELECT count(*) AS n FROM annotations`.execute(w.opened.db)).rows[0]!.n;
      expect(count).toBe(1);
      // Control: a new id and seq still goes in (the trigger refuses replacing, not inserting).
      await insert('INSERT', randomUUID(), null).execute(w.opened.db);
      expect((await sql<{ n: number }>`SELECT count(*) AS n FROM annotations`.execute(w.opened.db)).rows[0]!.n).toBe(2);
    });
  }
});
