// `npm run cli -- backup` while the server takes pushes: the backup (SQLite online backup API) holds
// every save acknowledged before it started and nothing that was never acknowledged; a plain copy of
// the database file, by contrast, misses what is still in the WAL. `restore` brings it back.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { PushResponse } from '@in3d/shared/protocol';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../src/cli/commands';
import { openDataDir } from '../src/cli/context';
import { runCli } from '../src/cli/registry';
import type { BackupManifest } from '../src/db/backup';
import { createWorld, type World } from './sync-world';

const ROOT = resolve(import.meta.dirname, '../..');
let w: World;
let out: string;
beforeEach(async () => {
  w = await createWorld({ users: ['ann', 'bob'], questionsPerTask: 6 });
  out = mkdtempSync(join(tmpdir(), 'in3d-backup-'));
});
afterEach(async () => {
  await w.close();
  rmSync(out, { recursive: true, force: true });
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
    values: { pose: { azimuth: seq % 360, elevation: 10, theta: 0, distance: 5, px: 100, py: 80 }, subtype: 2, objectStatus: 'status_good', dense: 'dense_no', activeMs: 1200 },
    clientSavedAt: new Date().toISOString(),
  };
}

/** One device pushing one save at a time until `stop()`; `acked` grows with each acknowledged save. */
function pusher(user: string) {
  const clientId = randomUUID();
  const acked: string[] = [];
  let seq = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = w.tasks[user]![seq % 2]!;
      const m = save(++seq, t.questionIds[seq % t.questionIds.length]!, t.taskId);
      const res = await w.request(user, '/api/sync/push', { method: 'POST', body: JSON.stringify({ clientId, mutations: [m] }) });
      if (res.status !== 200) throw new Error(`push answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as PushResponse;
      if (body.results[0]!.status === 'applied') acked.push(m.id);
    }
  })();
  return {
    acked,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

const idsIn = (file: string) => {
  const db = new SQLite(file, { readonly: true });
  try {
    // A copy taken without its WAL may not even have the tables yet.
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'annotations'`).get()) return new Set<string>();
    return new Set((db.prepare('SELECT id FROM annotations').all() as { id: string }[]).map((r) => r.id));
  } finally {
    db.close();
  }
};

describe('backup', () => {
  it('taken by the CLI during pushes holds every acknowledged save; a plain file copy does not', async () => {
    mkdirSync(join(w.dir, 'images', 'chair'), { recursive: true });
    writeFileSync(join(w.dir, 'images', 'chair', 'a.jpg'), Buffer.alloc(5000, 7));
    const devices = [pusher('ann'), pusher('bob')];
    while (devices.reduce((n, d) => n + d.acked.length, 0) < 40) await new Promise((r) => setTimeout(r, 5));
    const ackedBefore = devices.flatMap((d) => [...d.acked]);

    // A naive copy of the file only (what `cp annotator.sqlite` takes): recent commits live in the WAL.
    copyFileSync(w.file, join(out, 'naive.sqlite'));
    const file = join(out, 'nightly.sqlite');
    const run = await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'sync-server/src/cli.ts', 'backup', file], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: w.dir },
    });
    expect(run.stdout).toMatch(/Backed up the database/);
    const ackedDuring = devices.reduce((n, d) => n + d.acked.length, 0) - ackedBefore.length;
    await Promise.all(devices.map((d) => d.stop()));
    const ackedEver = new Set(devices.flatMap((d) => d.acked));

    const backedUp = idsIn(file);
    for (const id of ackedBefore) expect(backedUp.has(id), `acknowledged save ${id} missing from the backup`).toBe(true);
    for (const id of backedUp) expect(ackedEver.has(id), `unacknowledged ${id} in the backup`).toBe(true);
    expect(ackedDuring, 'pushes kept going while the backup ran').toBeGreaterThan(0);
    const naive = idsIn(join(out, 'naive.sqlite'));
    expect(ackedBefore.filter((id) => !naive.has(id)).length, 'the naive copy should miss WAL content').toBeGreaterThan(0);

    // Every head in the backup points at a revision in it (one consistent snapshot).
    const db = new SQLite(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const dangling = db.prepare('SELECT count(*) AS n FROM annotation_heads h LEFT JOIN annotations a ON a.id = h.revision_id WHERE a.id IS NULL').get() as { n: number };
    db.close();
    expect(dangling.n).toBe(0);

    const manifest = JSON.parse(readFileSync(`${file}.manifest.json`, 'utf8')) as BackupManifest;
    expect(manifest.files).toEqual([{ path: 'images/chair/a.jpg', bytes: 5000, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(manifest.database.migrations.length).toBeGreaterThan(0);
  });

  it('restore replaces the database (keeping the old one) and copies back photos saved with --files', async () => {
    mkdirSync(join(w.dir, 'images', 'chair'), { recursive: true });
    writeFileSync(join(w.dir, 'images', 'chair', 'a.jpg'), Buffer.alloc(300, 1));
    const t = w.tasks.ann![0]!;
    const m = save(1, t.questionIds[0]!, t.taskId);
    expect((await w.request('ann', '/api/sync/push', { method: 'POST', body: JSON.stringify({ clientId: randomUUID(), mutations: [m] }) })).status).toBe(200);
    const file = join(out, 'b.sqlite');
    const logs: string[] = [];
    const cli = (dataDir: string, ...argv: string[]) => runCli(argv, commands, { dataDir, openDb: openDataDir, out: (l) => logs.push(l), err: (l) => logs.push(l) });
    expect(await cli(w.dir, 'backup', file, '--files')).toBe(0);
    expect(existsSync(join(`${file}.files`, 'images', 'chair', 'a.jpg'))).toBe(true);
    expect(await cli(w.dir, 'backup', file)).toBe(2); // never overwrites

    const fresh = mkdtempSync(join(tmpdir(), 'in3d-restore-'));
    try {
      writeFileSync(join(fresh, 'annotator.sqlite'), ''); // something there already
      expect(await cli(fresh, 'restore', file), logs.join('\n')).toBe(0);
      expect(logs.join('\n')).toMatch(/previous database is .*before-restore-/);
      expect(idsIn(join(fresh, 'annotator.sqlite'))).toEqual(new Set([m.id]));
      expect(readFileSync(join(fresh, 'images', 'chair', 'a.jpg')).length).toBe(300);
      const opened = await openDataDir(fresh);
      expect((await opened.db.selectFrom('users').select('id').execute()).length).toBe(2);
      await opened.close();
      writeFileSync(file, 'not a database');
      expect(await cli(fresh, 'restore', file)).toBe(2);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('restore refuses while the server has the database open, and changes nothing (its later saves would go to the file set aside)', async () => {
    const t = w.tasks.ann![0]!;
    const file = join(out, 'c.sqlite');
    const logs: string[] = [];
    const cli = (...argv: string[]) => runCli(argv, commands, { dataDir: w.dir, openDb: openDataDir, out: (l) => logs.push(l), err: (l) => logs.push(l) });
    expect(await cli('backup', file)).toBe(0);
    expect(await cli('restore', file)).toBe(2);
    expect(logs.join('\n')).toMatch(/open in another program.*stop the server/i);
    expect(readdirSync(w.dir).filter((n) => n.includes('before-restore'))).toEqual([]);
    const m = save(1, t.questionIds[0]!, t.taskId);
    expect((await w.request('ann', '/api/sync/push', { method: 'POST', body: JSON.stringify({ clientId: randomUUID(), mutations: [m] }) })).status).toBe(200);
    expect(idsIn(join(w.dir, 'annotator.sqlite'))).toEqual(new Set([m.id]));
  });
});
