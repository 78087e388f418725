// A new lab's own data in the original tool's layout, as a lab manager would bring it: camera file names
// that repeat across categories (IMG_0001.JPG in every folder) and annotator ids that are e-mail addresses
// or names with letters outside ASCII. Each is imported and served as the database says.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import SQLite from 'better-sqlite3';
import { zipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportNpz } from '../src/exchange/export-npz';
import { exportRelease } from '../src/exchange/export-release';
import { importImagenet3d } from '../src/exchange/imagenet3d';
import { importLegacy } from '../src/exchange/legacy';
import { commands } from '../src/cli/commands';
import { openDataDir } from '../src/cli/context';
import { runCli } from '../src/cli/registry';
import type { ImportSummary } from '../src/exchange/summary';
import { f8, i8, str, u2 } from '../src/formats/ndarray';
import { readNpz, writeNpz } from '../src/formats/npz';
import { type AdminWorld, createAdminWorld } from './admin-world';

/** A category named as a lab would: a capital, a space, a letter beyond ASCII. */
const TRAM = 'Straßen Bahn';
let w: AdminWorld, src: string, summary: ImportSummary;

/** A photo of `width`×`height` and one grey level, so each photo tells which file it is. */
const photo = (width: number, height: number, grey: number) =>
  jpeg.encode({ data: new Uint8Array(width * height * 4).fill(grey), width, height }, 90).data;

function write(rel: string, data: Uint8Array | string) {
  const p = join(src, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
}

function initial(cat: string, width: number, height: number) {
  return writeNpz([
    ['azimuth', f8(1)], ['elevation', f8(0.2)], ['theta', f8(0)], ['distance', f8(5)], ['px', f8(width / 2)], ['py', f8(height / 2)],
    ['cad_index', i8(1)], ['viewport', f8(3000)], ['height', u2(height)], ['width', u2(width)], ['bbox', f8([1, 1, width - 1, height - 1])], ['class', str(cat)],
  ]);
}

beforeAll(async () => {
  w = await createAdminWorld('new-lab');
  src = join(w.dir, 'lab');
  const cad = join(src, 'cad');
  for (const c of [TRAM, 'boat']) {
    mkdirSync(join(cad, c), { recursive: true });
    writeFileSync(join(cad, c, '01.off'), 'OFF\n4 2 0\n0 0 0\n1 0 0\n0 1 0\n0 0 1\n3 0 1 2\n3 0 1 3\n');
  }
  write(`images/${TRAM}/IMG_0001.JPG`, photo(64, 48, 200));
  write(`annotations/${TRAM}/IMG_0001.npz`, initial(TRAM, 64, 48));
  write(`annotations_new/${TRAM}/IMG_0001.npz`, writeNpz([...readNpz(initial(TRAM, 64, 48)), ['annotator', str('Zoë')], ['object_status', str('status_good')], ['dense', str('dense_no')]]));
  write('images/boat/IMG_0001.JPG', photo(30, 50, 40));
  write('annotations/boat/IMG_0001.npz', initial('boat', 30, 50));
  const db = new SQLite(join(src, 'database.sqlite'));
  db.exec(`CREATE TABLE annotators (annotator_id TEXT PRIMARY KEY, pass_test INTEGER, assigned_annotations INTEGER, finished_annotations INTEGER);
    CREATE TABLE tasks (task_id TEXT, annotator_id TEXT, num_questions INTEGER, num_finished INTEGER);
    CREATE TABLE questions (question_id TEXT PRIMARY KEY, task_id TEXT, initialized INTEGER, finished INTEGER, rejected INTEGER, img_path TEXT, anno_path TEXT, cad_path TEXT);
    INSERT INTO annotators VALUES ('ann', 1, 0, 0), ('zoe@lab.org', 1, 0, 0), ('Zoë', 1, 0, 0), ('Lab Manager', 1, 0, 0);
    INSERT INTO tasks VALUES ('rails', 'ann', 1, 0), ('water', 'ann', 1, 0), ('rails', 'Zoë', 1, 1), ('water', 'Lab Manager', 1, 0);
    INSERT INTO questions VALUES ('q_tram', 'rails', 1, 0, 0, 'images/${TRAM}/IMG_0001.JPG', 'annotations/${TRAM}/IMG_0001.npz', '${TRAM}');
    UPDATE questions SET finished = 1 WHERE question_id = 'q_tram';
    INSERT INTO questions VALUES ('q_boat', 'water', 1, 0, 0, 'images/boat/IMG_0001.JPG', 'annotations/boat/IMG_0001.npz', 'boat');`);
  db.close();
  summary = await importLegacy(w.opened.db, { source: src, cadDir: cad, dataDir: w.dir, identity: { samePerson: new Map([['ann', 'ann']]) } });
});

afterAll(() => w?.close());

/** The question of `task` as its annotator's task payload gives it, and the photo its imageUrl serves. */
async function questionAndPhoto(task: string) {
  const res = await w.call('ann', 'GET', `/api/tasks/${task}`);
  expect(res.status).toBe(200);
  const [q] = ((await res.json()) as { questions: { id: string; imageUrl: string; imageWidth: number; imageHeight: number }[] }).questions;
  const img = await w.call('ann', 'GET', q!.imageUrl);
  expect(img.status).toBe(200);
  return { q: q!, photo: jpeg.decode(new Uint8Array(await img.arrayBuffer())) };
}

describe('a new lab imports its own data', () => {
  it('photos with the same file name in two categories stay two photos, each with its own question', async () => {
    const tram = await questionAndPhoto('rails');
    const boat = await questionAndPhoto('water');
    expect([tram.q.imageWidth, tram.q.imageHeight, tram.photo.width, tram.photo.height]).toEqual([64, 48, 64, 48]);
    expect([boat.q.imageWidth, boat.q.imageHeight, boat.photo.width, boat.photo.height]).toEqual([30, 50, 30, 50]);
    expect(Math.abs(tram.photo.data[0]! - 200)).toBeLessThan(8);
    expect(Math.abs(boat.photo.data[0]! - 40)).toBeLessThan(8);
  });

  it('a second import of the same folder keeps both photos where they are', async () => {
    const before = w.opened.sqlite.prepare('SELECT id, category_id, file_path FROM images ORDER BY id').all();
    await importLegacy(w.opened.db, { source: src, cadDir: join(src, 'cad'), dataDir: w.dir, identity: { samePerson: new Map([['ann', 'ann']]) } });
    expect(w.opened.sqlite.prepare('SELECT id, category_id, file_path FROM images ORDER BY id').all()).toEqual(before);
    expect((await questionAndPhoto('rails')).photo.width).toBe(64);
  });

  it('an annotator named by e-mail address (as the CLI and an import allow) can be added, assigned, edited and disabled in Admin', async () => {
    expect(w.opened.sqlite.prepare(`SELECT role FROM users WHERE id = 'zoe@lab.org'`).get()).toEqual({ role: 'annotator' });
    expect((await w.call('root', 'POST', '/api/admin/users', { id: 'kim@lab.org', role: 'annotator' })).status).toBe(201);
    for (const who of ['zoe@lab.org', 'kim@lab.org']) {
      const assigned = await w.call('root', 'POST', '/api/admin/tasks/water/assignees', { userId: who });
      expect(assigned.status, await assigned.text()).toBe(200);
      expect((await w.call('root', 'PATCH', `/api/admin/users/${encodeURIComponent(who)}`, { displayName: 'Z' })).status).toBe(200);
      expect((await w.call('root', 'POST', `/api/admin/users/${encodeURIComponent(who)}/password`, {})).status).toBe(200);
    }
    expect((await w.call('root', 'POST', '/api/admin/tasks/water/reassign', { from: 'zoe@lab.org', to: 'kim@lab.org' })).status).toBe(200);
    expect((await w.call('root', 'DELETE', `/api/admin/tasks/water/assignees/${encodeURIComponent('kim@lab.org')}`)).status).toBe(200);
    expect((await w.call('root', 'PATCH', `/api/admin/users/${encodeURIComponent('zoe@lab.org')}`, { disabled: true })).status).toBe(200);
    // The rule is the same everywhere: what the CLI refuses, Admin refuses too.
    expect((await w.call('root', 'POST', '/api/admin/users', { id: '-rf', role: 'annotator' })).status).toBe(400);
  });

  it('annotators named with letters beyond ASCII or a space keep their account, tasks and saved answers, and sign in', async () => {
    expect(summary.reports.filter((r) => r.reason === 'bad_value' || r.reason === 'unknown_annotator')).toEqual([]);
    const assignees = w.opened.sqlite.prepare(`SELECT task_id, user_id FROM assignments WHERE user_id IN ('Zoë', 'Lab Manager') ORDER BY task_id`).all();
    expect(assignees).toEqual([{ task_id: 'rails', user_id: 'Zoë' }, { task_id: 'water', user_id: 'Lab Manager' }]);
    expect(w.opened.sqlite.prepare(`SELECT user_id FROM annotations WHERE question_id = 'q_tram'`).all()).toEqual([{ user_id: 'Zoë' }]);
    for (const account of summary.users.created.filter((u) => u.id === 'Zoë' || u.id === 'Lab Manager')) {
      const res = await w.call(null, 'POST', '/api/auth/login', { userId: account.id, password: account.password });
      expect(res.status, account.id).toBe(200);
    }
    expect(summary.users.created.map((u) => u.id)).toEqual(expect.arrayContaining(['Zoë', 'Lab Manager']));
  });

  it('exports keep the category and file names as the dataset gave them, so the release export imports back onto its CAD models', async () => {
    const out = join(w.dir, 'out');
    await exportNpz(w.opened.db, { outDir: join(out, 'npz') });
    expect(existsSync(join(out, 'npz', 'annotations_new', TRAM, 'IMG_0001.npz'))).toBe(true);
    await exportRelease(w.opened.db, { outDir: join(out, 'release') });
    expect(existsSync(join(out, 'release', TRAM, 'IMG_0001.npz'))).toBe(true);
    const back = await importImagenet3d(w.opened.db, { source: join(out, 'release'), cadDir: join(src, 'cad'), dataDir: w.dir });
    expect(back.reports.filter((r) => r.reason === 'missing_cad_models')).toEqual([]);
    expect(w.opened.sqlite.prepare(`SELECT DISTINCT category_id FROM questions WHERE id LIKE 'imagenet3d_%'`).all()).toEqual([{ category_id: TRAM }]);
  });

  it('the CLI imports the cad/ folder inside the data folder when no --cad is given, as the browser upload does', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'in3d-new-lab-cli-'));
    const out: string[] = [];
    try {
      const code = await runCli(['import', 'legacy', src], commands, { dataDir, openDb: openDataDir, out: (l) => out.push(l), err: (l) => out.push(l) });
      expect(code, out.join('\n')).toBe(0);
      expect(out.join('\n')).not.toContain('missing_cad_models');
      const opened = await openDataDir(dataDir);
      try {
        expect(opened.sqlite.prepare('SELECT category_id, subtype FROM cad_models ORDER BY category_id').all()).toEqual([
          { category_id: TRAM, subtype: 1 }, { category_id: 'boat', subtype: 1 },
        ].sort((a, b) => (a.category_id < b.category_id ? -1 : 1)));
      } finally {
        await opened.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a browser upload names the accounts it made and keeps no password, in its answer or on disk', async () => {
    const other = await createAdminWorld('new-lab-upload', [['root', 'admin']]);
    try {
      const members: Record<string, Uint8Array> = {};
      const walk = (d: string) => {
        for (const n of readdirSync(d)) {
          const p = join(d, n);
          if (statSync(p).isDirectory()) walk(p);
          else members[`lab/${relative(src, p)}`] = new Uint8Array(readFileSync(p));
        }
      };
      walk(src);
      const res = await other.app.request('/api/admin/upload?name=lab.zip', {
        method: 'POST', headers: { 'content-type': 'application/zip', cookie: other.cookies.root! }, body: new Blob([zipSync(members) as BlobPart]),
      });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      const { id } = (await res.json()) as { id: string };
      let job: { phase: string; summary?: { users: { created: unknown[] } } } = { phase: 'uploading' };
      for (let i = 0; i < 400 && job.phase !== 'done' && job.phase !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        job = (await (await other.app.request(`/api/admin/upload/jobs/${id}`, { headers: { cookie: other.cookies.root! } })).json()) as typeof job;
      }
      expect(job.phase).toBe('done');
      expect(job.summary!.users.created).toEqual(expect.arrayContaining([{ id: 'Zoë', qualified: true }, { id: 'ann', qualified: true }]));
      const onDisk = readFileSync(join(other.dir, 'uploads', id, 'job.json'), 'utf8');
      expect(onDisk).not.toMatch(/password/i);
      expect(JSON.stringify(job)).not.toMatch(/password/i);
    } finally {
      await other.close();
    }
  });
});
