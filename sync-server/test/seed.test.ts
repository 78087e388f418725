import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { taskPayloadSchema } from '@in3d/shared/catalogue';
import type { QualificationStatus } from '@in3d/shared/quality';
import type { QuestionInfo, TaskSummary } from '@in3d/shared/types';
import { decodeMesh, MESH_FORMAT_VERSION } from '@in3d/shared/mesh/codec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { type OpenedDb } from '../src/db/connect';
import { openDataDir } from '../src/cli/context';
import { DEMO_IMAGE_DIR, DEMO_QUESTIONS_PER_ATTEMPT, type SeedResult, seedDemo } from '../src/demo/seed';
import { contentEtag } from '../src/repositories/catalogue';
import { listGold, parseSourceGold } from '../src/repositories/gold';
import { getQualificationSettings } from '../src/repositories/quality';
import { listUsers } from '../src/repositories/users';

let dataDir: string;
let opened: OpenedDb;
let first: SeedResult;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'in3d-seed-'));
  opened = await openDataDir(dataDir);
  first = await seedDemo(opened.db, dataDir, { password: 'demo-password', photosPerCategory: 1 });
}, 120_000);
afterAll(async () => {
  await opened.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const count = async (t: 'questions' | 'images' | 'cad_models' | 'tasks' | 'assignments' | 'users') =>
  Number((await opened.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('seedDemo', () => {
  it('inserts the generated dataset and four accounts', async () => {
    if (!first.seeded) throw new Error('expected a seed');
    expect(first.accounts).toEqual([
      { id: 'demo', role: 'annotator', password: 'demo-password' },
      { id: 'trainee', role: 'annotator', password: 'demo-password' },
      { id: 'reviewer', role: 'reviewer', password: 'demo-password' },
      { id: 'admin', role: 'admin', password: 'demo-password' },
    ]);
    expect(await count('questions')).toBe(first.questions);
    expect(await count('images')).toBe(first.images);
    expect(await count('cad_models')).toBe(first.cads);
    expect(await count('tasks')).toBe(first.tasks);
    expect(first.questions).toBeGreaterThan(0);
    // Every task goes to demo and to trainee, the new annotator who must qualify first.
    expect(await count('assignments')).toBe(2 * first.tasks);
    const users = await listUsers(opened.db);
    expect(users.map((u) => [u.id, u.role, u.qualified])).toEqual([
      ['admin', 'admin', 1], ['demo', 'annotator', 1], ['reviewer', 'reviewer', 1], ['trainee', 'annotator', 0],
    ]);
  });

  it('writes the photos under DATA_DIR/images/demo and records their etag', async () => {
    const files = readdirSync(join(dataDir, DEMO_IMAGE_DIR));
    expect(files).toHaveLength(first.seeded ? first.images : -1);
    expect(files.every((f) => f.endsWith('.JPEG'))).toBe(true);
    const rows = await opened.db.selectFrom('images').selectAll().execute();
    for (const row of rows) {
      const bytes = readFileSync(join(dataDir, row.file_path!));
      expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
      expect(row.etag).toBe(contentEtag(bytes));
      expect(row.bytes).toBe(bytes.byteLength);
    }
  });

  it('keeps the gold pose in source_json', async () => {
    const q = await opened.db.selectFrom('questions').selectAll().executeTakeFirstOrThrow();
    const source = JSON.parse(q.source_json!) as { gold: Record<string, number>; goldSubtype: number };
    expect(Object.keys(source.gold).sort()).toEqual(['azimuth', 'distance', 'elevation', 'px', 'py', 'theta']);
    expect(Number.isInteger(source.goldSubtype)).toBe(true);
    expect(source.gold.distance).toBeGreaterThan(0);
  });

  it('sets up the qualification test: labelled gold questions, a few per attempt, open to the trainee at once', async () => {
    const gold = await listGold(opened.db);
    // One photo per category, each of one object: one gold question per category.
    expect(gold.map((g) => g.category).sort()).toEqual(['demo-car', 'demo-chair', 'demo-tvmonitor']);
    expect(first.seeded && first.gold).toBe(3);
    for (const g of gold) {
      const q = await opened.db.selectFrom('questions').select('source_json').where('id', '=', g.questionId).executeTakeFirstOrThrow();
      // The reference is the pose and labels the photo was drawn with.
      expect(g.reference).toEqual(parseSourceGold(q.source_json));
      expect(g.reference.objectStatus).toMatch(/^status_/);
      expect(g.reference.dense).toBe('dense_no');
    }
    expect(await getQualificationSettings(opened.db)).toMatchObject({ required: true, questionsPerAttempt: DEMO_QUESTIONS_PER_ATTEMPT, requireLabels: true });

    const app = createApp({ db: opened.db, dataDir });
    const login = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'trainee', password: 'demo-password' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const status = (await (await app.request('/api/qualification', { headers: { cookie } })).json()) as QualificationStatus;
    expect(status).toMatchObject({ state: 'not_started', lockedTasks: first.seeded ? first.tasks : -1, goldQuestions: 3 });
    expect(await (await app.request('/api/tasks', { headers: { cookie } })).json()).toEqual([]);
  });

  it('does nothing the second time', async () => {
    const before = await opened.db.selectFrom('users').select(['id', 'password_hash']).orderBy('id').execute();
    const again = await seedDemo(opened.db, dataDir, { password: 'other-password', photosPerCategory: 1 });
    expect(again).toEqual({ seeded: false, reason: `the database already has ${first.seeded ? first.questions : 0} questions` });
    expect(await opened.db.selectFrom('users').select(['id', 'password_hash']).orderBy('id').execute()).toEqual(before);
  });

  it('serves the demo through the API: log in, list tasks, open one, fetch its photo and a mesh', async () => {
    const app = createApp({ db: opened.db, dataDir });
    const login = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'demo', password: 'demo-password' }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const tasks = (await (await app.request('/api/tasks', { headers: { cookie } })).json()) as TaskSummary[];
    expect(tasks.length).toBe(first.seeded ? first.tasks : -1);
    expect(tasks[0]).toMatchObject({ done: 0, firstOpenIndex: 0 });
    // The task payload as the app reads it (the shared schema), with its category's models along.
    const payload = taskPayloadSchema.parse(await (await app.request(`/api/tasks/${tasks[0]!.id}`, { headers: { cookie } })).json());
    const questions: QuestionInfo[] = payload.questions;
    const photo = await app.request(questions[0]!.imageUrl, { headers: { cookie } });
    expect(photo.status).toBe(200);
    expect(photo.headers.get('cache-control')).toContain('immutable');
    const cads = (await (await app.request(`/api/categories/${questions[0]!.category}/cads`, { headers: { cookie } })).json()) as { meshUrl: string }[];
    expect(cads.length).toBeGreaterThan(1);
    expect(payload.cads).toEqual(cads);
    const mesh = new Uint8Array(await (await app.request(cads[0]!.meshUrl, { headers: { cookie } })).arrayBuffer());
    expect(String.fromCharCode(...mesh.subarray(0, 4))).toBe('I3DM');
    expect(mesh[4]).toBe(MESH_FORMAT_VERSION); // the demo is seeded in the current format
    expect((await decodeMesh(mesh)).ok).toBe(true);
  });

  it('gives each account its own random password without DEMO_PASSWORD', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'in3d-seed2-'));
    const other = await openDataDir(dir);
    try {
      const r = await seedDemo(other.db, dir, { photosPerCategory: 1 });
      if (!r.seeded) throw new Error('expected a seed');
      const passwords = r.accounts.map((a) => a.password);
      expect(new Set(passwords).size).toBe(4);
      for (const p of passwords) expect(p).toMatch(/^\S{16}$/);
      expect(existsSync(join(dir, DEMO_IMAGE_DIR))).toBe(true);
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
