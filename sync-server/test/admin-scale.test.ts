// Lists beyond what SQLite binds in one statement (32,766 variables) and numbers beyond what it stores
// were 500s: a task of 12,000 questions, more than 32,766 ids, gold `subtype: 1e308`, `offset=1e22`.
// Each now works or is a 4xx with a message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VARIABLES } from '../src/repositories/chunks';
import { headsOfQuestions, revisionsOfQuestions, tasksOfQuestions } from '../src/repositories/exchange';
import { goldReferences } from '../src/repositories/gold';
import { questionInfos, taskKinds } from '../src/repositories/quality';
import { createQualityWorld, type QualityWorld } from './quality-world';

const MANY = 40_000; // more than MAX_VARIABLES
let w: QualityWorld;
const ids = Array.from({ length: MANY }, (_, i) => `bulk-${String(i).padStart(5, '0')}`);

beforeAll(async () => {
  w = await createQualityWorld();
  const sqlite = w.opened.sqlite;
  const now = new Date().toISOString();
  sqlite.prepare(`INSERT INTO images (id, category_id, file_path, width, height, etag, bytes) VALUES ('bulk-img', 'chair', NULL, 640, 480, NULL, NULL)`).run();
  const ins = sqlite.prepare(`INSERT INTO questions (id, image_id, category_id, bbox_x1, bbox_y1, bbox_x2, bbox_y2, viewport,
    init_azimuth, init_elevation, init_theta, init_distance, init_px, init_py, init_subtype, source_json, created_at)
    VALUES (?, 'bulk-img', 'chair', 1, 1, 100, 100, 3000, 10, 10, 0, 5, 320, 240, 1, NULL, ?)`);
  sqlite.transaction(() => {
    for (const id of ids) ins.run(id, now);
  })();
});

afterAll(async () => {
  await w?.close();
});

const json = async <T>(res: Response | Promise<Response>) => (await (await res).json()) as T;

describe('admin tasks of any size', () => {
  it.each([12_000, 20_000, MANY])('creates a task of %i questions, in order, and its annotator can open it', async (n) => {
    expect(MANY).toBeGreaterThan(MAX_VARIABLES);
    const res = await w.call('boss', 'POST', '/api/admin/tasks', { id: `big-${n}`, name: `big ${n}`, questionIds: ids.slice(0, n), assignees: ['ann'] });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ id: `big-${n}`, total: n, assignees: [{ userId: 'ann', done: 0 }] });
    const rows = w.opened.sqlite.prepare(`SELECT question_id, position FROM task_questions WHERE task_id = ? ORDER BY position`).all(`big-${n}`) as { question_id: string; position: number }[];
    expect(rows.map((r) => r.question_id)).toEqual(ids.slice(0, n));
    expect(rows.at(-1)!.position).toBe(n - 1);
    const opened = await json<{ task: { total: number; rework: number }; questions: unknown[] }>(w.call('ann', 'GET', `/api/tasks/big-${n}`));
    expect(opened.task).toMatchObject({ total: n, rework: 0 });
    expect(opened.questions).toHaveLength(n);
  });

  it('names the unknown ones among more than 32,766 ids with a 400', async () => {
    const res = await w.call('boss', 'POST', '/api/admin/tasks', { name: 'typos', questionIds: [...ids, 'nope-1', 'nope-2'] });
    expect(res.status).toBe(400);
    expect((await res.json()) as { message: string }).toMatchObject({ message: 'Unknown questions: nope-1, nope-2' });
  });

  it('every repository list of ids takes more than 32,766 of them', async () => {
    const db = w.opened.db;
    expect((await questionInfos(db, ids.map((questionId) => ({ questionId, taskId: `big-${MANY}` })))).size).toBe(MANY);
    expect(await taskKinds(db, ids)).toEqual(new Map());
    expect((await goldReferences(db, ids)).size).toBe(0);
    expect(await headsOfQuestions(db, ids)).toEqual([]);
    expect(await revisionsOfQuestions(db, ids)).toEqual([]);
    expect((await tasksOfQuestions(db, ids)).get(ids[MANY - 1]!)).toEqual([`big-${MANY}`]);
  });
});

describe('numbers SQLite cannot take are 400s, not 500s', () => {
  it('gold subtype 1e308 (an integer to JavaScript)', async () => {
    const reference = { pose: { azimuth: 1, elevation: 2, theta: 3, distance: 5, px: 10, py: 20 }, subtype: 1e308 };
    const res = await w.call('boss', 'POST', '/api/admin/gold', { questionId: 'q0', reference });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('reference.subtype');
    expect((await w.call('boss', 'POST', '/api/admin/gold', { questionId: 'q0', reference: { ...reference, subtype: 2 } })).status).toBe(201);
  });

  it.each(['1e22', '9007199254740993', '-1', '1.5', 'x'])('offset=%s', async (offset) => {
    const res = await w.call('boss', 'GET', `/api/admin/questions?offset=${offset}`);
    expect(res.status).toBe(400);
  });

  it('the largest offset it accepts works', async () => {
    const res = await w.call('boss', 'GET', `/api/admin/questions?offset=${Number.MAX_SAFE_INTEGER}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ total: MANY + 4 + 3, questions: [] });
  });

  it.each(['/api/sync/pull?cursor=1e22', '/api/reviews?limit=1e22', '/api/ab?limit=1e22'])('%s', async (path) => {
    const res = await w.call('boss', 'GET', path);
    expect(res.status).toBeLessThan(500);
  });
});

describe('admin question list without photos', () => {
  // The original tool's default database ships 15,430 questions and none of their photos: each row drew a broken image.
  it('a question whose photo is missing has no imageUrl; one with a photo keeps it', async () => {
    type Page = { total: number; questions: { id: string; imageUrl?: string }[] };
    const first = await json<Page>(w.call('boss', 'GET', '/api/admin/questions?limit=5000'));
    const last = await json<Page>(w.call('boss', 'GET', `/api/admin/questions?limit=5000&offset=${first.total - 5000}`));
    const seen = [...first.questions, ...last.questions];
    const bulk = seen.filter((q) => q.id.startsWith('bulk-'));
    const withPhoto = seen.filter((q) => !q.id.startsWith('bulk-'));
    expect(bulk.length).toBeGreaterThan(0);
    expect(bulk.filter((q) => q.imageUrl !== undefined)).toEqual([]);
    expect(withPhoto.length).toBeGreaterThan(0);
    expect(withPhoto.every((q) => q.imageUrl?.startsWith('/api/images/img-'))).toBe(true);
  });
});
