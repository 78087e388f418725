import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/auth/passwords';
import { migrateToLatest, type OpenedDb, openDatabase } from '../src/db/connect';
import { importImagenet3d } from '../src/exchange/imagenet3d';
import { importLegacy } from '../src/exchange/legacy';
import { formatImportSummary } from '../src/exchange/summary';
import { hasFixtures, IMAGENET3D } from '../../shared/test/fixtures';

const LEGACY = join(IMAGENET3D, 'legacy');
const CAD = join(IMAGENET3D, 'cad');
const RAD = 180 / Math.PI;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function freshDb(): Promise<OpenedDb & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'in3d-import-'));
  const opened = openDatabase(join(dir, 'annotator.sqlite'));
  await migrateToLatest(opened.db);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => opened.close());
  return { ...opened, dir };
}

/** Every row of the tables an import writes, for "a second import changes nothing". */
function snapshot(o: OpenedDb) {
  const tables = ['users', 'categories', 'cad_models', 'images', 'questions', 'tasks', 'task_questions', 'assignments', 'annotations', 'annotation_heads'];
  return Object.fromEntries(tables.map((t) => [t, o.sqlite.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
}

describe.skipIf(!hasFixtures)('import legacy (fixture folder)', () => {
  it('imports users, tasks, questions, photos, CAD models and the saved annotation, reporting the traps', async () => {
    const o = await freshDb();
    const s = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir });

    // The summary names the missing photo and the file without cad_index, by path.
    const missingPhoto = s.reports.filter((r) => r.reason === 'missing_photo');
    expect(missingPhoto.map((r) => r.path)).toEqual([join(LEGACY, 'images/car/n02958343_91_00.JPEG')]);
    const noCad = s.reports.filter((r) => r.reason === 'cad_index_missing');
    expect(noCad.map((r) => r.path)).toEqual([join(LEGACY, 'annotations/chair/n03001627_318_00.npz')]);
    expect(s.reports).toHaveLength(2);
    const human = formatImportSummary(s).join('\n');
    expect(human).toContain('n02958343_91_00.JPEG');
    expect(human).toContain('n03001627_318_00.npz');

    expect(s.questions).toEqual({ found: 9, imported: 9, notImported: 0 });
    expect(s.annotations).toEqual({ found: 1, imported: 1, alreadyPresent: 0 });
    expect(s.photos).toEqual({ stored: 8, missing: 1 });
    expect(s.cadModels).toEqual({ categories: 3, imported: 20, kept: 0 });

    // Annotators → users with one-time passwords; qualified from pass_test.
    expect(s.users.created.map((u) => [u.id, u.qualified])).toEqual([['alice', true], ['bob', false]]);
    const alice = o.sqlite.prepare(`SELECT * FROM users WHERE id = 'alice'`).get() as { role: string; qualified: number; password_hash: string };
    expect([alice.role, alice.qualified]).toEqual(['annotator', 1]);
    expect(await verifyPassword(alice.password_hash, s.users.created[0]!.password)).toBe(true);

    // Tasks keep their ids, order and assignments.
    expect(o.sqlite.prepare(`SELECT task_id, user_id FROM assignments ORDER BY task_id`).all()).toEqual([
      { task_id: 'objnet3d_car', user_id: 'alice' },
      { task_id: 'objnet3d_chair', user_id: 'alice' },
      { task_id: 'objnet3d_tvmonitor', user_id: 'bob' },
    ]);
    expect(o.sqlite.prepare(`SELECT question_id FROM task_questions WHERE task_id = 'objnet3d_chair' ORDER BY position`).all().map((r) => (r as { question_id: string }).question_id)).toEqual([
      'objnet3d_chair_n03001627_101_00', 'objnet3d_chair_n03001627_101_01', 'objnet3d_chair_n03001627_2044_00', 'objnet3d_chair_n03001627_318_00',
    ]);

    // Initial pose: npz radians → degrees; bbox, viewport and subtype from the file.
    const q = o.sqlite.prepare(`SELECT * FROM questions WHERE id = 'objnet3d_car_n02958343_12_00'`).get() as Record<string, number>;
    expect(q.init_azimuth).toBeCloseTo(0.7648757873579006 * RAD, 12);
    expect(q.init_theta).toBeCloseTo(-0.29838804669581737 * RAD, 12);
    expect([q.init_distance, q.init_px, q.init_subtype, q.viewport]).toEqual([7.377326046045078, 302.66367093539964, 4, 3000]);
    expect([q.bbox_x1, q.bbox_y2]).toEqual([181.15537856538862, 350.53766804427846]);
    const noCadQ = o.sqlite.prepare(`SELECT init_subtype FROM questions WHERE id = 'objnet3d_chair_n03001627_318_00'`).get();
    expect(noCadQ).toEqual({ init_subtype: 1 });

    // Photos are copied under DATA_DIR; the missing one has no file.
    const img = o.sqlite.prepare(`SELECT * FROM images WHERE id = 'n02958343_12_00'`).get() as { file_path: string; width: number; height: number };
    expect(img).toMatchObject({ file_path: 'images/car/n02958343_12_00.JPEG', width: 640, height: 480 });
    expect(readFileSync(join(o.dir, img.file_path))).toEqual(readFileSync(join(LEGACY, 'images/car/n02958343_12_00.JPEG')));
    expect(o.sqlite.prepare(`SELECT file_path FROM images WHERE id = 'n02958343_91_00'`).get()).toEqual({ file_path: null });

    // The finished question's saved file is the first revision, attributed to alice, and the head.
    const revs = o.sqlite.prepare(`SELECT * FROM annotations`).all() as Record<string, unknown>[];
    expect(revs).toHaveLength(1);
    expect(revs[0]).toMatchObject({
      question_id: 'objnet3d_chair_n03001627_101_01', user_id: 'alice', task_id: 'objnet3d_chair', client_id: 'legacy-import', source: 'import',
      base_revision_id: null, subtype: 2, object_status: 'status_partially', dense: 'dense_yes', distance: 5.911193715714843,
    });
    expect(revs[0]!.azimuth as number).toBeCloseTo(0.9250897395855281 * RAD, 12);
    expect(revs[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(o.sqlite.prepare(`SELECT revision_id, conflict_revision_id FROM annotation_heads`).all()).toEqual([{ revision_id: revs[0]!.id, conflict_revision_id: null }]);

    // The other keys of the initial file are kept for export.
    const src = JSON.parse((o.sqlite.prepare(`SELECT source_json FROM questions WHERE id = 'objnet3d_chair_n03001627_101_01'`).get() as { source_json: string }).source_json);
    expect(src.keys.map((k: [string]) => k[0])).toEqual(['azimuth', 'elevation', 'theta', 'distance', 'px', 'py', 'cad_index', 'viewport', 'height', 'width', 'bbox', 'class']);
  });

  it('changes nothing when run a second time', async () => {
    const o = await freshDb();
    await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir });
    const before = snapshot(o);
    const again = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir });
    expect(snapshot(o)).toEqual(before);
    expect(again.users).toEqual({ created: [], existing: ['alice', 'bob'] });
    expect(again.annotations).toEqual({ found: 1, imported: 0, alreadyPresent: 1 });
    expect(again.cadModels).toEqual({ categories: 3, imported: 0, kept: 20 });
  });

  it("imports the original's default database: 27 tasks, every one of 15,430 question rows accounted for", async () => {
    const o = await freshDb();
    const s = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir, legacyDb: join(LEGACY, 'database_default.sqlite') });
    expect(o.sqlite.prepare(`SELECT count(*) AS n FROM tasks`).get()).toEqual({ n: 27 });
    expect(o.sqlite.prepare(`SELECT count(*) AS n FROM assignments`).get()).toEqual({ n: 27 });
    expect(s.tasks).toEqual({ found: 27, imported: 27, qualityTasksSkipped: 1 });
    expect(s.users.created).toHaveLength(18);
    // Photos and initial files are absent: every row is reported, none silently dropped.
    const notImported = new Set(s.reports.filter((r) => ['missing_annotation_file', 'unreadable_file', 'image_size_unknown'].includes(r.reason)).map((r) => r.path));
    expect(s.questions.found).toBe(15430);
    expect(s.questions.imported + notImported.size).toBe(15430);
    expect(s.byReason.missing_photo).toBe(15430);
    expect(s.reports.find((r) => r.reason === 'missing_photo')?.path).toBe(join(LEGACY, 'images/guitar/n03467517_21196_00.JPEG'));
    expect(formatImportSummary(s).join('\n')).toMatch(/missing_photo \(15430\)[\s\S]*and 15425 more/);
  });

  it('refuses a folder or database that does not exist with an ExchangeError', async () => {
    const o = await freshDb();
    await expect(importLegacy(o.db, { source: join(o.dir, 'nope'), dataDir: o.dir })).rejects.toThrow(/No folder/);
    await expect(importLegacy(o.db, { source: LEGACY, legacyDb: join(o.dir, 'x.sqlite'), dataDir: o.dir })).rejects.toThrow(/No database/);
  });
});

describe.skipIf(!hasFixtures)('import imagenet3d (release files)', () => {
  it('makes one question per pickled object, and finished annotations with asAnnotated', async () => {
    const o = await freshDb();
    const s = await importImagenet3d(o.db, { source: join(LEGACY, 'release'), cadDir: CAD, dataDir: o.dir, asAnnotated: true });
    expect(s.questions).toEqual({ found: 3, imported: 3, notImported: 0 });
    expect(s.annotations).toEqual({ found: 3, imported: 3, alreadyPresent: 0 });
    expect(s.byReason).toEqual({ missing_photo: 1 });
    const qs = o.sqlite.prepare(`SELECT id, init_azimuth, init_subtype, bbox_x1, init_px FROM questions ORDER BY id`).all() as Record<string, number | string>[];
    expect(qs.map((q) => q.id)).toEqual(['imagenet3d_chair_n03001627_555_00', 'imagenet3d_chair_n03001627_555_01', 'imagenet3d_chair_n03001627_555_02']);
    expect(qs[0]!.init_azimuth as number).toBeCloseTo(3.771294052626079 * RAD, 12);
    expect(qs.map((q) => [q.init_subtype, q.bbox_x1, q.init_px])).toEqual([[1, 10, 120], [2, 110, 220], [3, 210, 320]]);
    const revs = o.sqlite.prepare(`SELECT user_id, object_status, dense, source FROM annotations ORDER BY question_id`).all();
    expect(revs).toEqual([
      { user_id: 'imagenet3d', object_status: 'status_good', dense: 'dense_no', source: 'import' },
      { user_id: 'imagenet3d', object_status: 'status_partially', dense: 'dense_yes', source: 'import' },
      { user_id: 'imagenet3d', object_status: 'status_barely', dense: 'dense_no', source: 'import' },
    ]);
    const before = snapshot(o);
    await importImagenet3d(o.db, { source: join(LEGACY, 'release'), cadDir: CAD, dataDir: o.dir, asAnnotated: true });
    expect(snapshot(o)).toEqual(before);
  });

  it('without asAnnotated the poses are initial poses only', async () => {
    const o = await freshDb();
    const s = await importImagenet3d(o.db, { source: join(LEGACY, 'release'), dataDir: o.dir });
    expect(s.questions.imported).toBe(3);
    expect(o.sqlite.prepare(`SELECT count(*) AS n FROM annotations`).get()).toEqual({ n: 0 });
    expect(existsSync(join(o.dir, 'images'))).toBe(false);
  });
});
