import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CadModelInfo, QuestionInfo, TaskSummary } from '@in3d/shared/types';
import { createApp } from '../src/app';
import { migrateToLatest, openDatabase, type OpenedDb } from '../src/db/connect';
import {
  assignTask, contentEtag, countQuestions, setTaskQuestions, upsertCadModel, upsertCategory, upsertImage, upsertQuestion, upsertTask,
} from '../src/repositories/catalogue';
import { insertUser } from '../src/repositories/users';

let opened: OpenedDb;
let app: ReturnType<typeof createApp>;
const cookies: Record<string, string> = {};
const pose = (azimuth: number) => ({ azimuth, elevation: 10, theta: -5, distance: 6.5, px: 120, py: 80 });

/** Two chair tasks for alice, one mixed task for bob, CADs for chair. Idempotent, so it runs twice. */
async function seedCatalogue() {
  await opened.db.transaction().execute(async (trx) => {
    await upsertCategory(trx, { id: 'chair' });
    await upsertCategory(trx, { id: 'car', name: 'Car' });
    // Inserted out of order on purpose: the list comes back by subtype.
    for (const subtype of [3, 1, 2])
      await upsertCadModel(trx, { category: 'chair', subtype, name: `chair ${subtype}`, mesh: Uint8Array.of(subtype, 1, 2, 3), vertexCount: 10 * subtype, triangleCount: 20 * subtype });
    for (let i = 0; i < 4; i++) {
      const category = i < 3 ? 'chair' : 'car';
      await upsertImage(trx, { id: `img${i}`, category, filePath: `images/img${i}.JPEG`, width: 640, height: 480, etag: `e${i}e${i}e${i}e${i}`, bytes: 1000 });
      await upsertQuestion(trx, { id: `q${i}`, imageId: `img${i}`, category, bbox: [10, 20, 300, 400], viewport: 3000, initialPose: pose(i * 10), initialSubtype: 1, source: { gold: pose(1) } });
    }
    await upsertTask(trx, { id: 't1', name: 'Chairs 1' });
    await setTaskQuestions(trx, 't1', ['q2', 'q0', 'q1']);
    await upsertTask(trx, { id: 't2', name: 'Empty' });
    await upsertTask(trx, { id: 't3', name: 'Mixed' });
    await setTaskQuestions(trx, 't3', ['q0', 'q3']);
    await assignTask(trx, 't1', 'alice');
    await assignTask(trx, 't2', 'alice');
    await assignTask(trx, 't3', 'bob');
  });
}

/** An annotation head for (question, user), the way the sync code records one. */
function annotate(questionId: string, userId: string) {
  const now = new Date().toISOString();
  const id = `${questionId}-${userId}`;
  opened.sqlite.exec(`INSERT INTO annotations (id,question_id,user_id,client_id,azimuth,elevation,theta,distance,px,py,subtype,object_status,dense,client_saved_at,server_received_at)
    VALUES ('${id}','${questionId}','${userId}','c',0,0,0,5,5,5,1,'status_good','dense_no','${now}','${now}');
    INSERT INTO annotation_heads (question_id,user_id,revision_id,updated_seq) VALUES ('${questionId}','${userId}','${id}',1);`);
}

beforeAll(async () => {
  opened = openDatabase(':memory:');
  await migrateToLatest(opened.db);
  const passwordHash = await argon2.hash('password', { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 });
  for (const [id, role] of [['alice', 'annotator'], ['bob', 'annotator'], ['rita', 'reviewer']] as const)
    await insertUser(opened.db, { id, role, passwordHash, qualified: true });
  await seedCatalogue();
  await seedCatalogue();
  app = createApp({ db: opened.db, dataDir: '/nonexistent' });
  for (const id of ['alice', 'bob', 'rita']) {
    const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: id, password: 'password' }) });
    cookies[id] = res.headers.get('set-cookie')!.split(';')[0]!;
  }
});
afterAll(() => opened.close());

const get = (path: string, user?: string) => app.request(path, { headers: user ? { cookie: cookies[user]! } : {} });

describe('catalogue writers', () => {
  it('are idempotent: seeding twice leaves one row each', async () => {
    expect(await countQuestions(opened.db)).toBe(4);
    const count = async (t: 'cad_models' | 'task_questions' | 'assignments' | 'images') =>
      Number((await opened.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('cad_models')).toBe(3);
    expect(await count('images')).toBe(4);
    expect(await count('task_questions')).toBe(5);
    expect(await count('assignments')).toBe(3);
  });

  it('keeps the source JSON and names the etag by content', async () => {
    const q = await opened.db.selectFrom('questions').select('source_json').where('id', '=', 'q0').executeTakeFirstOrThrow();
    expect(JSON.parse(q.source_json!)).toEqual({ gold: pose(1) });
    expect(contentEtag(Uint8Array.of(1, 1, 2, 3))).toMatch(/^[0-9a-f]{32}$/);
    expect(contentEtag(Uint8Array.of(1, 1, 2, 3))).not.toBe(contentEtag(Uint8Array.of(2, 1, 2, 3)));
  });
});

describe('GET /api/tasks', () => {
  it('needs a session', async () => {
    expect((await get('/api/tasks')).status).toBe(401);
    expect((await get('/api/tasks/t1')).status).toBe(401);
    expect((await get('/api/categories/chair/cads')).status).toBe(401);
  });

  it("lists the user's tasks with their own progress", async () => {
    // toMatchObject: other modules may add fields (e.g. review rework counts) to each summary.
    let tasks = (await (await get('/api/tasks', 'alice')).json()) as TaskSummary[];
    expect(tasks).toMatchObject([
      { id: 't1', name: 'Chairs 1', category: 'chair', total: 3, done: 0, firstOpenIndex: 0 },
      { id: 't2', name: 'Empty', category: null, total: 0, done: 0, firstOpenIndex: null },
    ]);

    annotate('q2', 'alice'); // position 0 of t1
    annotate('q1', 'bob'); // someone else's work does not count for alice
    tasks = (await (await get('/api/tasks', 'alice')).json()) as TaskSummary[];
    expect(tasks[0]).toMatchObject({ done: 1, firstOpenIndex: 1 });

    annotate('q1', 'alice');
    annotate('q0', 'alice');
    tasks = (await (await get('/api/tasks', 'alice')).json()) as TaskSummary[];
    expect(tasks[0]).toMatchObject({ total: 3, done: 3, firstOpenIndex: null });

    const bobs = (await (await get('/api/tasks', 'bob')).json()) as TaskSummary[];
    // q0 is alice's, not bob's, so bob's first open question of t3 is q0 at index 0.
    expect(bobs).toMatchObject([{ id: 't3', name: 'Mixed', category: null, total: 2, done: 0, firstOpenIndex: 0 }]);
    expect(await (await get('/api/tasks', 'rita')).json()).toEqual([]);
  });
});

describe('GET /api/tasks/:taskId', () => {
  it('answers the questions in task order with degrees and a versioned image URL', async () => {
    const res = await get('/api/tasks/t1', 'alice');
    expect(res.status).toBe(200);
    const { task, questions } = (await res.json()) as { task: TaskSummary; questions: QuestionInfo[] };
    expect(task.id).toBe('t1');
    expect(questions.map((q) => [q.id, q.index])).toEqual([['q2', 0], ['q0', 1], ['q1', 2]]);
    expect(questions[0]).toEqual({
      id: 'q2', taskId: 't1', index: 0, category: 'chair',
      imageUrl: '/api/images/img2?v=e2e2e2e2', imageWidth: 640, imageHeight: 480,
      bbox: [10, 20, 300, 400], viewport: 3000, initialPose: pose(20), initialSubtype: 1, imageName: 'img2.JPEG',
    });
  });

  it("is 403 for another annotator's task, fine for a reviewer, 404 when unknown", async () => {
    const forbidden = await get('/api/tasks/t3', 'alice');
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { message: string }).message).toMatch(/not assigned to you/);
    const reviewer = await get('/api/tasks/t3', 'rita');
    expect(reviewer.status).toBe(200);
    expect(((await reviewer.json()) as { questions: QuestionInfo[] }).questions).toHaveLength(2);
    expect((await get('/api/tasks/nope', 'alice')).status).toBe(404);
    expect((await get('/api/tasks/nope', 'rita')).status).toBe(404);
  });
});

describe('GET /api/categories/:category/cads', () => {
  it('lists the CAD models by subtype with content-addressed mesh URLs', async () => {
    const cads = (await (await get('/api/categories/chair/cads', 'alice')).json()) as CadModelInfo[];
    expect(cads.map((c) => c.subtype)).toEqual([1, 2, 3]);
    const etag = contentEtag(Uint8Array.of(2, 1, 2, 3));
    expect(cads[1]).toEqual({ category: 'chair', subtype: 2, name: 'chair 2', vertexCount: 20, triangleCount: 40, meshUrl: `/api/meshes/${etag}`, etag });
  });

  it('is an empty list for a category without CADs and 404 for an unknown one', async () => {
    expect(await (await get('/api/categories/car/cads', 'alice')).json()).toEqual([]);
    expect((await get('/api/categories/boat/cads', 'alice')).status).toBe(404);
  });
});
