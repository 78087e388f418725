import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../src/app';
import { newSessionToken, SESSION_COOKIE, sessionIdOf } from '../src/auth/tokens';
import { migrateToLatest, type OpenedDb, openDatabase } from '../src/db/connect';
import type { ImportJob } from '../src/exchange/jobs';
import { readNpz } from '../src/formats/npz';
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

const upload = (user: string, body: Uint8Array, name = 'dataset.zip') =>
  app.request(`/api/admin/upload?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/zip', cookie: cookies[user]! },
    body: new Blob([body as BlobPart]),
  });

async function finished(id: string): Promise<ImportJob> {
  for (let i = 0; i < 600; i++) {
    const job = (await (await app.request(`/api/admin/upload/jobs/${id}`, { headers: { cookie: cookies.root! } })).json()) as ImportJob;
    if (job.phase === 'done' || job.phase === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

describe('admin upload', () => {
  it('is for admins only and refuses what is not a zip by name', async () => {
    expect((await upload('ann', new Uint8Array([1]))).status).toBe(403);
    const tar = await upload('root', new Uint8Array([1]), 'x.tar.gz');
    expect(tar.status).toBe(400);
    expect(((await tar.json()) as { message: string }).message).toMatch(/not a .zip/);
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

  it('refuses an unknown export layout with 400', async () => {
    expect((await app.request('/api/admin/export.zip?layout=pdf', { headers: { cookie: cookies.root! } })).status).toBe(400);
  });
});
