// What the pages build the session and "Needs attention" UI on: retry and discard of refused saves,
// per-question changes across tabs (two stores on one database), the last sync error, another user's
// saves left on the device, and a 401 from any request reaching the status.
import 'fake-indexeddb/auto';
import type { AnnotationValues } from '@in3d/shared/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mutation } from '@in3d/shared/protocol';
import type { AnnotationChange } from '../src/data/contract';
import { LocalDb } from '../src/data/db';
import { type LocalDataStore, createDataStore } from '../src/data/store';
import { type FakeServer, createFakeServer } from './data-fake-server';

let server: FakeServer;
let store: LocalDataStore;
let dbName: string;
let n = 0;
const open: LocalDataStore[] = [];
const errors: string[] = [];

const values = (azimuth = 30): AnnotationValues => ({
  pose: { azimuth, elevation: 10, theta: 0, distance: 5, px: 100, py: 80 },
  subtype: 2,
  objectStatus: 'status_good',
  dense: 'dense_no',
  activeMs: 1500,
});

function newStore(): LocalDataStore {
  const s = createDataStore({ baseUrl: 'http://fake', fetch: server.fetch, dbName, autoSync: false, onError: (where) => errors.push(where) });
  open.push(s);
  return s;
}

const until = async (ok: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

beforeEach(async () => {
  server = createFakeServer();
  dbName = `data-attention-${++n}`;
  errors.length = 0;
  store = newStore();
  expect((await store.login('ann', 'pw')).ok).toBe(true);
  await store.syncNow();
});
afterEach(() => {
  for (const s of open.splice(0)) s.dispose();
  expect(errors).toEqual([]);
});

describe('needs attention', () => {
  it('R8: lists a refused save by kind, reason and question, never as a bare row', async () => {
    server.forbidden.add('q1');
    const refused = await store.saveAnnotation('t1', 'q1', values(77));
    await store.syncNow();
    expect(await store.listNeedsAttention()).toEqual([
      { id: refused.id, kind: 'annotation.save', reason: 'not_assigned', message: 'not yours', rejectedAt: expect.any(String), taskId: 't1', questionId: 'q1' },
    ]);
  });

  it('retry sends the same values as a new mutation, which the server applies once the cause is gone', async () => {
    server.forbidden.add('q1');
    const refused = await store.saveAnnotation('t1', 'q1', values(77));
    await store.syncNow();
    expect(store.status()).toMatchObject({ needsAttention: 1, pending: 0 });

    server.forbidden.delete('q1'); // re-assigned (or qualified)
    await store.retryAttention(refused.id);
    expect(store.status()).toMatchObject({ needsAttention: 0, pending: 1 });
    expect((await store.getAnnotation('q1'))?.sync.kind).toBe('saved-on-device');
    await store.syncNow();
    expect(store.status()).toMatchObject({ needsAttention: 0, pending: 0 });
    expect(server.revisions.map((r) => [r.questionId, r.pose.azimuth])).toEqual([['q1', 77]]);
    expect(server.revisions[0]?.id).not.toBe(refused.id);
    expect((await store.getAnnotation('q1'))?.sync.kind).toBe('synced');
  });

  it('discard drops the refused save and shows the server version again (or none)', async () => {
    await store.saveAnnotation('t1', 'q0', values(10));
    await store.syncNow();
    server.forbidden.add('q0');
    server.forbidden.add('q1');
    const refused0 = await store.saveAnnotation('t1', 'q0', values(20));
    const refused1 = await store.saveAnnotation('t1', 'q1', values(30));
    await store.syncNow();
    expect(store.status().needsAttention).toBe(2);

    await store.discardAttention(refused0.id);
    await store.discardAttention(refused1.id);
    expect(store.status()).toMatchObject({ needsAttention: 0, pending: 0 });
    const q0 = await store.getAnnotation('q0');
    expect([q0?.pose.azimuth, q0?.sync.kind]).toEqual([10, 'synced']);
    expect(await store.getAnnotation('q1')).toBeNull();
    await expect(store.discardAttention(refused0.id)).rejects.toThrow(/No refused save/);
  });

  it('retry works for any mutation kind: the same fields under a new id and the next seq', async () => {
    await store.saveAnnotation('t1', 'q0', values()); // takes seq 1
    const u = await store.currentUser();
    const db = new LocalDb(dbName);
    const clientId = (await db.outbox.toArray())[0]!.clientId;
    const verdict = {
      id: '7d3c2a4e-0d6b-4f57-9c55-2f1f3d8e9a10', seq: 99, kind: 'review.verdict', revisionId: 'rev-1', verdict: 'good', comment: 'fine',
      clientSavedAt: '2026-01-01T00:00:00.000Z',
    } as unknown as Mutation;
    await db.attention.add({
      id: verdict.id, clientId, userId: u!.id, seq: 99, kind: 'review.verdict', mutation: verdict, createdAt: verdict.clientSavedAt,
      reason: 'not_reviewer', message: 'reviewers only', rejectedAt: new Date().toISOString(),
    });
    expect((await store.listNeedsAttention()).map((e) => [e.kind, e.reason, e.taskId])).toEqual([['review.verdict', 'not_reviewer', null]]);

    await store.retryAttention(verdict.id);
    const rows = await db.outbox.orderBy('[clientId+seq]').toArray();
    db.close();
    const retried = rows.find((r) => r.mutation.kind === 'review.verdict')!;
    expect(retried.id).not.toBe(verdict.id);
    expect(retried.seq).toBe(2);
    expect(retried.mutation).toMatchObject({ kind: 'review.verdict', revisionId: 'rev-1', verdict: 'good', comment: 'fine', id: retried.id, seq: 2 });
    expect(await store.listNeedsAttention()).toEqual([]);
  });
});

describe('tabs agree', () => {
  it('a save in one tab reaches the other tab as a change of that one question', async () => {
    const tab2 = newStore();
    await tab2.currentUser();
    const seen: AnnotationChange[][] = [];
    const stop = tab2.watchTask('t1', (c) => seen.push(c), (e) => errors.push(String(e)));
    await until(() => seen.length === 1);
    expect(seen[0]).toEqual([]);

    const a = await store.saveAnnotation('t1', 'q2', values(42));
    await until(() => seen.length === 2);
    expect(seen[1]?.map((c) => [c.questionId, c.annotation?.id, c.annotation?.pose.azimuth, c.annotation?.sync.kind])).toEqual([['q2', a.id, 42, 'saved-on-device']]);
    // The other tab's pending count follows too.
    await until(() => tab2.status().pending === 1);

    await store.syncNow(); // saved -> synced is a change of q2 only
    await until(() => seen.length === 3);
    expect(seen[2]?.map((c) => [c.questionId, c.annotation?.sync.kind])).toEqual([['q2', 'synced']]);
    stop();
  });
});

describe('session state', () => {
  it('the status carries the last sync error until a sync finishes', async () => {
    await store.saveAnnotation('t1', 'q0', values());
    server.fail = 500;
    await store.syncNow();
    expect(store.status().lastError).toMatchObject({ kind: 'http' });
    server.fail = null;
    await store.syncNow();
    expect(store.status().lastError).toBeNull();
  });

  it('R2: a 401 from any request, not only sync, asks for a login', async () => {
    server.fail = 401;
    // Offline-first, the list may come from the cache or fail; either way the 401 must reach the status.
    await store.listTasks().catch((e: unknown) => expect(String(e)).toMatch(/401|sign|log/i));
    expect(store.status().loginNeeded).toBe(true);
  });

  it("says when the device holds another user's unsynced saves", async () => {
    await store.saveAnnotation('t1', 'q0', values());
    await store.logout();
    expect(store.status().otherUsersPending).toBe(1);
    server.user.id = 'bob';
    expect((await store.login('bob', 'pw')).ok).toBe(true);
    expect(await store.pendingOfOtherUsers()).toEqual([{ userId: 'ann', count: 1 }]);
    expect(store.status()).toMatchObject({ pending: 0, otherUsersPending: 1 });
  });
});
