// A sync test world: the real app on a temp SQLite FILE with the real migrations, a few annotators with
// live sessions, tasks of questions assigned to them, and a restart that reopens the same file.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@in3d/shared/protocol';
import { createApp, type App } from '../src/app';
import argon2 from 'argon2';
import { SESSION_COOKIE, newSessionToken, sessionIdOf } from '../src/auth/tokens';
import { type OpenedDb, migrateToLatest, openDatabase } from '../src/db/connect';
import { insertSession } from '../src/repositories/sessions';
import { insertUser } from '../src/repositories/users';

/** Every world user's password. */
export const PASSWORD = 'sync-test-password';

let hashOnce: Promise<string> | undefined;
/** argon2id with minimal cost: login works as in production (verify reads the cost from the hash) but fast. */
const cheapPasswordHash = () => (hashOnce ??= argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 }));

export interface WorldOptions {
  users?: string[];
  /** Reviewer accounts (no tasks), with live sessions like the annotators. */
  reviewers?: string[];
  /** Questions per task; each user gets one task `t-<user>` with its own questions plus the shared task `t-shared`. */
  questionsPerTask?: number;
  /** Where the temp folder goes (default /dev/shm when present, so fsync does not dominate test time). */
  root?: string;
}

export interface World {
  dir: string;
  file: string;
  opened: OpenedDb;
  app: App;
  users: string[];
  /** The Cookie header value of each user's session. */
  cookies: Record<string, string>;
  /** Tasks per user and their question ids; `unassigned` is a task nobody has. */
  tasks: Record<string, { taskId: string; questionIds: string[] }[]>;
  unassigned: { taskId: string; questionIds: string[] };
  /** Close the database and open the same file again with a new app (a server restart). */
  restart(): Promise<void>;
  /** Sends a request to the current app, with the session of `user` and the protocol header. */
  request(user: string | null, path: string, init?: RequestInit & { protocol?: number | null }): Promise<Response>;
  close(): Promise<void>;
}

export async function createWorld(opts: WorldOptions = {}): Promise<World> {
  const users = opts.users ?? ['ann', 'bob'];
  const n = opts.questionsPerTask ?? 5;
  const dir = mkdtempSync(join(opts.root ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'in3d-sync-'));
  const file = join(dir, 'annotator.sqlite');
  let opened = openDatabase(file);
  await migrateToLatest(opened.db);
  const db = opened.db;
  const now = new Date().toISOString();
  const cookies: Record<string, string> = {};
  const tasks: World['tasks'] = {};

  await db.insertInto('categories').values({ id: 'chair', name: 'chair' }).execute();
  await db.insertInto('images').values({ id: 'img1', category_id: 'chair', file_path: null, width: 640, height: 480, etag: null, bytes: null }).execute();
  const addTask = async (taskId: string, count: number, assignees: string[]) => {
    await db.insertInto('tasks').values({ id: taskId, name: taskId, created_at: now }).execute();
    const questionIds: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = `${taskId}-q${i}`;
      questionIds.push(id);
      await db
        .insertInto('questions')
        .values({
          id, image_id: 'img1', category_id: 'chair', bbox_x1: 10, bbox_y1: 10, bbox_x2: 300, bbox_y2: 200, viewport: 3000,
          init_azimuth: 0, init_elevation: 0, init_theta: 0, init_distance: 5, init_px: 320, init_py: 240, init_subtype: 1,
          source_json: null, created_at: now,
        })
        .execute();
      await db.insertInto('task_questions').values({ task_id: taskId, question_id: id, position: i }).execute();
    }
    for (const u of assignees) await db.insertInto('assignments').values({ task_id: taskId, user_id: u, assigned_at: now }).execute();
    return { taskId, questionIds };
  };

  const passwordHash = await cheapPasswordHash();
  for (const u of [...users, ...(opts.reviewers ?? [])]) {
    await insertUser(db, { id: u, role: users.includes(u) ? 'annotator' : 'reviewer', passwordHash, qualified: true });
    const token = newSessionToken();
    await insertSession(db, { id: sessionIdOf(token), userId: u, expiresAt: new Date(Date.now() + 86_400_000) });
    cookies[u] = `${SESSION_COOKIE}=${token}`;
  }
  const shared = await addTask('t-shared', n, users);
  for (const u of users) tasks[u] = [await addTask(`t-${u}`, n, [u]), shared];
  const unassigned = await addTask('t-nobody', 2, []);

  const world: World = {
    dir,
    file,
    opened,
    app: createApp({ db, dataDir: dir }),
    users,
    cookies,
    tasks,
    unassigned,
    async restart() {
      await world.opened.close();
      opened = openDatabase(file);
      await migrateToLatest(opened.db);
      world.opened = opened;
      world.app = createApp({ db: opened.db, dataDir: dir });
    },
    async request(user, path, init = {}) {
      const headers = new Headers(init.headers);
      if (user) headers.set('cookie', cookies[user]!);
      const protocol = init.protocol === undefined ? PROTOCOL_VERSION : init.protocol;
      if (protocol !== null) headers.set(PROTOCOL_HEADER, String(protocol));
      if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return world.app.request(`http://test${path}`, { ...init, headers });
    },
    async close() {
      await world.opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/**
 * A `fetch` for one device: routes to the world's current app in-process and keeps that device's cookies
 * like a browser would (Set-Cookie in, Cookie out). `world.app` is read per request, so it follows restarts.
 */
export function deviceFetch(world: World): typeof fetch {
  const jar = new Map<string, string>();
  return async (input, init) => {
    const req = new Request(input, init);
    const headers = new Headers(req.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.text();
    const res = await world.app.request(req.url, { method: req.method, headers, body });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
}
