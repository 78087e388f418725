import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createGzip } from 'node:zlib';
import { type Header, pack } from 'tar-stream';
import { unzipSync, zipSync } from 'fflate';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/app';
import { newSessionToken, SESSION_COOKIE, sessionIdOf } from '../src/auth/tokens';
import { migrateToLatest, type OpenedDb, openDatabase } from '../src/db/connect';
import type { ImportJob } from '../src/exchange/jobs';
import { ExchangeError, Reports } from '../src/exchange/report';
import { unpackArchive } from '../src/exchange/unpack';
import { f8, i8, str, u2 } from '../src/formats/ndarray';
import { readNpz, writeNpz } from '../src/formats/npz';
import { insertSession } from '../src/repositories/sessions';
import { insertUser } from '../src/repositories/users';
import { hasFixtures, IMAGENET3D } from '../../shared/test/fixtures';

const LEGACY = join(IMAGENET3D, 'legacy');
const CAD = join(IMAGENET3D, 'cad');
let dir: string, opened: OpenedDb, app: App;
const cookies: Record<string, string> = {};

/** The files under `root` as zip members under `prefix`. */
function tree(root: string, prefix: string, skip: (rel: string) => boolean = () => false): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const rel = relative(root, p).split('\\').join('/');
      if (skip(rel)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else out[`${prefix}${rel}`] = new Uint8Array(readFileSync(p));
    }
  };
  walk(root);
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'in3d-upload-'));
  opened = openDatabase(join(dir, 'annotator.sqlite'));
  await migrateToLatest(opened.db);
  for (const [id, role] of [['root', 'admin'], ['ann', 'annotator']] as const) {
    await insertUser(opened.db, { id, role, passwordHash: 'x', qualified: true });
    const token = newSessionToken();
    await insertSession(opened.db, { id: sessionIdOf(token), userId: id, expiresAt: new Date(Date.now() + 3600_000) });
    cookies[id] = `${SESSION_COOKIE}=${token}`;
  }
  app = createApp({ db: opened.db, dataDir: join(dir, 'data') });
});

afterAll(async () => {
  await opened.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The bytes of an original tool's database with its three main tables and the rows `inserts` adds. */
function legacyDatabase(name: string, inserts: string): Uint8Array {
  const file = join(dir, `${name}.sqlite`);
  const sq = new SQLite(file);
  sq.exec(`CREATE TABLE annotators (annotator_id TEXT PRIMARY KEY, pass_test INTEGER, assigned_annotations INTEGER, finished_annotations INTEGER);
    CREATE TABLE tasks (task_id TEXT, annotator_id TEXT, num_questions INTEGER, num_finished INTEGER);
    CREATE TABLE questions (question_id TEXT PRIMARY KEY, task_id TEXT, initialized INTEGER, finished INTEGER, rejected INTEGER, img_path TEXT, anno_path TEXT, cad_path TEXT);
    ${inserts}`);
  sq.close();
  return new Uint8Array(readFileSync(file));
}

const upload = (user: string, body: Uint8Array, name = 'dataset.zip', on: App = app) =>
  on.request(`/api/admin/upload?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/zip', cookie: cookies[user]! },
    body: new Blob([body as BlobPart]),
  });

async function finished(id: string, on: App = app): Promise<ImportJob> {
  for (let i = 0; i < 600; i++) {
    const job = (await (await on.request(`/api/admin/upload/jobs/${id}`, { headers: { cookie: cookies.root! } })).json()) as ImportJob;
    if (job.phase === 'done' || job.phase === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('admin upload', () => {
  it('is for admins only and refuses what is not a .zip, .tar, .tar.gz or .tgz by name', async () => {
    expect((await upload('ann', new Uint8Array([1]))).status).toBe(403);
    for (const name of ['x.rar', 'x.gz', 'x.tar.bz2', 'tar']) {
      const res = await upload('root', new Uint8Array([1]), name);
      expect(res.status, name).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/is not a \.zip, \.tar, \.tar\.gz or \.tgz archive/);
    }
  });

  it('reports a body that is not a zip as a failed job, with a message', async () => {
    const res = await upload('root', new TextEncoder().encode('not a zip at all'));
    expect(res.status).toBe(202);
    const job = await finished(((await res.json()) as ImportJob).id);
    expect(job.phase).toBe('failed');
    expect(job.error).toMatch(/not a zip|no files|invalid/i);
  });

  it.skipIf(!hasFixtures)('imports the legacy fixture from a zip: the report names the missing photo, a zip-slip member is skipped', async () => {
    const files = { ...tree(LEGACY, 'legacy/', (r) => r.startsWith('release')), ...tree(CAD, 'legacy/cad/'), '../escape.txt': new Uint8Array([1]) };
    const res = await upload('root', zipSync(files, { level: 1 }));
    expect(res.status).toBe(202);
    const job = await finished(((await res.json()) as ImportJob).id);
    expect(job.error).toBeUndefined();
    expect(job.phase).toBe('done');
    expect(job.kind).toBe('legacy');
    expect(job.reports.filter((r) => r.reason === 'missing_photo').map((r) => r.path)).toEqual(['legacy/images/car/n02958343_91_00.JPEG']);
    expect(job.reports.find((r) => r.reason === 'unsafe_path')?.path).toBe('../escape.txt');
    expect(job.summary!.questions.imported).toBeGreaterThan(0);
    // the status comes back from disk for a second store (a server restart)
    const listed = (await (await app.request('/api/admin/upload/jobs', { headers: { cookie: cookies.root! } })).json()) as ImportJob[];
    expect(listed.map((j) => j.id)).toContain(job.id);
    expect(readdirSync(join(dir, 'data/uploads', job.id))).toEqual(['job.json']);

    const zip = await app.request('/api/admin/export.zip?layout=npz', { headers: { cookie: cookies.root! } });
    expect(zip.status).toBe(200);
    const members = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    const names = Object.keys(members);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => /^annotations_new\/[\w-]+\/[^/]+\.npz$/.test(n))).toBe(true);
    const first = readNpz(members[names[0]!]!);
    expect([...first.keys()]).toEqual(expect.arrayContaining(['azimuth', 'cad_index', 'annotator']));

    // the release layout: one npz per image, `annotations` = the list of its objects, read back by our reader
    const release = unzipSync(new Uint8Array(await (await app.request('/api/admin/export.zip?layout=release', { headers: { cookie: cookies.root! } })).arrayBuffer()));
    const perImage = Object.keys(release);
    expect(perImage.length).toBeGreaterThan(0);
    expect(perImage.length).toBeLessThanOrEqual(names.length); // several objects of one image share its file
    let objects = 0;
    for (const n of perImage) {
      expect(n).toMatch(/^[\w-]+\/[^/]+\.npz$/);
      const a = readNpz(release[n]!, { objects: 'safe-unpickle' }).get('annotations')!;
      expect(a.descr).toBe('|O');
      for (const o of a.data as Map<string, unknown>[]) {
        expect(o.get('class')).toBe(n.split('/')[0]);
        expect(typeof o.get('azimuth')).toBe('number');
        expect(o.get('bbox')).toMatchObject({ descr: '<f8', shape: [4] });
        objects++;
      }
    }
    expect(objects).toBe(names.length); // every annotated question, once

    const coco = unzipSync(new Uint8Array(await (await app.request('/api/admin/export.zip?layout=coco', { headers: { cookie: cookies.root! } })).arrayBuffer()));
    const ds = JSON.parse(new TextDecoder().decode(coco['annotations.coco.json']!)) as { annotations: { image_id: number; cad_index: number; pose: { azimuth: number } }[]; images: { id: number }[] };
    expect(ds.annotations.length).toBe(names.length);
    expect(ds.annotations.every((a) => ds.images.some((i) => i.id === a.image_id) && a.cad_index >= 1 && Number.isFinite(a.pose.azimuth))).toBe(true);
  });

  it('a second upload of the same archive changes nothing (its people are the ones the first one made)', async () => {
    // The original tool's folder at its smallest: one annotator, one task, one question.
    const legacyDb = legacyDatabase('again', `INSERT INTO annotators VALUES ('carol', 1, 1, 0);
      INSERT INTO tasks VALUES ('again_task', 'carol', 1, 0);
      INSERT INTO questions VALUES ('again_q1', 'again_task', 1, 0, 0, 'images/again/q1.JPEG', 'annotations/again/q1.npz', 'again');`);
    const npz = writeNpz([
      ['azimuth', f8(1)], ['elevation', f8(0.2)], ['theta', f8(0)], ['distance', f8(5)], ['px', f8(50)], ['py', f8(40)],
      ['cad_index', i8(1)], ['viewport', f8(3000)], ['height', u2(80)], ['width', u2(100)], ['bbox', f8([10, 10, 90, 70])], ['class', str('again')],
    ]);
    const zip = zipSync({ 'database.sqlite': legacyDb, 'annotations/again/q1.npz': npz, 'cad/again/01.off': new TextEncoder().encode(OFF) });
    const first = await finished(((await (await upload('root', zip, 'again.zip')).json()) as ImportJob).id);
    expect(first.error).toBeUndefined();
    expect(first.summary!.users.created.map((u) => u.id)).toEqual(['carol']);
    const rows = () => opened.sqlite.prepare(`SELECT id, origin FROM users WHERE id = 'carol'`).all();
    const before = rows();

    const second = await finished(((await (await upload('root', zip, 'again.zip')).json()) as ImportJob).id);
    expect(second.error).toBeUndefined();
    expect(second.phase).toBe('done');
    expect(second.summary!.users).toEqual({ created: [], existing: ['carol'] });
    expect(second.summary!.questions.imported).toBe(1);
    expect(rows()).toEqual(before);

    // Another dataset under the same archive name is other people: its carol is not merged into this one.
    const other = legacyDatabase('again2', `INSERT INTO annotators VALUES ('carol', 1, 1, 0); INSERT INTO tasks VALUES ('again2_task', 'carol', 1, 0);`);
    const third = await finished(((await (await upload('root', zipSync({ 'database.sqlite': other }), 'again.zip')).json()) as ImportJob).id);
    expect(third.phase).toBe('failed');
    expect(third.error).toMatch(/the account carol exists already/);
    expect(rows()).toEqual(before);
  });

  it("imports a dataset whose people collide with this server's accounts when the upload names a prefix (the original's default database has an annotator 'admin')", async () => {
    const zip = zipSync({ 'database.sqlite': legacyDatabase('collide', `INSERT INTO annotators VALUES ('root', 1, 0, 0); INSERT INTO tasks VALUES ('collide_task', 'root', 0, 0);`) });
    const refused = await finished(((await (await upload('root', zip, 'collide.zip')).json()) as ImportJob).id);
    expect(refused.error).toMatch(/the account root exists already/);
    expect(refused.error).toMatch(/prefix/);
    for (const prefix of ['a%20b', '-x']) {
      const bad = await app.request(`/api/admin/upload?name=collide.zip&userPrefix=${prefix}`, { method: 'POST', headers: { 'content-type': 'application/zip', cookie: cookies.root! }, body: new Blob([zip as BlobPart]) });
      expect(bad.status, prefix).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(/userPrefix/);
    }

    const res = await app.request('/api/admin/upload?name=collide.zip&userPrefix=legacy-', { method: 'POST', headers: { 'content-type': 'application/zip', cookie: cookies.root! }, body: new Blob([zip as BlobPart]) });
    expect(res.status).toBe(202);
    const job = await finished(((await res.json()) as ImportJob).id);
    expect(job.error).toBeUndefined();
    expect(job.summary!.users.created.map((u) => u.id)).toEqual(['legacy-root']);
    expect(opened.sqlite.prepare(`SELECT role FROM users WHERE id = 'root'`).get()).toEqual({ role: 'admin' });
  });

  it("a CAD-only upload's summary says it imported CAD models, not a release", async () => {
    const job = await finished(((await (await upload('root', zipSync({ 'cad/kindcad/01.off': new TextEncoder().encode(OFF) }), 'kind-cad.zip')).json()) as ImportJob).id);
    expect(job.error).toBeUndefined();
    expect(job.kind).toBe('cad');
    expect(job.summary!.kind).toBe('cad');
    expect(job.summary!.cadModels).toEqual({ categories: 1, imported: 1, kept: 0 });
  });

  it('a zip of one category folder (zip -r lamp.zip lamp) imports its models; loose .off files without a category folder fail with a message', async () => {
    const off = new TextEncoder().encode(OFF);
    const one = await finished(((await (await upload('root', zipSync({ 'onecat/01.off': off, 'onecat/02.off': off }), 'onecat.zip')).json()) as ImportJob).id);
    expect(one.error).toBeUndefined();
    expect(one.summary!.cadModels).toEqual({ categories: 1, imported: 2, kept: 0 });
    expect(opened.sqlite.prepare(`SELECT count(*) AS n FROM cad_models WHERE category_id = 'onecat'`).get()).toEqual({ n: 2 });

    const loose = await finished(((await (await upload('root', zipSync({ '01.off': off }), 'loose.zip')).json()) as ImportJob).id);
    expect(loose.phase).toBe('failed');
    expect(loose.error).toMatch(/<category>\/<NN>\.off/);
  });

  it('the prefix fields on a CAD-only or release upload: the category prefix is applied, the people prefix is named as not used (those layouts hold no people)', async () => {
    const send = (zip: Uint8Array, name: string, query: string) =>
      app.request(`/api/admin/upload?name=${name}&${query}`, { method: 'POST', headers: { 'content-type': 'application/zip', cookie: cookies.root! }, body: new Blob([zip as BlobPart]) });
    const models = (category: string) => opened.sqlite.prepare(`SELECT count(*) AS n FROM cad_models WHERE category_id = ?`).get(category);
    const cad = await finished(((await (await send(zipSync({ 'cad/pfx/01.off': new TextEncoder().encode(OFF) }), 'pfx.zip', 'userPrefix=ppl-&categoryPrefix=lab-')).json()) as ImportJob).id);
    expect(cad.error).toBeUndefined();
    expect(models('lab-pfx')).toEqual({ n: 1 });
    expect(models('pfx')).toEqual({ n: 0 });
    expect(cad.reports.filter((r) => r.reason === 'prefix_not_used')).toEqual([{ path: 'userPrefix', reason: 'prefix_not_used', message: expect.stringMatching(/"ppl-".*no people/) }]);

    const release = zipSync({ 'rel/pfx/one.npz': writeNpz([['azimuth', f8(1)]]) });
    const rel = await finished(((await (await send(release, 'rel.zip', 'userPrefix=ppl-')).json()) as ImportJob).id);
    expect(rel).toMatchObject({ phase: 'done', kind: 'imagenet3d' });
    expect(rel.reports.filter((r) => r.reason === 'prefix_not_used').map((r) => r.path)).toEqual(['userPrefix']);
    // Without the field nothing is said.
    const plain = await finished(((await (await send(release, 'rel.zip', '')).json()) as ImportJob).id);
    expect(plain.reports.some((r) => r.reason === 'prefix_not_used')).toBe(false);
  });

  it("an original folder whose database has no save times: the saved annotation's time is its zip member's or tar entry's own, not the upload's", async () => {
    const npz = writeNpz([
      ['azimuth', f8(1)], ['elevation', f8(0.2)], ['theta', f8(0)], ['distance', f8(5)], ['px', f8(50)], ['py', f8(40)],
      ['cad_index', i8(1)], ['viewport', f8(3000)], ['height', u2(80)], ['width', u2(100)], ['bbox', f8([10, 10, 90, 70])], ['class', str('mtime')],
    ]);
    const saved = writeNpz([...readNpz(npz), ['object_status', str('status_good')], ['dense', str('dense_no')]]);
    const savedAt = (question: string) => (opened.sqlite.prepare(`SELECT client_saved_at AS t FROM annotations WHERE question_id = ?`).get(question) as { t: string } | undefined)?.t;
    const when = new Date(2019, 2, 4, 5, 6, 8); // the annotator's save, as the zipping machine's clock read it
    for (const [name, format] of [['mtime-zip', 'zip'], ['mtime-tar', 'tar']] as const) {
      const legacyDb = legacyDatabase(name, `INSERT INTO annotators VALUES ('${name}-ann', 1, 1, 1);
        INSERT INTO tasks VALUES ('${name}_task', '${name}-ann', 1, 1);
        INSERT INTO questions VALUES ('${name}_q1', '${name}_task', 1, 1, 0, 'images/mtime/${name}.JPEG', 'annotations/mtime/${name}.npz', 'mtime');`);
      const members = { 'database.sqlite': legacyDb, [`annotations/mtime/${name}.npz`]: npz, [`annotations_new/mtime/${name}.npz`]: saved, 'cad/mtime/01.off': new TextEncoder().encode(OFF) };
      const archive = format === 'zip'
        ? zipSync(Object.fromEntries(Object.entries(members).map(([k, v]) => [k, [v, { mtime: when }]])))
        : await tarOf(Object.entries(members).map(([k, v]) => ({ name: k, body: v, mtime: when })));
      const job = await finished(((await (await upload('root', archive, `${name}.${format}`)).json()) as ImportJob).id);
      expect(job.error, format).toBeUndefined();
      expect(job.summary!.annotations.imported, JSON.stringify(job.reports)).toBe(1);
      expect(savedAt(`${name}_q1`), format).toBe(when.toISOString());
    }
  });

  it("two original folders whose saved files share a path (two labs, one photo set): the second one's annotation is imported too, by its own annotator; each upload again changes nothing", async () => {
    const saved = (azimuth: number) => writeNpz([
      ['azimuth', f8(azimuth)], ['elevation', f8(0.2)], ['theta', f8(0)], ['distance', f8(5)], ['px', f8(50)], ['py', f8(40)], ['cad_index', i8(1)],
      ['viewport', f8(3000)], ['height', u2(80)], ['width', u2(100)], ['bbox', f8([10, 10, 90, 70])], ['class', str('twolab')],
      ['object_status', str('status_good')], ['dense', str('dense_no')],
    ]);
    const lab = (name: string, azimuth: number) => zipSync({
      'database.sqlite': legacyDatabase(name, `INSERT INTO annotators VALUES ('${name}-ann', 1, 1, 1); INSERT INTO tasks VALUES ('${name}_task', '${name}-ann', 1, 1);
        INSERT INTO questions VALUES ('${name}_q1', '${name}_task', 1, 1, 0, 'images/twolab/x.JPEG', 'annotations/twolab/x.npz', 'twolab');`),
      'annotations/twolab/x.npz': saved(0), 'annotations_new/twolab/x.npz': saved(azimuth), 'cad/twolab/01.off': new TextEncoder().encode(OFF),
    });
    const run = async (zip: Uint8Array, name: string) => {
      const job = await finished(((await (await upload('root', zip, name)).json()) as ImportJob).id);
      expect(job.error, name).toBeUndefined();
      return { ...job.summary!.annotations, changed: job.reports.filter((r) => r.reason === 'saved_file_changed').length };
    };
    const a = lab('laba', 1), b = lab('labb', 2);
    expect(await run(a, 'laba.zip')).toMatchObject({ imported: 1, alreadyPresent: 0, changed: 0 });
    expect(await run(b, 'labb.zip')).toMatchObject({ imported: 1, alreadyPresent: 0, changed: 0 });
    expect(await run(a, 'laba.zip')).toMatchObject({ imported: 0, alreadyPresent: 1, changed: 0 });
    expect(await run(b, 'labb.zip')).toMatchObject({ imported: 0, alreadyPresent: 1, changed: 0 });
    const rows = opened.sqlite.prepare(`SELECT question_id AS q, user_id AS u, azimuth FROM annotations WHERE question_id IN ('laba_q1', 'labb_q1') ORDER BY q`).all();
    expect(rows).toEqual([{ q: 'laba_q1', u: 'laba-ann', azimuth: expect.closeTo(57.3, 1) }, { q: 'labb_q1', u: 'labb-ann', azimuth: expect.closeTo(114.6, 1) }]);
  });

  it('refuses an unknown export layout with 400', async () => {
    expect((await app.request('/api/admin/export.zip?layout=pdf', { headers: { cookie: cookies.root! } })).status).toBe(400);
  });
});

/** One tar entry: a regular file with content, or another type (symlink, link, device) with a target. */
type TarEntry = { name: string; body?: Uint8Array | string; type?: Header['type']; linkname?: string; mtime?: Date };

/** A .tar (or .tar.gz) made with tar-stream's packer, as a real tool would write it. */
async function tarOf(entries: TarEntry[], gzip = false): Promise<Uint8Array> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const out = gzip ? p.pipe(createGzip()) : p;
    out.on('data', (c) => void chunks.push(c as Buffer));
    out.on('end', () => resolve());
    out.on('error', reject);
  });
  for (const e of entries) {
    const body = typeof e.body === 'string' ? Buffer.from(e.body) : e.body ? Buffer.from(e.body) : undefined;
    const header: Partial<Header> & { name: string } = { name: e.name, type: e.type ?? 'file', ...(e.linkname ? { linkname: e.linkname } : {}), ...(body ? { size: body.byteLength } : {}), ...(e.mtime ? { mtime: e.mtime } : {}) };
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (body) p.entry(header, body, cb);
      else p.entry(header, cb);
    });
  }
  p.finalize();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

// A tetrahedron: the smallest CAD model the CAD-only layout imports.
const OFF = 'OFF\n4 4 0\n0 0 0\n1 0 0\n0 1 0\n0 0 1\n3 0 1 2\n3 0 1 3\n3 0 2 3\n3 1 2 3\n';

describe('admin upload as .tar / .tar.gz', () => {
  it('unpacks a .tar and a .tgz like a zip: same layout detection, same import', async () => {
    for (const [name, gzip, category] of [['models.tar', false, 'tarcat'], ['models.tgz', true, 'tgzcat'], ['models.tar.gz', true, 'targzcat']] as const) {
      const res = await upload('root', await tarOf([{ name: `cad/${category}/01.off`, body: OFF }, { name: `cad/${category}/02.off`, body: OFF }], gzip), name);
      expect(res.status, name).toBe(202);
      const job = await finished(((await res.json()) as ImportJob).id);
      expect(job.error, name).toBeUndefined();
      expect(job).toMatchObject({ phase: 'done', kind: 'cad', fileName: name });
      expect(job.summary!.cadModels).toMatchObject({ categories: 1, imported: 2 });
      expect(readdirSync(join(dir, 'data/uploads', job.id))).toEqual(['job.json']);
    }
  });

  it('a hostile tar: traversal, absolute, symlink, hard link and device entries are reported by name and never written', async () => {
    const res = await upload('root', await tarOf([
      { name: '../escape.txt', body: 'out' },
      { name: '/abs.txt', body: 'abs' },
      { name: 'cad/evil/link.off', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'cad/evil/hard.off', type: 'link', linkname: '../../../../etc/passwd' },
      { name: 'cad/evil/tty', type: 'character-device' },
      { name: 'cad/evil/01.off', body: OFF },
      // A file under the symlink's name after it: written as a plain file, never through a link.
      { name: 'cad/evil/01.off', body: 'second copy of the same name' },
    ]), 'hostile.tar');
    expect(res.status).toBe(202);
    const job = await finished(((await res.json()) as ImportJob).id);
    expect(job).toMatchObject({ phase: 'done', kind: 'cad' });
    const unsafe = job.reports.filter((r) => r.reason === 'unsafe_path').map((r) => [r.path, r.message]);
    expect(unsafe).toEqual([
      ['../escape.txt', expect.stringMatching(/climbs out/)],
      ['/abs.txt', expect.stringMatching(/absolute/)],
      ['cad/evil/link.off', expect.stringMatching(/symlink entry/)],
      ['cad/evil/hard.off', expect.stringMatching(/link entry/)],
      ['cad/evil/tty', expect.stringMatching(/character-device entry/)],
    ]);
    expect(job.reports.find((r) => r.reason === 'write_failed')?.path).toBe('cad/evil/01.off');
    expect(job.summary!.cadModels).toMatchObject({ imported: 1 });
    expect(existsSync(join(dir, 'data/uploads/escape.txt')) || existsSync(join(dir, 'data/escape.txt'))).toBe(false);
  });

  it('an entry over the unpack cap stops the job before it is written, named; a gzip that expands past it too', async () => {
    const small = createApp({ db: opened.db, dataDir: join(dir, 'data-small'), maxUnpackedBytes: 4096 });
    const big = new Uint8Array(64 * 1024); // zeros: a few hundred bytes gzipped
    for (const [name, gzip] of [['big.tar', false], ['bomb.tgz', true]] as const) {
      const body = await tarOf([{ name: 'cad/big/01.off', body: OFF }, { name: 'cad/big/02.off', body: big }], gzip);
      if (gzip) expect(body.byteLength).toBeLessThan(4096);
      const res = await upload('root', body, name, small);
      expect(res.status).toBe(202);
      const job = await finished(((await res.json()) as ImportJob).id, small);
      expect(job.phase, name).toBe('failed');
      expect(job.error).toMatch(/unpacks to more than 4096 bytes \(at cad\/big\/02\.off\)/);
      expect(readdirSync(join(dir, 'data-small/uploads', job.id))).toEqual(['job.json']);
    }
  });

  it('an archive of more files than the cap stops at the first one over, named, in zip and tar alike', async () => {
    const members = { 'a/1.txt': 'x', 'a/2.txt': 'y', 'a/3.txt': 'z' };
    const zip = zipSync(Object.fromEntries(Object.entries(members).map(([k, v]) => [k, new TextEncoder().encode(v)])));
    const tar = await tarOf(Object.entries(members).map(([name, body]) => ({ name, body })));
    for (const [kind, bytes] of [['zip', zip], ['tar', tar]] as const) {
      const work = mkdtempSync(join(tmpdir(), `in3d-files-${kind}-`));
      const archive = join(work, `many.${kind}`);
      writeFileSync(archive, bytes);
      const out = join(work, 'out');
      const unpacking = unpackArchive(kind, archive, out, new Reports(), { maxFiles: 2 });
      await expect(unpacking, kind).rejects.toThrow(ExchangeError);
      await expect(unpacking, kind).rejects.toThrow(/more than 2 files \(at a\/3\.txt\)/);
      expect(readdirSync(join(out, 'a')).sort(), kind).toEqual(['1.txt', '2.txt']);
      expect((await unpackArchive(kind, archive, join(work, 'all'), new Reports(), { maxFiles: 3 })).files, kind).toBe(3);
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('a .tgz that is not gzip, or a truncated tar, is a failed job with a message', async () => {
    const notGzip = await upload('root', new TextEncoder().encode('plain text, not gzip'), 'x.tgz');
    expect((await finished(((await notGzip.json()) as ImportJob).id)).error).toMatch(/tar\.gz archive cannot be unpacked/);
    const whole = await tarOf([{ name: 'cad/cut/01.off', body: 'x'.repeat(3000) }]);
    const cut = await upload('root', whole.slice(0, 1500), 'cut.tar');
    const job = await finished(((await cut.json()) as ImportJob).id);
    expect(job.phase).toBe('failed');
    expect(job.error).toMatch(/tar archive cannot be unpacked|holds no files/);
  });
});
