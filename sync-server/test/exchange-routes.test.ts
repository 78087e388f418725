import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../src/exchange/summary';
import { hasFixtures, IMAGENET3D } from '../../shared/test/fixtures';
import { type AdminWorld, createAdminWorld } from './admin-world';

const LEGACY = join(IMAGENET3D, 'legacy');
let w: AdminWorld;
beforeAll(async () => {
  w = await createAdminWorld('exroutes');
});
afterAll(() => w.close());

const post = (user: string | null, path: string, body: unknown) => w.call(user, 'POST', path, body);

describe('admin exchange endpoints', () => {
  it('are for admins only', async () => {
    expect((await post(null, '/api/admin/import/legacy', { source: LEGACY })).status).toBe(401);
    expect((await post('ann', '/api/admin/import/legacy', { source: LEGACY })).status).toBe(403);
    expect((await w.app.request('/api/admin/export.jsonl', { headers: { cookie: w.cookies.ann! } })).status).toBe(403);
  });

  it('answer malformed requests with 400 and a message, never 5xx', async () => {
    const notJson = await post('root', '/api/admin/import/legacy', '{nope');
    expect(notJson.status).toBe(400);
    const relative = await post('root', '/api/admin/import/legacy', { source: 'legacy' });
    expect(relative.status).toBe(400);
    expect(((await relative.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe('source');
    const missing = await post('root', '/api/admin/import/legacy', { source: join(w.dir, 'nothing-here') });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toMatch(/No folder/);
    expect((await post('root', '/api/admin/export/npz', { outDir: 5 })).status).toBe(400);
  });

  it('write exports only inside DATA_DIR/exports: a path elsewhere (absolute, ../) is refused with 400 and nothing changes', async () => {
    // An admin session must not become a way to overwrite the live database or a system file.
    const victim = join(w.dir, 'annotator.sqlite');
    const before = readFileSync(victim);
    const outside = join(w.dir, 'outside');
    for (const [path, body] of [
      ['/api/admin/export/coco', { file: victim }],
      ['/api/admin/export/coco', { file: '../annotator.sqlite' }],
      ['/api/admin/export/coco', { file: 'sub/../../annotator.sqlite' }],
      ['/api/admin/export/npz', { outDir: outside }],
      ['/api/admin/export/release', { outDir: '../outside' }],
    ] as const) {
      const res = await post('root', path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/inside DATA_DIR\/exports/);
    }
    expect(readFileSync(victim).equals(before)).toBe(true);
    expect(existsSync(outside)).toBe(false);
    // A symlink inside the exports folder is not written through either.
    writeFileSync(join(w.dir, 'keep.txt'), 'keep');
    mkdirSync(join(w.dir, 'exports'), { recursive: true });
    symlinkSync(join(w.dir, 'keep.txt'), join(w.dir, 'exports', 'link.json'));
    expect((await post('root', '/api/admin/export/coco', { file: 'link.json' })).status).toBe(400);
    expect(readFileSync(join(w.dir, 'keep.txt'), 'utf8')).toBe('keep');

    const ok = await post('root', '/api/admin/export/coco', { file: 'coco.json' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { target: string }).target).toBe(join(w.dir, 'exports', 'coco.json'));
    expect(JSON.parse(readFileSync(join(w.dir, 'exports', 'coco.json'), 'utf8'))).toHaveProperty('annotations');
    // A folder where that export is a file cannot be made: the request's mistake, a 400 with the reason.
    const under = await post('root', '/api/admin/export/coco', { file: 'coco.json/x.json' });
    expect(under.status).toBe(400);
    expect(((await under.json()) as { message: string }).message).toMatch(/^file: .*cannot be made inside DATA_DIR\/exports/);
  });

  it("writes an export through a temporary file of its own: a symlink planted at '<file>.tmp' is not followed, a user's file of that name is left alone", async () => {
    const exportsDir = join(w.dir, 'exports');
    mkdirSync(exportsDir, { recursive: true });
    writeFileSync(join(w.dir, 'victim.txt'), 'victim');
    symlinkSync(join(w.dir, 'victim.txt'), join(exportsDir, 'planted.json.tmp'));
    const res = await post('root', '/api/admin/export/coco', { file: 'planted.json' });
    expect(res.status).toBe(200);
    expect(readFileSync(join(w.dir, 'victim.txt'), 'utf8')).toBe('victim');
    expect(JSON.parse(readFileSync(join(exportsDir, 'planted.json'), 'utf8'))).toHaveProperty('annotations');

    writeFileSync(join(exportsDir, 'mine.json.tmp'), 'an admin kept this here');
    expect((await post('root', '/api/admin/export/coco', { file: 'mine.json' })).status).toBe(200);
    expect(readFileSync(join(exportsDir, 'mine.json.tmp'), 'utf8')).toBe('an admin kept this here');
    // and no temporary file is left behind
    expect(readdirSync(exportsDir).filter((n) => n.endsWith('.tmp')).sort()).toEqual(['mine.json.tmp', 'planted.json.tmp']);
  });

  it.skipIf(!hasFixtures)('import, export npz and stream jsonl with the same functions as the CLI', async () => {
    const res = await post('root', '/api/admin/import/legacy', { source: LEGACY });
    expect(res.status).toBe(200);
    const s = (await res.json()) as ImportSummary;
    expect(s.questions.imported).toBe(9);
    expect(s.reports.filter((r) => r.reason === 'missing_photo').map((r) => r.path)).toEqual([join(LEGACY, 'images/car/n02958343_91_00.JPEG')]);
    expect(s.users.created.map((u) => u.id)).toEqual(['alice', 'bob']);

    const out = join(w.dir, 'exports', 'out');
    const npz = await post('root', '/api/admin/export/npz', { outDir: 'out' });
    expect(npz.status).toBe(200);
    expect(((await npz.json()) as { written: number }).written).toBe(1);
    expect(readdirSync(join(out, 'annotations_new/chair'))).toEqual(['n03001627_101_01.npz']);

    const jsonl = await w.app.request('/api/admin/export.jsonl', { headers: { cookie: w.cookies.root! } });
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get('content-type')).toMatch(/ndjson/);
    const lines = (await jsonl.text()).trim().split('\n').map((l) => JSON.parse(l) as { questionId: string; revisions: unknown[] });
    expect(lines).toHaveLength(9);
    expect(lines.find((l) => l.questionId === 'objnet3d_chair_n03001627_101_01')?.revisions).toHaveLength(1);
  });

  it.skipIf(!hasFixtures)('npz and release exports write nothing through a symlinked folder inside their output folder (reported by path)', async () => {
    const outside = join(w.dir, 'outside-folder');
    mkdirSync(outside, { recursive: true });
    mkdirSync(join(w.dir, 'exports', 'rel-linked'), { recursive: true });
    symlinkSync(outside, join(w.dir, 'exports', 'rel-linked', 'chair'));
    mkdirSync(join(w.dir, 'exports', 'npz-linked'), { recursive: true });
    symlinkSync(outside, join(w.dir, 'exports', 'npz-linked', 'annotations_new'));
    for (const [path, outDir] of [['/api/admin/export/release', 'rel-linked'], ['/api/admin/export/npz', 'npz-linked']] as const) {
      const res = await post('root', path, { outDir });
      expect(res.status, path).toBe(200);
      const s = (await res.json()) as { reports: { path: string; reason: string }[] };
      expect(s.reports.filter((r) => r.reason === 'unsafe_path').map((r) => r.path), path).toEqual([expect.stringContaining(join(w.dir, 'exports', outDir))]);
    }
    expect(readdirSync(outside)).toEqual([]);
  });

  it.skipIf(!hasFixtures)('answer an import whose user id names another account with 409 and the list, and import with the chosen mapping', async () => {
    // `ann` exists on this server; a dataset whose annotator is also `ann` must not become her.
    const other = join(w.dir, 'other-legacy.sqlite');
    const src = new SQLite(join(LEGACY, 'database.sqlite'), { readonly: true });
    await src.backup(other);
    src.close();
    const db = new SQLite(other);
    db.exec(`UPDATE annotators SET annotator_id = 'ann' WHERE annotator_id = 'bob'; UPDATE tasks SET annotator_id = 'ann' WHERE annotator_id = 'bob';`);
    db.close();
    const res = await post('root', '/api/admin/import/legacy', { source: LEGACY, db: other });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: string; conflicts: { path: string; reason: string }[] };
    expect(body.error).toBe('import_conflict');
    // alice was imported by the previous test from another database file: not known to be this alice either.
    expect(body.conflicts.map((c) => [c.path, c.reason])).toEqual([['db:annotators/alice', 'user_id_collision'], ['db:annotators/ann', 'user_id_collision']]);
    expect(w.opened.sqlite.prepare(`SELECT task_id FROM assignments WHERE user_id = 'ann'`).all()).toEqual([]);

    expect((await post('root', '/api/admin/import/legacy', { source: LEGACY, db: other, samePerson: { ann: 5 } })).status).toBe(400);
    const ok = await post('root', '/api/admin/import/legacy', { source: LEGACY, db: other, userPrefix: 'old-' });
    expect(ok.status).toBe(200);
    expect(w.opened.sqlite.prepare(`SELECT user_id FROM assignments WHERE task_id = 'objnet3d_tvmonitor' ORDER BY user_id`).all()).toEqual([{ user_id: 'bob' }, { user_id: 'old-ann' }]);
  });
});
