// Request logs: one structured line per request through the one pino logger; and a log whose disk
// is full (stdout on /dev/full: every write fails with ENOSPC) does not take the process down.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createQualityWorld, type QualityWorld } from './quality-world';

const ROOT = resolve(import.meta.dirname, '../..');
let w: QualityWorld;
beforeEach(async () => {
  w = await createQualityWorld();
});
afterEach(() => w.close());

function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

describe('request log', () => {
  it('logs request id, user, method, route, status and duration; echoes the id; no query string', async () => {
    const { lines, logger } = memoryLogger();
    const app = createApp({ db: w.opened.db, dataDir: w.dataDir, log: logger });
    const res = await app.request('/api/tasks?secret=1', { headers: { cookie: w.cookies.ann!, 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    await app.request('/api/me');
    const evil = await app.request('/api/me', { headers: { 'x-request-id': 'bad id {"forged":1}' } });
    expect(evil.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((r) => setImmediate(r));
    const [first, second] = lines;
    expect(first).toMatchObject({ reqId: 'abc-123', method: 'GET', path: '/api/tasks', status: res.status, user: 'ann', msg: 'request' });
    expect(typeof first!.route).toBe('string');
    expect(first!.ms).toEqual(expect.any(Number));
    expect(JSON.stringify(first)).not.toContain('secret');
    expect(second).toMatchObject({ path: '/api/me', status: 401 });
    expect(second!.user).toBeUndefined();
  });

  it('logs a 500 at error level with the same request id', async () => {
    const { lines, logger } = memoryLogger();
    const app = createApp({ db: w.opened.db, dataDir: w.dataDir, log: logger });
    app.get('/api/boom', () => {
      throw new Error('boom');
    });
    const res = await app.request('/api/boom');
    expect(res.status).toBe(500);
    await new Promise((r) => setImmediate(r));
    const id = res.headers.get('x-request-id');
    expect(lines.filter((l) => l.reqId === id).map((l) => [l.level, l.msg])).toEqual([
      [50, 'unhandled error'],
      [50, 'request failed'],
    ]);
  });
});

describe.runIf(existsSync('/dev/full'))('a log on a full disk', () => {
  it('counts the failed writes and keeps running', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const code = `import(${JSON.stringify(join(ROOT, 'sync-server/src/log.ts'))}).then((m) => {
        for (let i = 0; i < 50; i++) m.log.warn({ i }, 'disk is full');
        setTimeout(() => process.stderr.write('dropped=' + m.droppedLogWrites()), 50);
      });`;
      const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), '-e', code], {
        cwd: ROOT,
        stdio: ['ignore', full, 'pipe'],
        env: { ...process.env, LOG_LEVEL: 'info' },
        timeout: 30_000,
      });
      expect(r.stderr.toString()).toMatch(/dropped=[1-9]/);
      expect(r.status).toBe(0);
    } finally {
      closeSync(full);
    }
  });
});
