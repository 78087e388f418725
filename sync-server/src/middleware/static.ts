// Serves the built PWA. The shell files (index.html, sw.js, manifest) must be revalidated on every
// load so an update reaches users; hashed files under assets/ never change, so they are immutable.
// Unknown non-/api paths get index.html (client-side routing); missing assets stay 404.
// The build writes .br and .gz beside compressible files (vite.config.ts precompress); they are
// served when the browser accepts them, with Vary: Accept-Encoding and an ETag per encoding.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const NO_CACHE = 'no-cache';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** True when an If-None-Match header names this (strong) etag, weakly compared as RFC 9110 says. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === `"${etag}"`;
  });
}

/** Answers 304 or 200 with the body, with the ETag and Cache-Control on both. */
export function sendWithEtag(
  c: Context,
  body: Uint8Array,
  opts: { etag: string; cacheControl: string; contentType: string; encoding?: string; vary?: boolean },
) {
  const headers: Record<string, string> = { ETag: `"${opts.etag}"`, 'Cache-Control': opts.cacheControl };
  if (opts.vary) headers.Vary = 'Accept-Encoding';
  if (opts.encoding) headers['Content-Encoding'] = opts.encoding;
  if (etagMatches(c.req.header('if-none-match'), opts.etag)) return c.body(null, 304, headers);
  return c.body(body as Uint8Array<ArrayBuffer>, 200, {
    ...headers,
    'Content-Type': opts.contentType,
    'Content-Length': String(body.byteLength),
  });
}

interface CachedFile {
  mtimeMs: number;
  size: number;
  body: Uint8Array;
  etag: string;
}

const NO_CACHE_FILES = new Set(['index.html', 'sw.js', 'manifest.webmanifest', 'registerSW.js']);

/** Text formats worth compressing; the same list the build precompresses. */
export const COMPRESSIBLE = /\.(html|js|mjs|css|json|webmanifest|svg|txt|map|wasm)$/i;

/** Encodings the browser accepts (q > 0), best first: br, then gzip. */
export function acceptedEncodings(header: string | undefined): ('br' | 'gzip')[] {
  if (!header) return [];
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const qv = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    q.set(name.trim(), qv ? Number(qv.slice(2)) : 1);
  }
  const star = q.get('*');
  return (['br', 'gzip'] as const).filter((enc) => (q.get(enc) ?? star ?? 0) > 0);
}

export function serveBuiltApp(options: { root: string }) {
  const root = resolve(options.root);
  const cache = new Map<string, CachedFile>();

  const load = async (file: string): Promise<CachedFile | undefined> => {
    const st = await stat(file).catch(() => undefined);
    if (!st?.isFile()) return undefined;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const body = new Uint8Array(await readFile(file));
    const entry = { mtimeMs: st.mtimeMs, size: st.size, body, etag: createHash('sha256').update(body).digest('hex').slice(0, 32) };
    cache.set(file, entry);
    return entry;
  };

  return createMiddleware(async (c, next) => {
    const method = c.req.method;
    if ((method !== 'GET' && method !== 'HEAD') || c.req.path === '/api' || c.req.path.startsWith('/api/')) return next();

    let rel: string;
    try {
      rel = decodeURIComponent(c.req.path).replace(/^\/+/, '');
    } catch {
      return next();
    }
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = resolve(root, rel);
    // Never serve outside the build folder (../ in the path).
    if (file !== root && !file.startsWith(root + sep)) return next();

    let entry = await load(file);
    let served = rel;
    if (!entry) {
      if (rel.startsWith('assets/')) return next();
      entry = await load(resolve(root, 'index.html'));
      served = 'index.html';
      if (!entry) return next();
    }
    const cacheControl = served.startsWith('assets/') ? IMMUTABLE : NO_CACHE_FILES.has(served) ? NO_CACHE : 'public, max-age=0, must-revalidate';
    const contentType = contentTypeOf(served);
    if (!COMPRESSIBLE.test(served)) return sendWithEtag(c, entry.body, { etag: entry.etag, cacheControl, contentType });
    const plain = resolve(root, served);
    for (const encoding of acceptedEncodings(c.req.header('accept-encoding'))) {
      const packed = await load(`${plain}${encoding === 'br' ? '.br' : '.gz'}`);
      // Only a precompressed copy at least as new as the file it was made from.
      if (packed && packed.mtimeMs >= entry.mtimeMs)
        return sendWithEtag(c, packed.body, { etag: `${entry.etag}-${encoding}`, cacheControl, contentType, encoding, vary: true });
    }
    return sendWithEtag(c, entry.body, { etag: entry.etag, cacheControl, contentType, vary: true });
  });
}
