import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import argon2 from 'argon2';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { decodeMesh } from '@in3d/shared/mesh/codec';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import { createApp } from '../src/app';
import { demoCategories } from '../src/demo/meshes';
import { migrateToLatest, openDatabase, type OpenedDb } from '../src/db/connect';
import { contentEtag, findMeshByEtag, storedCadModels, upsertCadModel, upsertCategory, upsertImage } from '../src/repositories/catalogue';
import { insertUser } from '../src/repositories/users';
import { insertSession } from '../src/repositories/sessions';
import { newSessionToken, SESSION_COOKIE, sessionIdOf } from '../src/auth/tokens';
import { meshCopies } from '../src/files/mesh-copies';
import type { ImportJob } from '../src/exchange/jobs';
import { zipSync } from 'fflate';
import { encodeJpegRgba } from '../src/demo/jpeg';
import sharp from 'sharp';
import { servedWidth } from '../src/photos/sized';

let opened: OpenedDb;
let dataDir: string;
let app: ReturnType<typeof createApp>;
let cookie: string;
const mesh = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);
const photo = Uint8Array.from({ length: 500 }, (_, i) => (i * 13) % 256);
const meshEtag = contentEtag(mesh);
// A real mesh in the current format, big enough that compressing it pays.
const chair = encodeMesh(demoCategories()[0]!.subtypes[0]!.mesh);
const chairEtag = contentEtag(chair);
const photoEtag = contentEtag(photo);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'in3d-files-'));
  mkdirSync(join(dataDir, 'images', 'chair'), { recursive: true });
  writeFileSync(join(dataDir, 'images', 'chair', 'p1.JPEG'), photo);
  opened = openDatabase(':memory:');
  await migrateToLatest(opened.db);
  await upsertCategory(opened.db, { id: 'chair' });
  await upsertCadModel(opened.db, { category: 'chair', subtype: 1, name: 'c', mesh, vertexCount: 3, triangleCount: 1 });
  await upsertCadModel(opened.db, { category: 'chair', subtype: 2, name: 'demo', mesh: chair, vertexCount: 0, triangleCount: 0 });
  await upsertImage(opened.db, { id: 'p1', category: 'chair', filePath: 'images/chair/p1.JPEG', width: 4, height: 4, etag: photoEtag, bytes: photo.length });
  await upsertImage(opened.db, { id: 'gone', category: 'chair', filePath: 'images/chair/gone.JPEG', width: 4, height: 4, etag: 'abcdef12', bytes: 10 });
  await upsertImage(opened.db, { id: 'never', category: 'chair', filePath: null, width: 4, height: 4, etag: null, bytes: null });
  await upsertImage(opened.db, { id: 'escape', category: 'chair', filePath: '../outside.JPEG', width: 4, height: 4, etag: 'abcdef12', bytes: 10 });
  // A reviewer: the photo-access rules for annotators (assigned tasks only) are tested with the quality gate.
  await insertUser(opened.db, { id: 'u', role: 'reviewer', passwordHash: await argon2.hash('password', { memoryCost: 1024, timeCost: 1 }) });
  app = createApp({ db: opened.db, dataDir });
  const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'u', password: 'password' }) });
  cookie = res.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(async () => {
  await opened.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers: { cookie, ...headers } });

describe('GET /api/meshes/:etag', () => {
  it('sends a mesh precompressed: gzip while its brotli copy is made in the background, then brotli; each with its own ETag and Vary', async () => {
    const browser = { 'accept-encoding': 'gzip, deflate, br, zstd' };
    const first = await get(`/api/meshes/${chairEtag}`, browser);
    expect(first.headers.get('content-encoding')).toBe('gzip');
    expect(new Uint8Array(gunzipSync(new Uint8Array(await first.arrayBuffer())))).toEqual(chair);
    await vi.waitFor(() => expect(existsSync(join(dataDir, '.cache', 'meshes', `${chairEtag}.br`))).toBe(true), { timeout: 10_000 });

    const br = await get(`/api/meshes/${chairEtag}`, browser);
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('etag')).toBe(`"${chairEtag}-br"`);
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const brBytes = new Uint8Array(await br.arrayBuffer());
    expect(Number(br.headers.get('content-length'))).toBe(brBytes.length);
    expect(new Uint8Array(brotliDecompressSync(brBytes))).toEqual(chair);

    const gz = await get(`/api/meshes/${chairEtag}`, { 'accept-encoding': 'gzip, br;q=0' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('etag')).toBe(`"${chairEtag}-gzip"`);
    const gzBytes = new Uint8Array(await gz.arrayBuffer());
    const body = new Uint8Array(gunzipSync(gzBytes));
    expect(body).toEqual(chair);
    expect((await decodeMesh(body)).ok).toBe(true);
    expect(brBytes.length).toBeLessThan(gzBytes.length);
    expect(gzBytes.length).toBeLessThan(0.7 * chair.length);

    // A 304 only for the encoding the client holds.
    expect((await get(`/api/meshes/${chairEtag}`, { 'accept-encoding': 'br', 'if-none-match': `"${chairEtag}-br"` })).status).toBe(304);
    expect((await get(`/api/meshes/${chairEtag}`, { 'accept-encoding': 'gzip', 'if-none-match': `"${chairEtag}-br"` })).status).toBe(200);
  });

  it('sends the mesh as stored to a client that accepts no encoding', async () => {
    for (const headers of [{} as Record<string, string>, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'gzip;q=0, br;q=0' }]) {
      const res = await get(`/api/meshes/${chairEtag}`, headers);
      expect(res.headers.get('content-encoding'), JSON.stringify(headers)).toBeNull();
      expect(res.headers.get('etag')).toBe(`"${chairEtag}"`);
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(chair);
    }
  });

  it('compresses each encoding once and keeps it under DATA_DIR/.cache/meshes', async () => {
    await get(`/api/meshes/${chairEtag}`, { 'accept-encoding': 'br' });
    const cached = join(dataDir, '.cache', 'meshes', `${chairEtag}.br`);
    expect(new Uint8Array(brotliDecompressSync(readFileSync(cached)))).toEqual(chair);
    // What is sent is the cached file: replaced on disk, the next answer is the replacement.
    const marker = brotliCompressSync(Buffer.from('cached copy'));
    writeFileSync(cached, marker);
    try {
      expect(new Uint8Array(await (await get(`/api/meshes/${chairEtag}`, { 'accept-encoding': 'br' })).arrayBuffer())).toEqual(new Uint8Array(marker));
    } finally {
      rmSync(cached);
    }
  });

  it('sends the mesh uncompressed when its cache cannot be written', async () => {
    const notADir = join(dataDir, 'not-a-folder');
    writeFileSync(notADir, 'x');
    const broken = createApp({ db: opened.db, dataDir: notADir });
    const res = await broken.request(`/api/meshes/${chairEtag}`, { headers: { cookie, 'accept-encoding': 'br, gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('etag')).toBe(`"${chairEtag}"`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(chair);
  });

  it('answers the bytes with a strong ETag, immutable for a year', async () => {
    const res = await get(`/api/meshes/${meshEtag}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('etag')).toBe(`"${meshEtag}"`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(mesh);
  });

  it('answers 304 without a body when the client has it', async () => {
    const res = await get(`/api/meshes/${meshEtag}`, { 'if-none-match': `W/"other", "${meshEtag}"` });
    expect(res.status).toBe(304);
    expect(res.headers.get('etag')).toBe(`"${meshEtag}"`);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect((await get(`/api/meshes/${meshEtag}`, { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('is 404 for an unknown etag and 401 without a session', async () => {
    expect((await get('/api/meshes/0123456789abcdef')).status).toBe(404);
    expect((await app.request(`/api/meshes/${meshEtag}`)).status).toBe(401);
  });
});

describe('brotli copies made ahead of the first request (files/mesh-copies.ts)', () => {
  const brGzip = { 'accept-encoding': 'br, gzip' };
  /** A DATA_DIR of its own (no copies made yet) and its background copy maker, removed afterwards. */
  async function freshCopies(name: string, run: (dir: string, copies: ReturnType<typeof meshCopies>) => Promise<void>) {
    const fresh = mkdtempSync(join(tmpdir(), `in3d-files-${name}-`));
    try {
      await run(fresh, meshCopies(opened.db, fresh));
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  }
  // A tetrahedron: the smallest CAD model the CAD-only upload layout imports.
  const OFF = 'OFF\n4 4 0\n0 0 0\n1 0 0\n0 1 0\n0 0 1\n3 0 1 2\n3 0 1 3\n3 0 2 3\n3 1 2 3\n';

  it('after an upload import, the first request for its mesh gets brotli', async () => {
    await freshCopies('import', async (fresh, copies) => {
      const importing = createApp({ db: opened.db, dataDir: fresh, meshCopies: copies });
      await insertUser(opened.db, { id: 'root', role: 'admin', passwordHash: 'x', qualified: true });
      const token = newSessionToken();
      await insertSession(opened.db, { id: sessionIdOf(token), userId: 'root', expiresAt: new Date(Date.now() + 3600_000) });
      const admin = `${SESSION_COOKIE}=${token}`;
      const zip = zipSync({ 'cad/brcat/01.off': new TextEncoder().encode(OFF) });
      const res = await importing.request('/api/admin/upload?name=models.zip', { method: 'POST', headers: { 'content-type': 'application/zip', cookie: admin }, body: new Blob([zip as BlobPart]) });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as ImportJob;
      await vi.waitFor(async () => {
        const job = (await (await importing.request(`/api/admin/upload/jobs/${id}`, { headers: { cookie: admin } })).json()) as ImportJob;
        expect(job.phase).toBe('done');
      }, { timeout: 20_000, interval: 50 });
      const etag = (await storedCadModels(opened.db, 'brcat')).get(1)!.etag;
      await copies.idle();
      expect(copies.pending).toBe(0);
      const first = await importing.request(`/api/meshes/${etag}`, { headers: { cookie, ...brGzip } });
      expect(first.headers.get('content-encoding')).toBe('br');
      expect(new Uint8Array(brotliDecompressSync(new Uint8Array(await first.arrayBuffer())))).toEqual(new Uint8Array((await findMeshByEtag(opened.db, etag))!));
    });
  });

  it('at server start, every stored mesh without a copy gets one in the background, one at a time', async () => {
    await freshCopies('start', async (fresh, copies) => {
      copies.fillMissing(); // what main.ts does once it listens
      const started = createApp({ db: opened.db, dataDir: fresh, meshCopies: copies });
      expect(copies.pending).toBeGreaterThan(0);
      await copies.idle();
      expect(copies.pending).toBe(0);
      for (const etag of [meshEtag, chairEtag]) {
        const res = await started.request(`/api/meshes/${etag}`, { headers: { cookie, ...brGzip } });
        expect(res.headers.get('content-encoding'), etag).toBe('br');
      }
    });
  });

  it('without a copy yet, a request still gets gzip at once and its mesh is made next', async () => {
    await freshCopies('want', async (fresh, copies) => {
      const served = createApp({ db: opened.db, dataDir: fresh, meshCopies: copies });
      const first = await served.request(`/api/meshes/${chairEtag}`, { headers: { cookie, ...brGzip } });
      expect(first.headers.get('content-encoding')).toBe('gzip');
      await copies.idle();
      expect((await served.request(`/api/meshes/${chairEtag}`, { headers: { cookie, ...brGzip } })).headers.get('content-encoding')).toBe('br');
      expect(existsSync(join(fresh, '.cache', 'meshes', `${meshEtag}.br`))).toBe(false); // only the mesh asked for
    });
  });
});

describe('GET /api/images/:imageId', () => {
  it('is immutable when the URL names the version', async () => {
    const res = await get(`/api/images/p1?v=${photoEtag}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('etag')).toBe(`"${photoEtag}"`);
    expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(photo);
  });

  it('must be revalidated without ?v= (or with a stale one), and answers 304 when unchanged', async () => {
    for (const url of ['/api/images/p1', '/api/images/p1?v=stale']) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
    const again = await get('/api/images/p1', { 'if-none-match': `"${photoEtag}"` });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('no-cache');
  });

  it('is 404 with a message when the photo is missing, unknown or outside DATA_DIR', async () => {
    for (const id of ['gone', 'never', 'nope', 'escape']) {
      const res = await get(`/api/images/${id}`);
      expect(res.status, id).toBe(404);
      expect(((await res.json()) as { message: string }).message).toContain(id);
    }
  });

  it('needs a session', async () => {
    expect((await app.request(`/api/images/p1?v=${photoEtag}`)).status).toBe(401);
  });
});

describe('GET /api/images/:imageId?w= (photos at the width the screen needs)', () => {
  // A real JPEG, 600 x 400: left half dark, right half light, so the shrunk copy can be checked.
  const W = 600, H = 400;
  const rgba = new Uint8Array(W * H * 4);
  for (let i = 0; i < W * H; i++) rgba.set((i % W) < W / 2 ? [40, 40, 40, 255] : [220, 220, 220, 255], i * 4);
  const big = encodeJpegRgba({ width: W, height: H, data: rgba }, 90);
  const bigEtag = contentEtag(big);
  const broken = Uint8Array.from({ length: 800 }, (_, i) => (i * 31) % 256);

  beforeAll(async () => {
    writeFileSync(join(dataDir, 'images', 'chair', 'big.jpg'), big);
    writeFileSync(join(dataDir, 'images', 'chair', 'broken.jpg'), broken);
    await upsertImage(opened.db, { id: 'big', category: 'chair', filePath: 'images/chair/big.jpg', width: W, height: H, etag: bigEtag, bytes: big.length });
    await upsertImage(opened.db, { id: 'broken', category: 'chair', filePath: 'images/chair/broken.jpg', width: 1000, height: 800, etag: contentEtag(broken), bytes: broken.length });
  });

  it('sends a JPEG shrunk to the asked width (rounded up to the step), kept on disk and named by its own ETag', async () => {
    const res = await get(`/api/images/big?v=${bigEtag}&w=200`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('etag')).toBe(`"${bigEtag}-w256"`);
    expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.byteLength).toBeLessThan(big.byteLength);
    const img = jpeg.decode(bytes, { useTArray: true });
    expect([img.width, img.height]).toEqual([256, Math.round((H * 256) / W)]);
    // The halves are still dark and light (a shrunk photo, not garbage).
    expect(img.data[(10 * img.width + 20) * 4]!).toBeLessThan(70);
    expect(img.data[(10 * img.width + 230) * 4]!).toBeGreaterThan(190);
    expect(existsSync(join(dataDir, '.cache', 'photos', `${bigEtag}-w256.jpg`))).toBe(true);
    const again = new Uint8Array(await (await get(`/api/images/big?v=${bigEtag}&w=256`)).arrayBuffer());
    expect(again).toEqual(bytes);
  });

  it('shrinks a 48-megapixel phone photo too (the copy a tablet gets, not the 8000-pixel original)', async () => {
    const huge = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: { r: 200, g: 120, b: 40 } } }).jpeg({ quality: 80 }).toBuffer();
    const hugeEtag = contentEtag(huge);
    writeFileSync(join(dataDir, 'images', 'chair', 'huge.jpg'), huge);
    await upsertImage(opened.db, { id: 'huge', category: 'chair', filePath: 'images/chair/huge.jpg', width: 8000, height: 6000, etag: hugeEtag, bytes: huge.length });
    const res = await get(`/api/images/huge?v=${hugeEtag}&w=1000`);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${hugeEtag}-w1024"`);
    const img = jpeg.decode(new Uint8Array(await res.arrayBuffer()), { useTArray: true });
    expect([img.width, img.height]).toEqual([1024, 768]);
    expect(img.data[(400 * 1024 + 500) * 4]!).toBeGreaterThan(180);
  });

  it('sends a photo its EXIF says to turn as stored (Orientation 1, the same bytes otherwise), at full size and shrunk', async () => {
    // 300 x 100 as stored, tagged "turn 90°": a browser would show it 100 x 300 while its box is in the stored frame.
    const turned = await sharp({ create: { width: 300, height: 100, channels: 3, background: { r: 250, g: 10, b: 10 } } }).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect((await sharp(turned).metadata()).orientation).toBe(6);
    writeFileSync(join(dataDir, 'images', 'chair', 'turned.jpg'), turned);
    await upsertImage(opened.db, { id: 'turned', category: 'chair', filePath: 'images/chair/turned.jpg', width: 300, height: 100, etag: contentEtag(turned), bytes: turned.length });
    const res = await get('/api/images/turned');
    // Not the etag of the file's own bytes: a cache holding those must not answer for these.
    expect(res.headers.get('etag')).toBe(`"${contentEtag(turned)}-o1"`);
    const full = Buffer.from(await res.arrayBuffer());
    expect((await sharp(full).metadata()).orientation).toBe(1);
    expect(full.length).toBe(turned.length);
    expect([...full].filter((v, i) => v !== turned[i]).length).toBe(1);
    const small = Buffer.from(await (await get('/api/images/turned?w=128')).arrayBuffer());
    const meta = await sharp(small).metadata();
    expect([meta.width, meta.height, meta.orientation ?? 1]).toEqual([128, 43, 1]);
  });

  it('sends the original when the photo is no wider than asked, or cannot be shrunk', async () => {
    const wide = await get(`/api/images/big?v=${bigEtag}&w=1200`);
    expect(wide.headers.get('etag')).toBe(`"${bigEtag}"`);
    expect(new Uint8Array(await wide.arrayBuffer())).toEqual(big);
    const res = await get('/api/images/broken?w=200');
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(broken);
  });

  it('refuses a width that is not a whole number in range with a 400 naming w', async () => {
    for (const w of ['abc', '0', '8', '1e3', '12.5', '-5', '99999', 'Infinity', 'NaN']) {
      const res = await get(`/api/images/big?w=${w}`);
      expect(res.status, w).toBe(400);
      expect(((await res.json()) as { message: string }).message, w).toMatch(/w/);
    }
  });
});

describe('servedWidth', () => {
  it('rounds the asked width up to the step, caps it, and answers null for the original', () => {
    expect(servedWidth(200, 600)).toBe(256);
    expect(servedWidth(600, 600)).toBeNull();
    expect(servedWidth(100_000, 10_000)).toBe(4096);
  });
});
