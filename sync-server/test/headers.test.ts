// Security headers on every response (API, static, errors) and compression of static files and JSON.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { HSTS } from '../src/middleware/security-headers';
import { createQualityWorld, type QualityWorld } from './quality-world';

let w: QualityWorld;
let root: string;
let app: ReturnType<typeof createApp>;
const BIG_JS = `export const x = ${JSON.stringify('abc '.repeat(2000))};\n`;

beforeAll(async () => {
  w = await createQualityWorld();
  root = mkdtempSync(join(tmpdir(), 'in3d-headers-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>in3d</title>');
  writeFileSync(join(root, 'assets', 'app-1.js'), BIG_JS);
  writeFileSync(join(root, 'assets', 'app-1.js.br'), brotliCompressSync(BIG_JS));
  writeFileSync(join(root, 'assets', 'app-1.js.gz'), gzipSync(BIG_JS));
  writeFileSync(join(root, 'assets', 'stale-1.js'), BIG_JS);
  writeFileSync(join(root, 'assets', 'stale-1.js.br'), brotliCompressSync('old'));
  utimesSync(join(root, 'assets', 'stale-1.js.br'), new Date(2000, 1, 1), new Date(2000, 1, 1));
  app = createApp({ db: w.opened.db, dataDir: w.dataDir, staticDir: root });
});
afterAll(async () => {
  await w.close();
  rmSync(root, { recursive: true, force: true });
});

const cookie = () => w.cookies.boss!;
const CASES: [string, () => Response | Promise<Response>][] = [
  ['API JSON 200', () => app.request('/api/health')],
  ['API 401', () => app.request('/api/me')],
  ['API 404', () => app.request('/api/nothing-here')],
  ['API 400 (validation)', () => app.request('/api/admin/users', { method: 'POST', headers: { cookie: cookie(), 'content-type': 'application/json' }, body: '{"id":1}' })],
  ['API 403 (CSRF)', () => app.request('/api/auth/logout', { method: 'POST', headers: { origin: 'https://evil.example' } })],
  ['API 415', () => app.request('/api/auth/login', { method: 'POST', body: 'x' })],
  ['API 413', () => app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(20_000) })],
  ['static index.html', () => app.request('/')],
  ['static SPA fallback', () => app.request('/tasks/123')],
  ['static asset', () => app.request('/assets/app-1.js')],
  ['static 404 asset', () => app.request('/assets/missing.js')],
  ['static 304', () => app.request('/assets/app-1.js', { headers: { 'if-none-match': '*' } })],
];

describe('security headers', () => {
  it.each(CASES)('%s has CSP, frame-ancestors none, nosniff, Referrer-Policy; no HSTS on http', async (_name, send) => {
    const r = await send();
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'"); // WebAssembly for the mesh decoder, no JS eval
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain("'unsafe-eval'");
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('same-origin');
    expect(r.headers.get('strict-transport-security')).toBeNull();
  });

  it('an unhandled error (500) has them too', async () => {
    const broken = createApp({ db: w.opened.db, dataDir: w.dataDir });
    broken.get('/api/boom', () => {
      throw new Error('boom');
    });
    const r = await broken.request('/api/boom');
    expect(r.status).toBe(500);
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sends HSTS on https, directly or behind a TLS proxy', async () => {
    expect((await app.request('https://lab.example/api/health')).headers.get('strict-transport-security')).toBe(HSTS);
    expect((await app.request('/', { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security')).toBe(HSTS);
  });
});

describe('compression', () => {
  it('serves the precompressed brotli or gzip copy of a static file with Vary and its own ETag', async () => {
    const plain = await app.request('/assets/app-1.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toBe('Accept-Encoding');
    const br = await app.request('/assets/app-1.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(br.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(br.headers.get('etag')).not.toBe(plain.headers.get('etag'));
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(BIG_JS);
    const gz = await app.request('/assets/app-1.js', { headers: { 'accept-encoding': 'gzip, br;q=0' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(BIG_JS);
  });

  it('ignores a precompressed copy older than its file', async () => {
    const r = await app.request('/assets/stale-1.js', { headers: { 'accept-encoding': 'br' } });
    expect(r.headers.get('content-encoding')).toBeNull();
    expect(await r.text()).toBe(BIG_JS);
  });

  it('gzips JSON API answers over 1 KB for clients that accept it', async () => {
    const r = await app.request('/api/admin/users', { headers: { cookie: cookie(), 'accept-encoding': 'gzip' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-encoding')).toBe('gzip');
    const users = JSON.parse(gunzipSync(Buffer.from(await r.arrayBuffer())).toString()) as unknown[];
    expect(users.length).toBeGreaterThan(3);
  });
});
