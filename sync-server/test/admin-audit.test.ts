import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/app';
import { newSessionToken, SESSION_COOKIE, sessionIdOf } from '../src/auth/tokens';
import { migrateToLatest, type OpenedDb, openDatabase } from '../src/db/connect';
import type { AuditEntry } from '../src/repositories/audit';
import { insertSession } from '../src/repositories/sessions';
import { insertUser } from '../src/repositories/users';

let dir: string, opened: OpenedDb, app: App;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'in3d-audit-'));
  opened = openDatabase(join(dir, 'annotator.sqlite'));
  await migrateToLatest(opened.db);
  for (const [id, role] of [['root', 'admin'], ['ann', 'annotator']] as const) {
    await insertUser(opened.db, { id, role, passwordHash: 'x', qualified: true });
    const token = newSessionToken();
    await insertSession(opened.db, { id: sessionIdOf(token), userId: id, expiresAt: new Date(Date.now() + 3600_000) });
    cookies[id] = `${SESSION_COOKIE}=${token}`;
  }
  app = createApp({ db: opened.db, dataDir: dir });
});

afterAll(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (user: string, method: string, path: string, body?: unknown) =>
  app.request(path, { method, headers: { 'content-type': 'application/json', cookie: cookies[user]! }, body: body === undefined ? undefined : JSON.stringify(body) });

describe('admin audit log', () => {
  it('records who did what and when for successful admin changes only; admins only can read it', async () => {
    expect((await call('ann', 'PATCH', '/api/admin/users/root', { disabled: true })).status).toBe(403);
    expect((await call('ann', 'GET', '/api/admin/audit')).status).toBe(403);
    expect((await call('root', 'PATCH', '/api/admin/users/ann', { disabled: true })).status).toBe(200);
    expect((await call('root', 'PATCH', '/api/admin/users/nobody', { disabled: true })).status).toBe(404);
    await call('root', 'GET', '/api/admin/users');
    const res = await call('root', 'GET', '/api/admin/audit');
    expect(res.status).toBe(200);
    const log = (await res.json()) as AuditEntry[];
    expect(log.map((e) => [e.actor, e.action, e.target])).toEqual([['root', 'PATCH', 'users/ann']]);
    expect(Date.now() - Date.parse(log[0]!.at)).toBeLessThan(60_000);
  });
});
