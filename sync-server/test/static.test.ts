import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { migrateToLatest, openDatabase, type OpenedDb } from '../src/db/connect';

let opened: OpenedDb;
let root: string;
let app: ReturnType<typeof createApp>;
const INDEX = '<!doctype html><title>in3d</title>';

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'in3d-static-'));
  root = join(dir, 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'sw.js'), 'self.x = 1;');
  writeFileSync(join(root, 'manifest.webmanifest'), '{"name":"in3d"}');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(root, 'icon.png'), Uint8Array.of(137, 80, 78, 71));
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  opened = openDatabase(':memory:');
  await migrateToLatest(opened.db);
  app = createApp({ db: opened.db, dataDir: dir, staticDir: root });
});
afterAll(async () => {
  await opened.close();
  rmSync(join(root, '..'), { recursive: true, force: true });
});

describe('serveBuiltApp', () => {
  it.each([
    ['/', 'text/html; charset=utf-8', 'no-cache'],
    ['/index.html', 'text/html; charset=utf-8', 'no-cache'],
    ['/sw.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ['/manifest.webmanifest', 'application/manifest+json', 'no-cache'],
    ['/assets/index-abc123.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/icon.png', 'image/png', 'public, max-age=0, must-revalidate'],
  ])('%s: %s, %s, strong ETag', async (path, type, cache) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe(cache);
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('answers 304 on a matching If-None-Match', async () => {
    const etag = (await app.request('/sw.js')).headers.get('etag')!;
    const res = await app.request('/sw.js', { headers: { 'if-none-match': etag } });
    expect(res.status).toBe(304);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toBe('');
  });

  it('falls back to index.html for client-side routes', async () => {
    for (const path of ['/tasks', '/tasks/t1/3', '/login?next=%2F']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('does not answer index.html for a missing asset, an /api route or a non-GET', async () => {
    expect((await app.request('/assets/missing-123.js')).status).toBe(404);
    const api = await app.request('/api/nope');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
    expect((await app.request('/tasks', { method: 'POST' })).status).toBe(404);
  });

  it('never serves files outside the build folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await app.request(path);
      expect(await res.text(), path).not.toBe('secret');
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await app.request('/assets/index-abc123.js', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe('');
  });
});
