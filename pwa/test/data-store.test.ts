// The data layer on fake-indexeddb against an in-memory server: saving, the outbox's life, failures
// that must keep it (R1, R2, R8), pulls (R14), offline catalogue and the sync triggers.
import 'fake-indexeddb/auto';
import type { AnnotationSaveMutation } from '@in3d/shared/protocol';
import type { AnnotationValues } from '@in3d/shared/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalDb } from '../src/data/db';
import { NotOnDeviceError } from '../src/data/contract';
import { type LocalDataStore, createDataStore } from '../src/data/store';
import { type FakeServer, createFakeServer } from './data-fake-server';

let server: FakeServer;
let store: LocalDataStore;
let dbName: string;
let n = 0;
const open: LocalDataStore[] = [];

const values = (azimuth = 30): AnnotationValues => ({
  pose: { azimuth, elevation: 10, theta: 0, distance: 5, px: 100, py: 80 },
  subtype: 2,
  objectStatus: 'status_good',
  dense: 'dense_no',
  activeMs: 1500,
});

function newStore(opts: Parameters<typeof createDataStore>[0] = {}): LocalDataStore {
  const s = createDataStore({ baseUrl: 'http://fake', fetch: server.fetch, dbName, autoSync: false, ...opts });
  open.push(s);
  return s;
}

beforeEach(async () => {
  server = createFakeServer();
  dbName = `data-store-${++n}`;
  store = newStore();
  expect((await store.login('ann', 'pw')).ok).toBe(true);
  await store.syncNow();
});
afterEach(() => {
  for (const s of open.splice(0)) s.dispose();
});

describe('saving on the device', () => {
  it('R9: a save resolves after the annotation and its outbox row are committed together', async () => {
    const saved = await store.saveAnnotation('t1', 'q0', values());
    expect(saved.sync).toEqual({ kind: 'saved-on-device' });
    // A second connection (another tab, or the app after a crash) sees both.
    const db = new LocalDb(dbName);
    const [annotation, outbox, state] = await Promise.all([db.annotations.get(['ann', 'q0']), db.outbox.toArray(), db.syncState.toArray()]);
    db.close();
    expect(annotation?.id).toBe(saved.id);
    expect(outbox.map((o) => [o.id, o.seq, (o.mutation as AnnotationSaveMutation).baseRevisionId])).toEqual([[saved.id, 1, null]]);
    expect(state[0]?.nextSeq).toBe(2);
    // The save answers at the commit; the chip's count follows it.
    await expect.poll(() => store.status().pending).toBe(1);
  });

  it('R9: invalid values are refused before anything is written', async () => {
    await expect(store.saveAnnotation('t1', 'q0', { ...values(), subtype: 0 })).rejects.toThrow();
    await expect(store.saveAnnotation('t1', 'q0', { ...values(), pose: { ...values().pose, px: Number.NaN } })).rejects.toThrow();
    expect(await store.getAnnotation('q0')).toBeNull();
    expect(store.status().pending).toBe(0);
  });

  it('R5: each save takes the next sequence number and builds on the previous one', async () => {
    const a = await store.saveAnnotation('t1', 'q0', values(1));
    const b = await store.saveAnnotation('t1', 'q0', values(2));
    const db = new LocalDb(dbName);
    const rows = await db.outbox.orderBy('[clientId+seq]').toArray();
    db.close();
    expect(rows.map((r) => [r.seq, (r.mutation as AnnotationSaveMutation).baseRevisionId])).toEqual([[1, null], [2, a.id]]);
    expect((await store.getAnnotation('q0'))?.id).toBe(b.id);
  });

  it('R5: two tabs of one annotator saving at once never share a seq, and each save builds on the one before', async () => {
    const other = newStore(); // the same device and annotator: the same client id and database
    const saves = await Promise.all(Array.from({ length: 5 }, (_, i) => [store.saveAnnotation('t1', 'q0', values(i)), other.saveAnnotation('t1', 'q0', values(50 + i))]).flat());
    const db = new LocalDb(dbName);
    const rows = await db.outbox.orderBy('[clientId+seq]').toArray();
    db.close();
    expect(new Set(rows.map((r) => r.clientId)).size).toBe(1);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // One chain of revisions in seq order: no two saves took the same base.
    expect(rows.map((r) => (r.mutation as AnnotationSaveMutation).baseRevisionId)).toEqual([null, ...rows.slice(0, -1).map((r) => r.id)]);
    expect(new Set(saves.map((s) => s.id))).toEqual(new Set(rows.map((r) => r.id)));
  });
});

describe('the outbox', () => {
  it('R8: rows are deleted only when the server acknowledged them, then the save shows as synced', async () => {
    const a = await store.saveAnnotation('t1', 'q0', values());
    await store.syncNow();
    expect(store.status()).toMatchObject({ pending: 0, online: true });
    expect((await store.getAnnotation('q0'))?.sync).toEqual({ kind: 'synced', seq: 1 });
    expect(server.revisions.map((r) => r.id)).toEqual([a.id]);
    expect(store.status().lastSyncAt).not.toBeNull();
  });

  for (const fail of ['offline', 500, 'drop-response'] as const) {
    it(`R8: a failed push (${fail}) keeps the outbox; the retry stores each save once`, async () => {
      const a = await store.saveAnnotation('t1', 'q0', values());
      server.fail = fail;
      await store.syncNow();
      expect(store.status().pending).toBe(1);
      expect((await store.getAnnotation('q0'))?.sync.kind).toBe('saved-on-device');
      if (fail === 'offline') expect(store.status().online).toBe(false);
      server.fail = null;
      await store.syncNow();
      expect(store.status().pending).toBe(0);
      expect(server.revisions.filter((r) => r.id === a.id)).toHaveLength(1);
    });
  }

  it('R2: a 401 keeps the outbox and asks for a login; after logging in the sync resumes', async () => {
    await store.saveAnnotation('t1', 'q0', values());
    server.fail = 401;
    await store.syncNow();
    expect(store.status()).toMatchObject({ pending: 1, loginNeeded: true });
    server.fail = null;
    expect((await store.login('ann', 'pw')).ok).toBe(true);
    expect(store.status().loginNeeded).toBe(false);
    await store.syncNow();
    expect(store.status().pending).toBe(0);
    expect(server.revisions).toHaveLength(1);
  });

  it('R1: 426 sets updateNeeded, keeps the outbox and stops pushing', async () => {
    await store.saveAnnotation('t1', 'q0', values());
    server.fail = 426;
    await store.syncNow();
    expect(store.status()).toMatchObject({ pending: 1, updateNeeded: true });
    server.fail = null;
    const before = server.requests.length;
    await store.syncNow();
    expect(server.requests.length).toBe(before);
    expect(store.status().pending).toBe(1);
    // The updated app (a new store on the same database) sends the kept outbox.
    const updated = newStore();
    await updated.syncNow();
    expect(updated.status().pending).toBe(0);
    expect(server.revisions).toHaveLength(1);
  });

  it('R8: a permanent rejection moves the save to "Needs attention", never drops it', async () => {
    server.forbidden.add('q1');
    const ok = await store.saveAnnotation('t1', 'q0', values());
    const refused = await store.saveAnnotation('t1', 'q1', values(77));
    await store.syncNow();
    expect(store.status()).toMatchObject({ pending: 0, needsAttention: 1 });
    expect((await store.getAnnotation('q1'))?.sync).toEqual({ kind: 'needs-attention', reason: 'not_assigned' });
    const list = await store.listAttentionRows();
    expect(list.map((a) => [a.id, a.reason, (a.mutation as AnnotationSaveMutation).values.pose.azimuth])).toEqual([[refused.id, 'not_assigned', 77]]);
    expect(server.revisions.map((r) => r.id)).toEqual([ok.id]);
  });

  it('R8: a device that dies before reading the acknowledgement sends again and the server keeps one copy', async () => {
    const a = await store.saveAnnotation('t1', 'q0', values());
    server.fail = 'drop-response';
    await store.syncNow();
    store.dispose();
    server.fail = null;
    const reopened = newStore();
    await reopened.syncNow();
    expect(server.revisions.filter((r) => r.id === a.id)).toHaveLength(1);
    expect((await reopened.getAnnotation('q0'))?.sync.kind).toBe('synced');
  });
});

describe('other kinds in the one outbox', () => {
  it('R24: verdicts and picks are kept with their outbox rows, sent once, and a refused one needs attention', async () => {
    await store.saveAnnotation('t1', 'q0', values());
    const good = await store.saveReview({ revisionId: 'r1', verdict: 'good', comment: null });
    const pick = await store.savePick({ questionId: 'q1', a: { kind: 'initial' }, b: { kind: 'annotation', revisionId: 'r1' }, choice: 'b' });
    server.forbidden.add('gone');
    const refused = await store.saveReview({ revisionId: 'gone', verdict: 'bad_pose', comment: 'turn' });
    const db = new LocalDb(dbName);
    const rows = await db.outbox.orderBy('[clientId+seq]').toArray();
    db.close();
    // One sequence for every kind, each row naming its kind (R5, R24).
    expect(rows.map((r) => [r.seq, r.kind])).toEqual([[1, 'annotation.save'], [2, 'review.verdict'], [3, 'ab.pick'], [4, 'review.verdict']]);
    await expect.poll(() => store.status().pending).toBe(4);

    server.fail = 'drop-response';
    await store.syncNow();
    server.fail = null;
    await store.syncNow();
    await store.syncNow();
    expect(server.others.map((m) => m.id)).toEqual([good.id, pick.id]);
    expect(store.status()).toMatchObject({ pending: 0, needsAttention: 1 });
    const attention = await store.listNeedsAttention();
    expect(attention.map((a) => [a.id, a.kind, a.reason])).toEqual([[refused.id, 'review.verdict', 'unknown_revision']]);
    expect(await store.localWork('review.verdict')).toEqual({ pending: [], needsAttention: [expect.objectContaining({ id: refused.id, revisionId: 'gone' })] });
  });

  it('R21: in an attempt\'s task a save is an attempt answer, never the question\'s annotation', async () => {
    server.task = { ...server.task, attemptId: 'ann-1' };
    await store.listTasks();
    const saved = await store.saveAnnotation('t1', 'q0', values(45));
    expect(saved.sync).toEqual({ kind: 'saved-on-device' });
    expect(await store.getAnnotation('q0')).toBeNull();
    expect((await store.getAnnotation('q0', 't1'))?.pose.azimuth).toBe(45);
    await store.syncNow();
    expect(server.others).toEqual([expect.objectContaining({ id: saved.id, kind: 'qualification.answer', attemptId: 'ann-1', questionId: 'q0' })]);
    expect(server.revisions).toEqual([]);
    expect((await store.getAnnotation('q0', 't1'))?.sync).toEqual({ kind: 'synced', seq: 0 });
  });
});

describe('pulling', () => {
  it('R14: pulled revisions show up; a question with a pending save keeps the local values', async () => {
    const laptop = createDataStore({ baseUrl: 'http://fake', fetch: server.fetch, dbName: `${dbName}-laptop`, autoSync: false });
    open.push(laptop);
    await laptop.login('ann', 'pw');
    const fromLaptop0 = await laptop.saveAnnotation('t1', 'q0', values(11));
    await laptop.saveAnnotation('t1', 'q1', values(12));
    await laptop.syncNow();

    const mine = await store.saveAnnotation('t1', 'q1', values(99));
    server.failOnly = '/sync/push';
    server.fail = 500;
    await store.syncNow();
    expect((await store.getAnnotation('q0'))).toMatchObject({ id: fromLaptop0.id, sync: { kind: 'synced' }, pose: { azimuth: 11 } });
    expect((await store.getAnnotation('q1'))).toMatchObject({ id: mine.id, sync: { kind: 'saved-on-device' }, pose: { azimuth: 99 } });
  });

  it('R13: many pages are pulled until hasMore is false', async () => {
    const laptop = createDataStore({ baseUrl: 'http://fake', fetch: server.fetch, dbName: `${dbName}-laptop2`, autoSync: false });
    open.push(laptop);
    await laptop.login('ann', 'pw');
    for (let i = 0; i < 6; i++) await laptop.saveAnnotation('t1', `q${i}`, values(i));
    await laptop.syncNow();
    await store.syncNow();
    for (let i = 0; i < 6; i++) expect((await store.getAnnotation(`q${i}`))?.pose.azimuth).toBe(i);
  });
});

describe('offline catalogue', () => {
  it('makes a task available offline: every photo and mesh as ArrayBuffer, with progress and persistence asked', async () => {
    const persisted: string[] = [];
    (globalThis as { navigator?: unknown }).navigator = { onLine: true, storage: { persist: async () => (persisted.push('asked'), true) } };
    try {
      const progress: number[] = [];
      const done = await store.makeAvailableOffline('t1', (p) => progress.push(p.done));
      expect(done).toMatchObject({ taskId: 't1', done: 8, total: 8, bytes: 6 * 5000 + 2 * 1000 });
      expect(progress.at(0)).toBe(0);
      expect(progress.at(-1)).toBe(8);
      expect(persisted).toEqual(['asked']);
      const db = new LocalDb(dbName);
      const image = await db.images.get(server.questions[0]!.imageUrl);
      const mesh = await db.meshes.get('mesh1');
      db.close();
      expect(image?.bytes).toBeInstanceOf(ArrayBuffer);
      expect(mesh?.bytes).toBeInstanceOf(ArrayBuffer);
    } finally {
      delete (globalThis as { navigator?: unknown }).navigator;
    }

    // With the network gone, everything still opens.
    server.fail = 'offline';
    const tasks = await store.listTasks();
    expect(tasks.map((t) => t.id)).toEqual(['t1']);
    const task = await store.getTask('t1');
    expect(task?.questions).toHaveLength(6);
    const blob = await store.getImage(task!.questions[3]!);
    expect(blob.size).toBe(5000);
    expect(blob.type).toBe('image/jpeg');
    const cads = await store.listCads('chair');
    expect((await store.getMesh(cads[1]!)).byteLength).toBe(1000);
  });

  it('offline the task list keeps the order the server gave (the cards do not move when the network drops)', async () => {
    // The server lists tasks by creation, which is not the order of their ids.
    const zeta = { ...server.task, id: 'zeta', name: 'Zeta' };
    const alpha = { ...server.task, id: 'alpha', name: 'Alpha' };
    const lists = newStore({
      fetch: async (input, init) => {
        const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
        if (url.pathname === '/api/tasks' && !server.fail) return new Response(JSON.stringify([zeta, alpha]), { headers: { 'content-type': 'application/json' } });
        return server.fetch(input, init);
      },
    });
    await lists.currentUser();
    expect((await lists.listTasks()).map((t) => t.id)).toEqual(['zeta', 'alpha']);
    server.fail = 'offline';
    expect((await lists.listTasks()).map((t) => t.id)).toEqual(['zeta', 'alpha']);
  });

  it('"Available offline" is derived from what IndexedDB holds, so a new store (a browser restart) still knows it', async () => {
    expect((await store.offlineState(['t1'])).t1).toMatchObject({ complete: false });
    await store.makeAvailableOffline('t1', () => undefined);
    const restarted = createDataStore({ baseUrl: 'http://fake', fetch: server.fetch, dbName, autoSync: false });
    open.push(restarted);
    await restarted.currentUser();
    expect((await restarted.offlineState(['t1'])).t1).toEqual({ stored: 8, total: 8, bytes: 6 * 5000 + 2 * 1000, complete: true, requested: true });
  });

  it('photos the annotate page read ahead are no download to resume; one the user started and cancelled is, after a restart and a list refresh too', async () => {
    const task = await store.getTask('t1');
    await store.getImage(task!.questions[0]!, { priority: 'low' });
    expect((await store.offlineState(['t1'])).t1).toMatchObject({ stored: 1, complete: false, requested: false });
    const abort = new AbortController();
    await store.makeAvailableOffline('t1', (p) => p.done >= 2 && abort.abort(), abort.signal);
    const restarted = createDataStore({ baseUrl: 'http://fake', fetch: server.fetch, dbName, autoSync: false });
    open.push(restarted);
    await restarted.currentUser();
    await restarted.listTasks();
    await restarted.getTask('t1');
    expect((await restarted.offlineState(['t1'])).t1).toMatchObject({ complete: false, requested: true });
  });

  it('a cancelled download keeps what it stored, and the next run resumes with the rest only', async () => {
    const abort = new AbortController();
    const first = await store.makeAvailableOffline('t1', (p) => p.done >= 2 && abort.abort(), abort.signal);
    expect(first.cancelled).toBe(true);
    expect(first.done).toBeLessThan(8);
    const held = (await store.offlineState(['t1'])).t1!;
    expect(held.complete).toBe(false);
    expect(held.stored).toBeGreaterThanOrEqual(2);
    const before = server.requests.length;
    const second = await store.makeAvailableOffline('t1', () => undefined);
    expect(second).toMatchObject({ done: 8, total: 8, cancelled: false });
    const downloaded = server.requests.slice(before).filter((r) => r.startsWith('GET /api/images/') || r.startsWith('GET /api/meshes/'));
    expect(downloaded.length).toBe(8 - held.stored);
    expect((await store.offlineState(['t1'])).t1?.complete).toBe(true);
  });

  it('the task payload brings its categories’ models (no list request), kept for opening it offline; a malformed one is an error naming the field', async () => {
    const online = await store.getTask('t1');
    expect(online?.cads).toEqual(server.cads);
    expect(server.requests.filter((r) => r.includes('/cads'))).toEqual([]);
    server.fail = 'offline';
    expect((await store.getTask('t1'))?.cads).toEqual(server.cads);
    server.fail = null;
    server.questions[2] = { ...server.questions[2]!, imageWidth: Number.NaN };
    await expect(store.getTask('t1')).rejects.toThrow(/questions\.2\.imageWidth/);
  });

  it('a photo missing offline is a NotOnDeviceError the page can explain', async () => {
    const task = await store.getTask('t1');
    server.fail = 'offline';
    await expect(store.getImage(task!.questions[5]!)).rejects.toBeInstanceOf(NotOnDeviceError);
  });

  it('counts local saves not yet synced in task progress, offline', async () => {
    await store.getTask('t1');
    server.fail = 'offline';
    await store.saveAnnotation('t1', 'q0', values());
    await store.saveAnnotation('t1', 'q1', values());
    const [t] = await store.listTasks();
    expect(t).toMatchObject({ done: 2, firstOpenIndex: 2 });
  });

  it('R51: a clear is a save marked cleared through the one outbox; the question counts as open, offline too, and the next save builds on it', async () => {
    await store.getTask('t1');
    const saved = await store.saveAnnotation('t1', 'q0', values(40));
    await store.saveAnnotation('t1', 'q1', values());
    await store.syncNow();
    server.fail = 'offline';
    await store.clearAnnotation('t1', 'q0');
    expect(await store.getAnnotation('q0')).toBeNull();
    expect((await store.listTasks())[0]).toMatchObject({ done: 1, firstOpenIndex: 0 });
    const { pending } = await store.localWork('annotation.save');
    expect(pending).toEqual([expect.objectContaining({ questionId: 'q0', cleared: true, baseRevisionId: saved.id, values: expect.objectContaining({ pose: expect.objectContaining({ azimuth: 40 }) }) })]);
    await expect(store.clearAnnotation('t1', 'q0')).rejects.toThrow(/no annotation to clear/);

    server.fail = null;
    await store.syncNow();
    expect(server.revisions.map((r) => r.cleared)).toEqual([false, false, true]);
    const clearId = server.revisions[2]!.id;
    // Another device pulls it: the question has no annotation there either.
    const laptop = createDataStore({ baseUrl: 'http://fake', fetch: server.fetch, dbName: `${dbName}-laptop`, autoSync: false });
    open.push(laptop);
    await laptop.login('ann', 'pw');
    await laptop.syncNow();
    expect(await laptop.getAnnotation('q0')).toBeNull();
    expect(await laptop.getAnnotation('q1')).not.toBeNull();
    // Annotating again builds on the clear (R11a: no conflict).
    const again = await laptop.saveAnnotation('t1', 'q0', values(50));
    await laptop.syncNow();
    expect(server.revisions.at(-1)).toMatchObject({ id: again.id, baseRevisionId: clearId, cleared: false });
    expect(server.heads.get('q0')).toMatchObject({ revisionId: again.id, conflictRevisionId: null });
  });

  it('fetches only the photo asked for: reading ahead is the page’s call, after its first overlay', async () => {
    const task = await store.getTask('t1');
    await store.getImage(task!.questions[0]!);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requests.filter((r) => r.startsWith('GET /api/images/'))).toEqual(['GET /api/images/img0']);
  });

  it('asks for a photo at the width the screen needs, and uses a full copy already on the device', async () => {
    const task = await store.getTask('t1');
    const q = task!.questions[1]!;
    const images = () => server.urls.filter((u) => u.startsWith('/api/images/'));
    await store.getImage(q, { width: 800, priority: 'low' });
    await store.getImage(q, { width: 800 }); // kept under the sized URL: no second download
    expect(images()).toEqual(['/api/images/img1?v=e1&w=800']);
    await store.makeAvailableOffline('t1', () => undefined);
    const before = images().length;
    server.fail = 'offline';
    await store.getImage(task!.questions[2]!, { width: 800 }); // the task's full photos are on the device now
    expect(images().length).toBe(before);
  });

  it('keeps one sized copy per photo, the widest; offline or on a failed download it shows the best one stored', async () => {
    const task = await store.getTask('t1');
    const q = task!.questions[1]!;
    const db = new LocalDb(dbName);
    const stored = async () => (await db.images.toCollection().primaryKeys()).sort();
    try {
      expect((await store.getImage(q, { width: 512 })).size).toBe(512);
      expect((await store.getImage(q, { width: 1024 })).size).toBe(1024);
      expect(await stored()).toEqual([`${q.imageUrl}&w=1024`]); // the narrower copy went
      const before = server.urls.length;
      expect((await store.getImage(q, { width: 384 })).size).toBe(1024); // a wider copy does, no download
      expect(server.urls.length).toBe(before);

      // A window made wider while offline: the copy made for the old width, not "not on this device".
      server.fail = 'offline';
      expect((await store.getImage(q, { width: 2048 })).size).toBe(1024);
      // The original (for zooming in) is only ever the original.
      await expect(store.getImage(q)).rejects.toBeInstanceOf(NotOnDeviceError);
      await expect(store.getImage(task!.questions[2]!, { width: 512 })).rejects.toBeInstanceOf(NotOnDeviceError);
      server.fail = 500;
      expect((await store.getImage(q, { width: 2048 })).size).toBe(1024);
      expect(await stored()).toEqual([`${q.imageUrl}&w=1024`]);

      // The original replaces every sized copy, and "Available offline" counts the originals alone.
      server.fail = null;
      await store.makeAvailableOffline('t1', () => undefined);
      expect(await stored()).toEqual(server.questions.map((x) => x.imageUrl).sort());
      expect((await store.getImage(q, { width: 512 })).size).toBe(5000);
      expect((await store.offlineState(['t1'])).t1).toEqual({ stored: 8, total: 8, bytes: 6 * 5000 + 2 * 1000, complete: true, requested: true });
    } finally {
      db.close();
    }
  });
});

describe('history and session', () => {
  it('keeps undo history per question across reopening', async () => {
    await store.storeHistory('q2', { past: [1, 2], future: [] });
    const reopened = newStore();
    expect(await reopened.loadHistory('q2')).toEqual({ past: [1, 2], future: [] });
    expect(await reopened.loadHistory('q3')).toBeUndefined();
  });

  it('remembers the user offline; logout keeps the outbox for the next login', async () => {
    await store.saveAnnotation('t1', 'q0', values());
    expect((await newStore().currentUser())?.id).toBe('ann');
    server.fail = 'offline';
    expect((await store.login('ann', 'pw')).ok).toBe(false);
    server.fail = null;
    await store.logout();
    expect(await store.currentUser()).toBeNull();
    expect(store.status().pending).toBe(0);
    await store.login('ann', 'pw');
    expect(store.status().pending).toBe(1);
  });
});

describe('when to sync', () => {
  it('R18: syncs on start and shortly after a save, without being asked', async () => {
    const auto = newStore({ autoSync: true, saveSyncDelayMs: 10, periodicMs: 60_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests.filter((r) => r === 'GET /api/sync/pull').length).toBeGreaterThanOrEqual(2);
    await auto.saveAnnotation('t1', 'q0', values());
    for (let i = 0; i < 50 && server.revisions.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(server.revisions).toHaveLength(1);
  });

  it('R18: after a transient failure it retries by itself (a server restarting)', async () => {
    const auto = newStore({ autoSync: true, saveSyncDelayMs: 10, periodicMs: 60_000 });
    server.fail = 500;
    await auto.saveAnnotation('t1', 'q0', values());
    await new Promise((r) => setTimeout(r, 100));
    expect(server.revisions).toHaveLength(0);
    server.fail = null;
    for (let i = 0; i < 100 && server.revisions.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(server.revisions).toHaveLength(1);
    await expect.poll(() => auto.status().pending).toBe(0);
  });

  it('R18: one tab at a time through Web Locks when the browser has them', async () => {
    const taken: string[] = [];
    let held = Promise.resolve();
    const locks = {
      request: (name: string, cb: () => Promise<unknown>) => {
        taken.push(name);
        const run = held.then(cb);
        held = run.then(() => undefined, () => undefined);
        return run;
      },
    };
    (globalThis as { navigator?: unknown }).navigator = { onLine: true, locks };
    try {
      await store.saveAnnotation('t1', 'q0', values());
      const other = newStore();
      await Promise.all([store.syncNow(), other.syncNow()]);
      expect(taken).toEqual([`in3d-sync:${dbName}`, `in3d-sync:${dbName}`]);
      expect(server.revisions).toHaveLength(1);
    } finally {
      delete (globalThis as { navigator?: unknown }).navigator;
    }
  });
});
