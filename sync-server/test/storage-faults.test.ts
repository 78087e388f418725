// Lock and disk faults. Another process holding SQLite's write lock (a CLI import, a sqlite3 shell)
// must neither freeze the event loop nor turn into a 500: the push waits briefly (async), then gets
// 503 with Retry-After, and /api/health answers meanwhile. A full disk answers 507, acknowledges nothing
// it did not store, and the server recovers once there is room again.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { PushResponse } from '@in3d/shared/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, PASSWORD, type World } from './sync-world';

let w: World;
let holder: ChildProcess | undefined;
beforeEach(async () => {
  w = await createWorld({ users: ['ann'], questionsPerTask: 4 });
});
afterEach(async () => {
  holder?.kill('SIGKILL');
  holder = undefined;
  await w.close();
});

function save(seq: number, questionId: string, taskId: string) {
  return {
    id: randomUUID(),
    seq,
    kind: 'annotation.save',
    questionId,
    taskId,
    baseRevisionId: null,
    supersedes: [],
    values: { pose: { azimuth: seq, elevation: 10, theta: 0, distance: 5, px: 100, py: 80 }, subtype: 2, objectStatus: 'status_good', dense: 'dense_no', activeMs: 1200 },
    clientSavedAt: new Date().toISOString(),
  };
}
const push = (clientId: string, mutations: unknown[]) =>
  w.request('ann', '/api/sync/push', { method: 'POST', body: JSON.stringify({ clientId, mutations }) });
const revisionIds = async () => (await w.opened.db.selectFrom('annotations').select('id').execute()).map((r) => r.id);

/** A separate process takes BEGIN IMMEDIATE on the file and holds it until `release()` (or 20 s). */
async function holdWriteLock(file: string): Promise<{ release(): Promise<void> }> {
  const code = `
    const db = require('better-sqlite3')(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    const done = () => { db.exec('COMMIT'); db.close(); process.exit(0); };
    process.stdin.on('data', done);
    setTimeout(done, 20000);
  `;
  const child = spawn(process.execPath, ['-e', code, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  holder = child;
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.once('exit', (c) => reject(new Error(`lock holder exited with ${c}`)));
  });
  return {
    release: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.write('go\n');
      }),
  };
}

/** The longest gap between timer ticks while `work` runs: how long the event loop was blocked. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    worst = Math.max(worst, t - last);
    last = t;
  }, 10);
  try {
    const value = await work();
    return { value, stallMs: worst };
  } finally {
    clearInterval(timer);
  }
}

describe('a write lock held by another process', () => {
  it('answers the push 503 with Retry-After (not 500), keeps the event loop and /api/health free, stores nothing; works once released', async () => {
    const t = w.tasks.ann![0]!;
    const clientId = randomUUID();
    const m = save(1, t.questionIds[0]!, t.taskId);
    const lock = await holdWriteLock(w.file);

    const order: string[] = [];
    const { value: res, stallMs } = await longestStall(async () => {
      const pushing = push(clientId, [m]).then((r) => (order.push('push'), r));
      const health = w.request(null, '/api/health').then((r) => (order.push('health'), r));
      const [p, h] = await Promise.all([pushing, health]);
      expect(h.status).toBe(200);
      return p;
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toMatchObject({ error: 'database_busy' });
    // Health answered while the push was still waiting for the lock.
    expect(order).toEqual(['health', 'push']);
    // With a blocking busy timeout the loop would stall for seconds; the queue waits asynchronously.
    expect(stallMs).toBeLessThan(1000);
    expect(await revisionIds()).toEqual([]);

    await lock.release();
    const again = await push(clientId, [m]);
    expect(again.status).toBe(200);
    expect(((await again.json()) as PushResponse).results[0]).toMatchObject({ status: 'applied', duplicate: false });
    expect(await revisionIds()).toEqual([m.id]);
  });

  it('answers other writes (a login creates a session) 503, not 500', async () => {
    const lock = await holdWriteLock(w.file);
    const res = await w.request(null, '/api/auth/login', { method: 'POST', body: JSON.stringify({ userId: 'ann', password: PASSWORD }) });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).not.toBeNull();
    await lock.release();
    expect((await w.request(null, '/api/auth/login', { method: 'POST', body: JSON.stringify({ userId: 'ann', password: PASSWORD }) })).status).toBe(200);
  });

  it('succeeds when the lock is released within the retry budget', async () => {
    const t = w.tasks.ann![0]!;
    const m = save(1, t.questionIds[1]!, t.taskId);
    const lock = await holdWriteLock(w.file);
    const pushing = push(randomUUID(), [m]);
    await new Promise((r) => setTimeout(r, 300));
    await lock.release();
    const res = await pushing;
    expect(res.status).toBe(200);
    expect(await revisionIds()).toEqual([m.id]);
  });
});

describe('a full disk', () => {
  it('answers 507, acknowledges only what it stored, stays up and recovers when space returns', async () => {
    const t = w.tasks.ann![0]!;
    const clientId = randomUUID();
    // Freeze the file at its current size: the next write needing a new page fails with SQLITE_FULL.
    const pages = Number(w.opened.sqlite.pragma('page_count', { simple: true }));
    w.opened.sqlite.pragma(`max_page_count = ${pages}`);

    const acked: string[] = [];
    let refused: { id: string; seq: number } | undefined;
    let seq = 0;
    for (let i = 0; i < 500 && !refused; i++) {
      const m = save(++seq, t.questionIds[i % t.questionIds.length]!, t.taskId);
      const res = await push(clientId, [m]);
      if (res.status === 200) {
        const body = (await res.json()) as PushResponse;
        if (body.results[0]!.status === 'applied') acked.push(m.id);
      } else {
        expect(res.status).toBe(507);
        expect(await res.json()).toMatchObject({ error: 'disk_full', message: expect.stringMatching(/disk is full; nothing was saved/) });
        refused = m;
      }
    }
    expect(refused, 'the frozen file never filled up').toBeDefined();
    const stored = await revisionIds();
    expect(stored.sort()).toEqual([...acked].sort());
    expect(stored).not.toContain(refused!.id);
    expect((await w.request(null, '/api/health')).status).toBe(200);

    w.opened.sqlite.pragma('max_page_count = 1073741823');
    const retry = await push(clientId, [refused]);
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as PushResponse).results[0]).toMatchObject({ status: 'applied', duplicate: false });
    expect(await revisionIds()).toContain(refused!.id);
  });
});
