// A legacy folder built to contain every trap the importer must survive, each reported by path and
// reason while everything else imports.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, type OpenedDb, openDatabase } from '../src/db/connect';
import { importImagenet3d } from '../src/exchange/imagenet3d';
import { importLegacy } from '../src/exchange/legacy';
import type { ImportSummary } from '../src/exchange/summary';
import { f8, i8, type NdArray, str, u2 } from '../src/formats/ndarray';
import { writeNpz } from '../src/formats/npz';

let root: string, src: string, cad: string, opened: OpenedDb, summary: ImportSummary;

const base = (): [string, NdArray][] => [
  ['azimuth', f8(1)], ['elevation', f8(0.25)], ['theta', f8(-0.1)], ['distance', f8(6)], ['px', f8(50)], ['py', f8(40)],
  ['cad_index', i8(1)], ['viewport', f8(3000)], ['height', u2(80)], ['width', u2(100)], ['bbox', f8([10, 10, 90, 70])], ['class', str('thing')],
];
const saved = (extra: [string, NdArray][] = []): [string, NdArray][] => [
  ...base(), ['annotator', str('ann')], ['object_status', str('status_good')], ['dense', str('dense_no')], ...extra,
];
const without = (entries: [string, NdArray][], ...keys: string[]) => entries.filter(([k]) => !keys.includes(k));
const replace = (entries: [string, NdArray][], key: string, v: NdArray) => entries.map(([k, x]): [string, NdArray] => [k, k === key ? v : x]);

function write(rel: string, data: Uint8Array | string) {
  const p = join(src, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'in3d-traps-'));
  src = join(root, 'legacy');
  cad = join(root, 'cad');
  mkdirSync(join(cad, 'thing'), { recursive: true });
  writeFileSync(join(cad, 'thing/01.off'), 'OFF\n4 2 0\n0 0 0\n1 0 0\n0 1 0\n0 0 1\n3 0 1 2\n3 0 1 3\n');
  writeFileSync(join(cad, 'thing/02.off'), 'OFF\n4 1 0\n0 0 0\n1 0 0\n'); // truncated
  writeFileSync(join(cad, 'thing/03.off'), 'OFF\n3 0 0\n0 0 0\n1 0 0\n0 1 0\n'); // points, no face to draw
  writeFileSync(join(cad, 'thing/chair-old.off'), 'OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n'); // no subtype number
  const photo = jpeg.encode({ data: new Uint8Array(120 * 90 * 4).fill(128), width: 120, height: 90 }, 80).data;

  const qs: [id: string, task: string, finished: number, img?: string, anno?: string][] = [];
  const q = (id: string, task = 't1', finished = 0, init: [string, NdArray][] | string | null = base(), withPhoto = false) => {
    qs.push([id, task, finished]);
    if (init !== null) write(`annotations/thing/${id}.npz`, typeof init === 'string' ? init : writeNpz(init));
    if (withPhoto) write(`images/thing/${id}.JPEG`, photo);
  };
  q('ok_size_from_photo', 't1', 0, without(base(), 'height', 'width'), true);
  q('cad_beyond', 't1', 0, replace(base(), 'cad_index', i8(99)));
  q('unfinished_saved');
  write('annotations_new/thing/unfinished_saved.npz', writeNpz(saved()));
  q('finished_no_save', 't1', 1);
  q('corrupt', 't1', 0, 'this is not a zip file');
  q('no_azimuth', 't1', 0, without(base(), 'azimuth'));
  q('bad_status', 't1', 1);
  write('annotations_new/thing/bad_status.npz', writeNpz(replace(saved(), 'object_status', str('status_weird'))));
  q('no_size', 't1', 0, without(base(), 'height', 'width'));
  q('stranger', 't1', 1);
  write('annotations_new/thing/stranger.npz', writeNpz(replace(saved(), 'annotator', str('zed'))));
  q('orphan', 't_missing');
  q('no_file', 't1', 0, null);
  q('bbox_text', 't1', 0, replace(base(), 'bbox', str('oops')));
  q('only_saved', 't1', 1, null);
  write('annotations_new/thing/only_saved.npz', writeNpz(saved()));
  // Photos a browser cannot show: cut off mid-scan, a text file named .JPEG, a header claiming 65000×65000 pixels.
  q('photo_cut', 't1', 0);
  write('images/thing/photo_cut.JPEG', photo.slice(0, Math.floor(photo.length / 2)));
  q('photo_text', 't1', 0);
  write('images/thing/photo_text.JPEG', 'not a photo');
  q('photo_bomb', 't1', 0);
  const bomb = new Uint8Array(photo);
  const sof = bomb.findIndex((b, i) => b === 0xff && bomb[i + 1] === 0xc0);
  bomb.set([0xfd, 0xe8, 0xfd, 0xe8], sof + 5);
  write('images/thing/photo_bomb.JPEG', bomb);
  // Drift between database and folder: .jpg on disk for .JPEG in the row, a path from the old server.
  write('images/thing/drifted.jpg', photo);
  write('annotations/thing/drifted.npz', writeNpz(base()));
  qs.push(['drifted', 't2', 0, 'images/thing/drifted.JPEG', '/home/old/app/static/annotations/thing/drifted.npz']);
  // An object array (a pickle calling os.system) where an npz member should be plain data: refused.
  qs.push(['pickled', 't1', 0]);
  const header = "{'descr': '|O', 'fortran_order': False, 'shape': (), }\n";
  const pickledNpy = Buffer.concat([
    Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]),
    Buffer.from(header),
    Buffer.from('gAJjcG9zaXgKc3lzdGVtCnEAWAIAAABsc3EBhXECUnEDLg==', 'base64'),
  ]);
  const { zipSync } = await import('fflate');
  write('annotations/thing/pickled.npz', zipSync({ 'azimuth.npy': new Uint8Array(pickledNpy) }));

  const db = new SQLite(join(src, 'database.sqlite'));
  db.exec(`CREATE TABLE annotators (annotator_id TEXT PRIMARY KEY, pass_test INTEGER, assigned_annotations INTEGER, finished_annotations INTEGER);
    CREATE TABLE tasks (task_id TEXT, annotator_id TEXT, num_questions INTEGER, num_finished INTEGER);
    CREATE TABLE questions (question_id TEXT PRIMARY KEY, task_id TEXT, initialized INTEGER, finished INTEGER, rejected INTEGER, img_path TEXT, anno_path TEXT, cad_path TEXT);
    INSERT INTO annotators VALUES ('ann', 1, 0, 0), ('bad id!', 0, 0, 0);
    INSERT INTO tasks VALUES ('t1', 'ann', 0, 0), ('t2', 'ghost', 0, 0);`);
  const ins = db.prepare(`INSERT INTO questions VALUES (?, ?, 1, ?, 0, ?, ?, 'thing')`);
  for (const [id, task, finished, img, anno] of qs) ins.run(id, task, finished, img ?? `images/thing/${id}.JPEG`, anno ?? `annotations/thing/${id}.npz`);
  db.close();

  opened = openDatabase(join(root, 'data', 'annotator.sqlite'));
  await migrateToLatest(opened.db);
  summary = await importLegacy(opened.db, { source: src, cadDir: cad, dataDir: join(root, 'data') });
});

afterAll(async () => {
  await opened?.close();
  rmSync(root, { recursive: true, force: true });
});

const reasonsFor = (name: string) => summary.reports.filter((r) => r.path.includes(`/${name}.`) || r.path.endsWith(`/${name}`)).map((r) => r.reason).sort();
const question = (id: string) => opened.sqlite.prepare(`SELECT * FROM questions WHERE id = ?`).get(id) as Record<string, number> | undefined;
const revisions = (id: string) => opened.sqlite.prepare(`SELECT * FROM annotations WHERE question_id = ?`).all(id) as Record<string, unknown>[];

describe('legacy import traps', () => {
  it('reads the image size from the JPEG header when the file has none', () => {
    expect(reasonsFor('ok_size_from_photo')).toEqual([]);
    const img = opened.sqlite.prepare(`SELECT width, height, file_path FROM images WHERE id = 'ok_size_from_photo'`).get();
    expect(img).toEqual({ width: 120, height: 90, file_path: 'images/thing/ok_size_from_photo.JPEG' });
  });

  it('reports a cad_index beyond the models present and uses subtype 1', () => {
    expect(reasonsFor('cad_beyond')).toContain('cad_index_out_of_range');
    expect(summary.reports.find((r) => r.reason === 'cad_index_out_of_range')?.message).toMatch(/cad_index 99.*models present: 1/);
    expect(question('cad_beyond')?.init_subtype).toBe(1);
  });

  it('names a CAD file without faces and an .off file whose name is no subtype number, importing neither', () => {
    expect(summary.reports.find((r) => r.path.endsWith('thing/03.off'))).toMatchObject({ reason: 'unreadable_file', message: expect.stringMatching(/no faces/) });
    expect(summary.reports.find((r) => r.path.endsWith('thing/chair-old.off'))).toMatchObject({ reason: 'bad_value', message: expect.stringMatching(/<NN>\.off/) });
  });

  it('reports an unreadable CAD file and keeps the readable one', () => {
    expect(summary.reports.filter((r) => r.path.endsWith('02.off')).map((r) => r.reason)).toEqual(['unreadable_file']);
    expect(opened.sqlite.prepare(`SELECT subtype FROM cad_models`).all()).toEqual([{ subtype: 1 }]);
  });

  it('imports a saved file of a question the database calls unfinished, and says so', () => {
    expect(reasonsFor('unfinished_saved')).toEqual(['missing_photo', 'unfinished_with_saved_file']);
    expect(revisions('unfinished_saved')).toHaveLength(1);
  });

  it('reports a finished question without a saved file', () => {
    expect(reasonsFor('finished_no_save')).toEqual(['finished_without_saved_file', 'missing_photo']);
    expect(question('finished_no_save')).toBeDefined();
  });

  it('reports unreadable files and files whose members are pickles, without importing them', () => {
    expect(reasonsFor('corrupt')).toEqual(['missing_photo', 'unreadable_file']);
    expect(question('corrupt')).toBeUndefined();
    expect(reasonsFor('pickled')).toEqual(['missing_photo', 'unreadable_file']);
    expect(summary.reports.find((r) => r.path.endsWith('pickled.npz'))?.message).toMatch(/pickle/);
    expect(question('pickled')).toBeUndefined();
  });

  it('fills a missing pose key with a default and reports it', () => {
    expect(reasonsFor('no_azimuth')).toEqual(['missing_key', 'missing_photo']);
    expect(summary.reports.find((r) => r.path.endsWith('no_azimuth.npz'))?.message).toMatch(/azimuth \(0 used\)/);
    expect(question('no_azimuth')?.init_azimuth).toBe(0);
  });

  it('reports a bad value and does not invent labels for a saved file', () => {
    expect(reasonsFor('bad_status')).toEqual(['bad_value', 'missing_key', 'missing_photo']);
    expect(revisions('bad_status')).toHaveLength(0);
    expect(reasonsFor('bbox_text')).toEqual(['bad_value', 'missing_key', 'missing_photo']);
    expect(question('bbox_text')).toMatchObject({ bbox_x1: 0, bbox_y1: 0, bbox_x2: 100, bbox_y2: 80 });
  });

  it('skips a question whose image size cannot be known', () => {
    expect(reasonsFor('no_size')).toEqual(['image_size_unknown', 'missing_photo']);
    expect(question('no_size')).toBeUndefined();
  });

  it("attributes a saved file by an unknown annotator to the task's annotator", () => {
    expect(reasonsFor('stranger')).toEqual(['missing_photo', 'unknown_annotator']);
    expect(revisions('stranger').map((r) => r.user_id)).toEqual(['ann']);
  });

  it('creates the task of an orphan question and reports it; skips an invalid user id', () => {
    expect(summary.reports.filter((r) => r.reason === 'unknown_task').map((r) => r.path)).toEqual(['db:questions/orphan']);
    expect(opened.sqlite.prepare(`SELECT question_id FROM task_questions WHERE task_id = 't_missing'`).all()).toEqual([{ question_id: 'orphan' }]);
    expect(summary.reports.find((r) => r.path === 'db:annotators/bad id!')?.reason).toBe('bad_value');
  });

  it('finds files whose extension or recorded folder drifted, and notes a size that disagrees with the photo', () => {
    expect(opened.sqlite.prepare(`SELECT file_path, width, height FROM images WHERE id = 'drifted'`).get()).toEqual({ file_path: 'images/thing/drifted.jpg', width: 100, height: 80 });
    expect(reasonsFor('drifted')).toEqual(['bad_value']);
    expect(summary.reports.find((r) => r.path.endsWith('drifted.npz'))?.message).toMatch(/80×100 differ from the photo's 90×120/);
  });

  it("creates the annotator a task names even when the annotators table forgot them (unqualified)", () => {
    expect(summary.reports.find((r) => r.path === 'db:tasks/t2')).toMatchObject({ reason: 'unknown_annotator' });
    expect(summary.users.created.map((u) => [u.id, u.qualified])).toEqual([['ann', true], ['ghost', false]]);
    expect(opened.sqlite.prepare(`SELECT user_id FROM assignments WHERE task_id = 't2'`).all()).toEqual([{ user_id: 'ghost' }]);
  });

  it('uses the saved file as the initial one when only the saved file exists', () => {
    expect(reasonsFor('only_saved')).toEqual(['initial_file_replaced', 'missing_photo']);
    expect(question('only_saved')).toMatchObject({ init_distance: 6, init_subtype: 1 });
    expect(revisions('only_saved')).toHaveLength(1);
    const src = JSON.parse((opened.sqlite.prepare(`SELECT source_json FROM questions WHERE id = 'only_saved'`).get() as { source_json: string }).source_json);
    expect(src.keys.map((k: [string]) => k[0])).not.toContain('annotator');
  });

  it('names a photo that is not a photo or too large to decode and imports its question without it; one cut off is stored and named', () => {
    for (const [id, why] of [['photo_text', /not a JPEG or PNG/], ['photo_bomb', /65000×65000 pixels/]] as const) {
      const report = summary.reports.find((r) => r.path.endsWith(`images/thing/${id}.JPEG`));
      expect(report, id).toMatchObject({ reason: 'damaged_photo', message: expect.stringMatching(why) });
      expect(question(id), id).toBeDefined();
      expect(opened.sqlite.prepare(`SELECT file_path, etag FROM images WHERE id = ?`).get(id), id).toEqual({ file_path: null, etag: null });
      expect(existsSync(join(root, 'data/images/thing', `${id}.JPEG`)), id).toBe(false);
    }
    // A browser draws a cut-off JPEG down to the cut (and a whole one whose encoder left out the end marker).
    const cut = summary.reports.find((r) => r.path.endsWith('images/thing/photo_cut.JPEG'));
    expect(cut).toMatchObject({ reason: 'damaged_photo', message: expect.stringMatching(/cut off .*stored as it is/) });
    expect(opened.sqlite.prepare(`SELECT file_path FROM images WHERE id = 'photo_cut'`).get()).toEqual({ file_path: 'images/thing/photo_cut.JPEG' });
    expect(existsSync(join(root, 'data/images/thing/photo_cut.JPEG'))).toBe(true);
    expect(summary.photos.stored).toBe(3);
    const refused = summary.reports.filter((r) => r.reason === 'missing_photo' || (r.reason === 'damaged_photo' && /imported without its photo/.test(r.message)));
    expect(summary.photos.missing).toBe(refused.length);
  });

  it('accounts for every question row', () => {
    expect(summary.questions.found).toBe(18);
    expect(summary.questions.imported).toBe(14);
    const skipped = summary.reports.filter((r) => ['missing_annotation_file', 'unreadable_file', 'image_size_unknown'].includes(r.reason) && !r.path.endsWith('.off'));
    expect(skipped).toHaveLength(4);
  });
});

describe('release import traps', () => {
  it('reports a corrupt release file and one without a pickled list', async () => {
    const dir = join(root, 'release');
    mkdirSync(join(dir, 'thing'), { recursive: true });
    writeFileSync(join(dir, 'thing/broken.npz'), 'garbage');
    writeFileSync(join(dir, 'thing/plain.npz'), writeNpz([['annotations', f8([1, 2])]]));
    writeFileSync(join(dir, 'thing/nokey.npz'), writeNpz(base()));
    const s = await importImagenet3d(opened.db, { source: dir, dataDir: join(root, 'data') });
    expect(s.reports.map((r) => [r.path.split('/').pop(), r.reason]).sort()).toEqual([
      ['broken.npz', 'unreadable_file'],
      ['nokey.npz', 'missing_key'],
      ['plain.npz', 'bad_value'],
      ['release', 'missing_cad_models'],
    ]);
    expect(s.questions.imported).toBe(0);
  });
});
