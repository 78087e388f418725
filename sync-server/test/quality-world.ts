// A world for the quality tests: the real app on in-memory SQLite through the real migrations, one
// account per role (plus a second annotator and a new, unqualified one) with live sessions, two tasks
// and gold questions whose reference poses sit in source_json like the demo's. Saves go through the
// real sync push, as the app sends them.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MutationResult, PROTOCOL_HEADER, PROTOCOL_VERSION } from '@in3d/shared/protocol';
import type { ReviewVerdict } from '@in3d/shared/quality';
import type { AnnotationValues, PoseJson, Role } from '@in3d/shared/types';
import { expect } from 'vitest';
import { type App, createApp } from '../src/app';
import { newSessionToken, SESSION_COOKIE, sessionIdOf } from '../src/auth/tokens';
import { migrateToLatest, type OpenedDb, openDatabase } from '../src/db/connect';
import { insertSession } from '../src/repositories/sessions';
import { insertUser } from '../src/repositories/users';

export const USERS: { id: string; role: Role; qualified: boolean }[] = [
  { id: 'ann', role: 'annotator', qualified: true },
  { id: 'bob', role: 'annotator', qualified: true },
  { id: 'newbie', role: 'annotator', qualified: false },
  { id: 'rev', role: 'reviewer', qualified: true },
  { id: 'boss', role: 'admin', qualified: true },
];

export const INITIAL: PoseJson = { azimuth: 0, elevation: 10, theta: 0, distance: 5, px: 320, py: 240 };
export const goldPose = (i: number): PoseJson => ({ azimuth: 40 + 10 * i, elevation: 15, theta: 3, distance: 6, px: 300 + i, py: 250 });
export const GOLD_IDS = ['g0', 'g1', 'g2'];

/** The JSON body of an answer, after checking its status (the body is in the failure message). */
export async function expectJson<T>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const body = (await r.json()) as T;
  expect(r.status, JSON.stringify(body)).toBe(status);
  return body;
}

export interface QualityWorld {
  opened: OpenedDb;
  dataDir: string;
  app: App;
  cookies: Record<string, string>;
  /** JSON request as `user` (null: no session). */
  call(user: string | null, method: string, path: string, body?: unknown): Promise<Response>;
  /** Saves through POST /api/sync/push; resolves with the stored revision id (throws when refused). */
  save(user: string, taskId: string, questionId: string, values: Partial<AnnotationValues> & { pose?: PoseJson }): Promise<string>;
  push(user: string, taskId: string, questionId: string, values?: Partial<AnnotationValues>): Promise<Response>;
  /** Pushes one mutation of any kind (id, seq and clientSavedAt filled in) and answers its result. */
  mutate(user: string, mutation: Record<string, unknown> & { kind: string }): Promise<MutationResult>;
  /** A reviewer's verdict as the app sends it (R19); resolves with the review id (throws when refused). */
  review(user: string, revisionId: string, verdict: ReviewVerdict, comment?: string | null): Promise<string>;
  /** A qualification answer (R21); throws when refused. */
  answer(user: string, attemptId: string, questionId: string, values: Partial<AnnotationValues> & { pose?: PoseJson }): Promise<string>;
  /** Pushes mutations of any kind from `user`'s client; one without `seq` gets the next (kept on it for a retry). */
  pushMutations(user: string, mutations: Record<string, unknown>[]): Promise<MutationResult[]>;
  close(): Promise<void>;
}

export async function createQualityWorld(): Promise<QualityWorld> {
  const opened = openDatabase(':memory:');
  await migrateToLatest(opened.db);
  const db = opened.db;
  const now = new Date().toISOString();
  const cookies: Record<string, string> = {};
  for (const u of USERS) {
    await insertUser(db, { id: u.id, role: u.role, passwordHash: 'x', qualified: u.qualified });
    const token = newSessionToken();
    await insertSession(db, { id: sessionIdOf(token), userId: u.id, expiresAt: new Date(Date.now() + 86_400_000) });
    cookies[u.id] = `${SESSION_COOKIE}=${token}`;
  }
  await db.insertInto('categories').values({ id: 'chair', name: 'chair' }).execute();
  await db.insertInto('cad_models').values({ category_id: 'chair', subtype: 1, name: 'chair 1', mesh: new Uint8Array([1, 2, 3]), etag: 'cafe0001', vertex_count: 0, triangle_count: 0 }).execute();
  // Each question has its own photo (img-<question id>), so access to a photo follows the tasks.
  const dataDir = mkdtempSync(join(tmpdir(), 'in3d-quality-'));
  mkdirSync(join(dataDir, 'images'));
  const question = async (id: string, source: unknown) => {
    writeFileSync(join(dataDir, 'images', `${id}.jpg`), new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
    await db.insertInto('images').values({ id: `img-${id}`, category_id: 'chair', file_path: `images/${id}.jpg`, width: 640, height: 480, etag: `e7a9${id.charCodeAt(0)}${id.charCodeAt(1)}`, bytes: 4 }).execute();
    await db.insertInto('questions').values({
      id, image_id: `img-${id}`, category_id: 'chair', bbox_x1: 10, bbox_y1: 10, bbox_x2: 600, bbox_y2: 400, viewport: 3000,
      init_azimuth: INITIAL.azimuth, init_elevation: INITIAL.elevation, init_theta: INITIAL.theta, init_distance: INITIAL.distance,
      init_px: INITIAL.px, init_py: INITIAL.py, init_subtype: 1, source_json: source === null ? null : JSON.stringify(source), created_at: now,
    }).execute();
  };
  for (let i = 0; i < 4; i++) await question(`q${i}`, null);
  for (let i = 0; i < GOLD_IDS.length; i++) await question(GOLD_IDS[i]!, { gold: goldPose(i), goldSubtype: 2 });
  const task = async (id: string, qs: string[], users: string[]) => {
    await db.insertInto('tasks').values({ id, name: id, created_at: now }).execute();
    await db.insertInto('task_questions').values(qs.map((q, position) => ({ task_id: id, question_id: q, position }))).execute();
    for (const u of users) await db.insertInto('assignments').values({ task_id: id, user_id: u, assigned_at: now }).execute();
  };
  // t-ann and t-bob share q0 and q1, so the two annotators can be compared.
  await task('t-ann', ['q0', 'q1', 'q2'], ['ann']);
  await task('t-bob', ['q0', 'q1', 'q3'], ['bob']);
  await task('t-new', ['q2', 'q3'], ['newbie']);

  const app = createApp({ db, dataDir });
  const clients = new Map<string, { id: string; seq: number }>();

  const call = (user: string | null, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
    if (user) headers.cookie = cookies[user]!;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return Promise.resolve(app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  };

  const pushOne = (user: string, mutation: Record<string, unknown>) => {
    const client = clients.get(user) ?? { id: randomUUID(), seq: 0 };
    clients.set(user, client);
    client.seq++;
    return call(user, 'POST', '/api/sync/push', {
      clientId: client.id,
      mutations: [{ id: randomUUID(), seq: client.seq, clientSavedAt: new Date().toISOString(), ...mutation }],
    });
  };
  const valuesOf = (values: Partial<AnnotationValues>) => ({ pose: INITIAL, subtype: 1, objectStatus: 'status_good', dense: 'dense_no', activeMs: 1000, ...values });
  const push = (user: string, taskId: string, questionId: string, values: Partial<AnnotationValues> = {}) =>
    pushOne(user, { kind: 'annotation.save', questionId, taskId, baseRevisionId: null, values: valuesOf(values) });
  const mutate = async (user: string, mutation: Record<string, unknown>): Promise<MutationResult> => {
    const res = await pushOne(user, mutation);
    const body = (await res.json()) as { results?: MutationResult[]; message?: string };
    if (res.status !== 200 || !body.results?.[0]) throw new Error(`push refused (${res.status}): ${body.message}`);
    return body.results[0];
  };
  const applied = (r: MutationResult) => {
    if (r.status !== 'applied') throw new Error(`refused: ${r.reason}: ${r.message}`);
    return r.id;
  };

  const pushMutations = async (user: string, mutations: Record<string, unknown>[]) => {
    const client = clients.get(user) ?? { id: randomUUID(), seq: 0 };
    clients.set(user, client);
    for (const m of mutations) m.seq ??= ++client.seq;
    const res = await call(user, 'POST', '/api/sync/push', { clientId: client.id, mutations });
    if (res.status !== 200) throw new Error(`push answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { results: MutationResult[] }).results;
  };

  return {
    opened,
    dataDir,
    app,
    cookies,
    call,
    push,
    mutate,
    review: async (user, revisionId, verdict, comment = null) => applied(await mutate(user, { kind: 'review.verdict', revisionId, verdict, comment })),
    answer: async (user, attemptId, questionId, values) =>
      applied(await mutate(user, { kind: 'qualification.answer', attemptId, questionId, values: valuesOf(values) })),
    pushMutations,
    async save(user, taskId, questionId, values) {
      const res = await push(user, taskId, questionId, values);
      const body = (await res.json()) as { results?: { id: string; status: string; message?: string }[]; message?: string };
      const r = body.results?.[0];
      if (res.status !== 200 || r?.status !== 'applied') throw new Error(`save refused (${res.status}): ${r?.message ?? body.message}`);
      return r.id;
    },
    async close() {
      await opened.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A response's JSON body, after checking its status (the body is in the failure message). */
export async function json<T>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const body = (await r.json()) as T;
  expect(r.status, JSON.stringify(body)).toBe(status);
  return body;
}
