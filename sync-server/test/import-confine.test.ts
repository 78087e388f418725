// A hostile copy of the fixture legacy folder: rows naming files outside it (`..`, absolute, NUL), a
// category that climbs out, symlinks out of the dataset and out of DATA_DIR, a zip-slip npz member.
// Each is reported as unsafe_path by name and skipped; everything else imports; nothing outside the
// dataset is read and nothing outside DATA_DIR is written. Through the CLI and the admin endpoint.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import SQLite from 'better-sqlite3';
import { unzipSync, zipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasFixtures, IMAGENET3D } from '../../shared/test/fixtures';
import { createApp } from '../src/app';
import { newSessionToken, SESSION_COOKIE, sessionIdOf } from '../src/auth/tokens';
import { commands } from '../src/cli/commands';
import { openDataDir } from '../src/cli/context';
import { runCli } from '../src/cli/registry';
import { readCadModels } from '../src/exchange/cad';
import { confine, confineForWrite, unsafeName } from '../src/exchange/confine';
import { Reports } from '../src/exchange/report';
import type { ImportSummary } from '../src/exchange/summary';
import { insertSession } from '../src/repositories/sessions';
import { insertUser } from '../src/repositories/users';

const FIXTURE = join(IMAGENET3D, 'legacy');
const CAD = join(IMAGENET3D, 'cad');
let root: string, src: string, dataDir: string, secret: Uint8Array;

/** Every file under dir (relative paths), following no symlinks. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'in3d-confine-'));
  src = join(root, 'legacy');
  dataDir = join(root, 'data');
  mkdirSync(dataDir);
  mkdirSync(join(root, 'secret'));
  secret = jpeg.encode({ data: new Uint8Array(64 * 48 * 4).fill(200), width: 64, height: 48 }, 90).data;
  writeFileSync(join(root, 'secret/secret.JPEG'), secret);
  if (!hasFixtures) return;
  cpSync(FIXTURE, src, { recursive: true, filter: (p) => !p.endsWith('database_default.sqlite') && !p.includes('/release') });

  // A photo replaced by a symlink out; a whole annotations folder moved out and linked back.
  unlinkSync(join(src, 'images/chair/n03001627_2044_00.JPEG'));
  symlinkSync(join(root, 'secret/secret.JPEG'), join(src, 'images/chair/n03001627_2044_00.JPEG'));
  renameSync(join(src, 'annotations/tvmonitor'), join(root, 'outside-anno'));
  symlinkSync(join(root, 'outside-anno'), join(src, 'annotations/tvmonitor'));
  // Zip-slip: an extra member that names a file two folders up.
  const npz = join(src, 'annotations/car/n02958343_12_00.npz');
  const members = unzipSync(readFileSync(npz));
  writeFileSync(npz, zipSync({ ...members, '../../evil.npy': members['azimuth.npy']! }));

  const db = new SQLite(join(src, 'database.sqlite'));
  const set = db.prepare(`UPDATE questions SET img_path = coalesce(?, img_path), anno_path = coalesce(?, anno_path), cad_path = coalesce(?, cad_path) WHERE question_id = ?`);
  set.run('../secret/secret.JPEG', null, null, 'objnet3d_chair_n03001627_101_00');
  set.run(join(root, 'secret/secret.JPEG'), null, null, 'objnet3d_chair_n03001627_318_00');
  set.run(null, null, '../../escaped', 'objnet3d_car_n02958343_77_00');
  set.run(null, 'annotations/car/n02958343_91_00\0.npz', null, 'objnet3d_car_n02958343_91_00');
  set.run(null, '../../../../etc/passwd', null, 'objnet3d_tvmonitor_n04404412_5_00');
  db.close();
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

const unsafe = (s: ImportSummary) => s.reports.filter((r) => r.reason === 'unsafe_path');

/** What every run must show, whichever way it was started. */
function expectConfined(s: ImportSummary) {
  const byPath = new Map(unsafe(s).map((r) => [r.path, r.message]));
  const q = (id: string) => byPath.get(`db:questions/objnet3d_${id}`) ?? '';
  expect(q('chair_n03001627_101_00')).toMatch(/^img_path "\.\.\/secret\/secret\.JPEG" climbs out .*imported without its photo$/);
  expect(q('chair_n03001627_318_00')).toMatch(/^img_path ".*secret\.JPEG" is an absolute path outside the data folder/);
  expect(q('chair_n03001627_2044_00')).toMatch(/leads outside the folder through a symlink; imported without its photo$/);
  expect(q('car_n02958343_77_00')).toMatch(/^category "\.\.\/\.\.\/escaped" contains a slash; question not imported$/);
  expect(q('car_n02958343_91_00')).toMatch(/^anno_path .* contains a NUL byte; question not imported$/);
  expect(q('tvmonitor_n04404412_5_00')).toMatch(/^anno_path "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" climbs out/);
  expect(q('tvmonitor_n04404412_9_00')).toMatch(/through a symlink; question not imported$/);
  expect(byPath.get(join(src, 'annotations/car/n02958343_12_00.npz'))).toMatch(/^member "\.\.\/\.\.\/evil\.npy" climbs out .*skipped$/);
  // The rest imports: 9 rows, 4 refused; the zip-slip file still gives its question.
  expect(s.questions).toEqual({ found: 9, imported: 5, notImported: 4 });
  expect(s.annotations.imported).toBe(1);
  // Nothing was written outside DATA_DIR, and the secret was not copied in.
  expect(existsSync(join(root, 'escaped'))).toBe(false);
  expect(tree(root).filter((p) => !p.startsWith('data/') && !p.startsWith('legacy/'))).toEqual(['outside-anno/n04404412_5_00.npz', 'outside-anno/n04404412_9_00.npz', 'secret/secret.JPEG']);
  for (const f of tree(dataDir)) expect(Buffer.from(readFileSync(join(dataDir, f))).equals(Buffer.from(secret)), f).toBe(false);
}

describe.skipIf(!hasFixtures)('a hostile legacy dataset', () => {
  it('through the CLI: reported by name, skipped, the rest imported', async () => {
    const out: string[] = [], err: string[] = [];
    const code = await runCli(['import', 'legacy', src, '--cad', CAD, '--json'], commands, { dataDir, openDb: openDataDir, out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const s = JSON.parse(out.join('\n')) as ImportSummary;
    expectConfined(s);
    expect(s.photos.stored).toBe(2); // chair 101_01 and car 12_00, the two clean rows with a photo
    // Every question imported without its photo is counted missing, an unsafe img_path too.
    const without = s.reports.filter((r) => r.reason === 'missing_photo' || /imported without its photo/.test(r.message));
    expect(s.photos.missing).toBe(without.length);
    expect(tree(join(dataDir, 'images'))).toEqual(['car/n02958343_12_00.JPEG', 'chair/n03001627_101_01.JPEG']);
  });

  it('through POST /api/admin/import/legacy, with a symlink out of DATA_DIR that is not written through', async () => {
    mkdirSync(join(root, 'outside-write'));
    mkdirSync(join(dataDir, 'images'));
    symlinkSync(join(root, 'outside-write'), join(dataDir, 'images/car'));
    const opened = await openDataDir(dataDir);
    try {
      await insertUser(opened.db, { id: 'root', role: 'admin', passwordHash: 'x', qualified: true });
      const token = newSessionToken();
      await insertSession(opened.db, { id: sessionIdOf(token), userId: 'root', expiresAt: new Date(Date.now() + 3600_000) });
      const app = createApp({ db: opened.db, dataDir });
      const headers = { cookie: `${SESSION_COOKIE}=${token}`, 'content-type': 'application/json' };
      const res = await app.request('/api/admin/import/legacy', { method: 'POST', headers, body: JSON.stringify({ source: src, cadDir: CAD }) });
      expect(res.status).toBe(200);
      const s = (await res.json()) as ImportSummary;
      expectConfined(s);
      expect(readdirSync(join(root, 'outside-write'))).toEqual([]);
      expect(unsafe(s).find((r) => r.path.endsWith('images/car/n02958343_12_00.JPEG'))?.message).toMatch(/images\/car\/n02958343_12_00\.JPEG in the data folder leads outside the folder through a symlink/);
      // The row whose photo was refused is served no photo.
      const photo = await app.request('/api/images/n03001627_101_00', { headers });
      expect(photo.status).toBe(404);
      expect((await app.request('/api/images/n03001627_101_01', { headers })).status).toBe(200);
    } finally {
      await opened.close();
    }
  });
});

describe.skipIf(!hasFixtures)('a hostile release folder', () => {
  it('refuses a pickled category that climbs out, a symlinked file and a symlinked photo, and imports the rest', async () => {
    const release = join(root, 'release');
    mkdirSync(join(release, 'chair'), { recursive: true });
    mkdirSync(join(root, 'outside'));
    const original = readFileSync(join(FIXTURE, 'release/chair/n03001627_555.npz'));
    writeFileSync(join(release, 'chair/n03001627_555.npz'), original);
    symlinkSync(join(root, 'secret/secret.JPEG'), join(release, 'chair/n03001627_555.JPEG'));
    writeFileSync(join(root, 'outside/n03001627_556.npz'), original);
    symlinkSync(join(root, 'outside/n03001627_556.npz'), join(release, 'chair/n03001627_556.npz'));
    // At the top of the folder the category is the pickled `class`: "chair" becomes "../..".
    const member = unzipSync(original)['annotations.npy']!;
    const at = Buffer.from(member).indexOf('chair');
    expect(at).toBeGreaterThan(0);
    const patched = Uint8Array.from(member);
    patched.set(Buffer.from('../..'), at);
    writeFileSync(join(release, 'n03001627_557.npz'), zipSync({ 'annotations.npy': patched }));

    const out: string[] = [];
    const code = await runCli(['import', 'imagenet3d', release, '--json'], commands, { dataDir, openDb: openDataDir, out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(code).toBe(0);
    const s = JSON.parse(out.join('\n')) as ImportSummary;
    expect(unsafe(s).map((r) => [r.path, r.message])).toEqual([
      [join(release, 'chair/n03001627_556.npz'), 'leads outside the folder through a symlink; skipped'],
      [join(release, 'chair/n03001627_555.JPEG'), 'leads outside the folder through a symlink; imported without its photo'],
      [join(release, 'n03001627_557.npz'), 'category "../.." contains a slash; file skipped'],
    ]);
    expect(s.questions.imported).toBe(3); // the one clean file's three objects
    expect(s.photos.missing).toBe(s.reports.filter((r) => r.reason === 'missing_photo' || /imported without its photo/.test(r.message)).length);
    expect(tree(dataDir).filter((f) => !f.startsWith('annotator.sqlite'))).toEqual([]);
  });
});

describe('CAD models', () => {
  it('are read only from inside the CAD folder: a symlink out and a category that climbs are refused by name', () => {
    const cad = join(root, 'cad');
    mkdirSync(join(cad, 'thing'), { recursive: true });
    writeFileSync(join(cad, 'thing/01.off'), 'OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n');
    writeFileSync(join(root, 'secret/02.off'), 'OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n');
    symlinkSync(join(root, 'secret/02.off'), join(cad, 'thing/02.off'));
    const reports = new Reports();
    expect(readCadModels(cad, 'thing', reports).models.map((m) => m.subtype)).toEqual([1]);
    expect(readCadModels(cad, '../secret', reports).models).toEqual([]);
    expect(reports.items.map((r) => [r.path, r.reason, r.message])).toEqual([
      [join(cad, 'thing/02.off'), 'unsafe_path', 'leads outside the folder through a symlink; skipped'],
      [join(cad, '../secret'), 'unsafe_path', 'category "../secret" contains a slash; no CAD models read'],
    ]);
  });
});

describe('confine', () => {
  it('keeps a relative path inside its root and refuses .., absolute paths and NUL', () => {
    expect(confine(root, 'secret/secret.JPEG')).toEqual({ ok: true, path: join(root, 'secret/secret.JPEG') });
    expect(confine(root, 'not/yet/there.txt')).toEqual({ ok: true, path: join(root, 'not/yet/there.txt') });
    expect(confine(root, 'a/../../x')).toEqual({ ok: false, why: 'climbs out of the folder with ..' });
    expect(confine(root, 'a\\..\\..\\x')).toEqual({ ok: false, why: 'climbs out of the folder with ..' });
    expect(confine(root, '/etc/passwd')).toEqual({ ok: false, why: 'is an absolute path' });
    expect(confine(root, 'C:/x')).toEqual({ ok: false, why: 'is an absolute path' });
    expect(confine(root, 'a\0b')).toEqual({ ok: false, why: 'contains a NUL byte' });
    expect(confine(root, '')).toEqual({ ok: false, why: 'is empty' });
    expect(confine(root, '.').ok).toBe(false);
  });

  it('follows symlinks only while they stay inside, and refuses dangling ones', () => {
    const inner = join(root, 'inner');
    mkdirSync(join(inner, 'real'), { recursive: true });
    symlinkSync(join(inner, 'real'), join(inner, 'in'));
    symlinkSync(join(root, 'secret'), join(inner, 'out'));
    symlinkSync(join(root, 'nowhere'), join(inner, 'dangling'));
    expect(confine(inner, 'in/file').ok).toBe(true);
    expect(confine(inner, 'out/secret.JPEG')).toEqual({ ok: false, why: 'leads outside the folder through a symlink' });
    expect(confine(inner, 'out/not-there/x')).toEqual({ ok: false, why: 'leads outside the folder through a symlink' });
    expect(confine(inner, 'dangling')).toEqual({ ok: false, why: 'is a dangling symlink' });
    writeFileSync(join(inner, 'real/f'), 'x');
    symlinkSync(join(inner, 'real/f'), join(inner, 'link'));
    expect(confine(inner, 'link').ok).toBe(true);
    expect(confineForWrite(inner, 'link')).toEqual({ ok: false, why: 'is a symlink; it is not written through' });
  });

  it('a name is one segment', () => {
    expect(unsafeName('chair')).toBeUndefined();
    for (const bad of ['', '.', '..', '../../x', 'a/b', 'a\\b', 'a\0', 'a\nb']) expect(unsafeName(bad), JSON.stringify(bad)).toBeDefined();
  });
});
