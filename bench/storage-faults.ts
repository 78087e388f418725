// What another process holding SQLite's write lock costs the server (issue 10 item 7): /api/health
// latency while a separate process holds BEGIN IMMEDIATE, and how long a write (a login, which
// creates a session) waits before its 503. Before the fix: health took ~7 s and writes failed with
// 500 after 5 s. `npx tsx bench/storage-faults.ts` (or `npm run bench -- storage-faults`).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import argon2 from 'argon2';
import pino from 'pino';
import { createApp } from '../sync-server/src/app';
import { migrateToLatest, openDatabase } from '../sync-server/src/db/connect';
import { insertUser } from '../sync-server/src/repositories/users';

const HOLD_MS = 3000;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'in3d-bench-lock-'));
  const file = join(dir, 'annotator.sqlite');
  const opened = openDatabase(file);
  try {
    await migrateToLatest(opened.db);
    await insertUser(opened.db, { id: 'ann', role: 'annotator', passwordHash: await argon2.hash('bench password', { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 }) });
    const app = createApp({ db: opened.db, dataDir: dir, log: pino({ level: 'silent' }) }); // the expected 503 is not news here
    const code = `const db = require('better-sqlite3')(process.argv[1]); db.exec('BEGIN IMMEDIATE'); console.log('locked');
      setTimeout(() => { db.exec('COMMIT'); process.exit(0); }, ${HOLD_MS});`;
    const child = spawn(process.execPath, ['-e', code, file], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));

    const lockedAt = performance.now();
    const login = (async () => {
      const s = performance.now();
      const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'ann', password: 'bench password' }) });
      return { status: res.status, ms: performance.now() - s };
    })();
    const health: number[] = [];
    while (performance.now() - lockedAt < HOLD_MS - 500) {
      const s = performance.now();
      await app.request('/api/health');
      health.push(performance.now() - s);
      await new Promise((r) => setTimeout(r, 20));
    }
    const l = await login;
    await new Promise((r) => child.once('exit', r));
    health.sort((a, b) => a - b);
    console.log(`/api/health while another process holds the write lock: median ${health[Math.floor(health.length / 2)]!.toFixed(2)} ms, max ${health.at(-1)!.toFixed(2)} ms (${health.length} requests)`);
    console.log(`a write (login) during the lock: ${l.status} after ${l.ms.toFixed(0)} ms`);
  } finally {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
