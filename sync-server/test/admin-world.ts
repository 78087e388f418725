// A small admin test world: the real app on a temp SQLite file with the real migrations, and users with
// live sessions (an admin `root` and an annotator `ann` unless told otherwise).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp } from '../src/app';
import { newSessionToken, SESSION_COOKIE, sessionIdOf } from '../src/auth/tokens';
import { migrateToLatest, type OpenedDb, openDatabase } from '../src/db/connect';
import type { Role } from '@in3d/shared/types';
import { insertSession } from '../src/repositories/sessions';
import { insertUser } from '../src/repositories/users';

export interface AdminWorld {
  dir: string;
  opened: OpenedDb;
  app: App;
  /** The Cookie header value of each user's session. */
  cookies: Record<string, string>;
  /** A JSON request as `user` (null: signed out); a string body is sent as is. */
  call(user: string | null, method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

export async function createAdminWorld(
  prefix: string,
  users: readonly (readonly [string, Role])[] = [['root', 'admin'], ['ann', 'annotator']],
): Promise<AdminWorld> {
  const dir = mkdtempSync(join(tmpdir(), `in3d-${prefix}-`));
  const opened = openDatabase(join(dir, 'annotator.sqlite'));
  await migrateToLatest(opened.db);
  const cookies: Record<string, string> = {};
  for (const [id, role] of users) {
    await insertUser(opened.db, { id, role, passwordHash: 'x', qualified: true });
    const token = newSessionToken();
    await insertSession(opened.db, { id: sessionIdOf(token), userId: id, expiresAt: new Date(Date.now() + 3600_000) });
    cookies[id] = `${SESSION_COOKIE}=${token}`;
  }
  const app = createApp({ db: opened.db, dataDir: dir });
  return {
    dir,
    opened,
    app,
    cookies,
    call: async (user, method, path, body) =>
      app.request(path, {
        method,
        headers: { 'content-type': 'application/json', ...(user ? { cookie: cookies[user]! } : {}) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
