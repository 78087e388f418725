// Builds the renderer harness page with Vite (the real worker bundling, as in the app) and serves it
// with the fixtures read in place: OFF meshes are parsed and encoded to the app's binary format on
// request, photos are sent as they are. Used by bench/render.ts and e2e/render-pixel.test.ts.
import { createReadStream, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import { encodeMeshV1 } from '@in3d/shared/mesh/v1';
import { parseOff } from '@in3d/shared/mesh/off';
import { IMAGENET3D } from '../../shared/test/fixtures';
import type { Harness } from './main';

const here = fileURLToPath(new URL('.', import.meta.url));
export const FIXTURES = IMAGENET3D;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.json': 'application/json',
  '.jpeg': 'image/jpeg',
  '.map': 'application/json',
};

let built: Promise<string> | null = null;

/** The page, built once per process into a temp directory. */
function buildPage(): Promise<string> {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'in3d-render-page-'));
    await build({
      configFile: false,
      root: here,
      base: './',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
      worker: { format: 'es' },
    });
    return outDir;
  })();
  return built;
}

const meshCache = new Map<string, Uint8Array>();

/**
 * `category/NN` → the binary mesh, from ../shared/fixtures/imagenet3d/cad/<category>/<NN>.off, in the
 * format the server writes (version 2) or, for the codec bench, the old version 1.
 */
export function fixtureMesh(name: string, version: 1 | 2 = 2): Uint8Array {
  const key = `${name}@${version}`;
  let bytes = meshCache.get(key);
  if (!bytes) {
    if (!/^[a-z_]+\/\d+$/.test(name)) throw new Error(`bad mesh name ${name}`);
    const parsed = parseOff(readFileSync(join(FIXTURES, 'cad', `${name}.off`), 'utf8'));
    if (!parsed.ok) throw new Error(`${name}: line ${parsed.error.line}: ${parsed.error.message}`);
    bytes = version === 1 ? encodeMeshV1(parsed.mesh) : encodeMesh(parsed.mesh);
    meshCache.set(key, bytes);
  }
  return bytes;
}

/** Resolves `rel` under `root`, refusing anything that escapes it. */
function inside(root: string, rel: string): string | null {
  const p = resolve(root, '.' + sep + decodeURIComponent(rel));
  return p.startsWith(root + sep) && existsSync(p) && statSync(p).isFile() ? p : null;
}

export interface RenderPage {
  url: string;
  close(): Promise<void>;
}

export async function serveRenderPage(): Promise<RenderPage> {
  const dist = await buildPage();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    try {
      const mesh = /^\/fixtures\/mesh\/([a-z_]+\/\d+)\.bin$/.exec(path);
      if (mesh) {
        const bytes = fixtureMesh(mesh[1]!, url.searchParams.get('v') === '1' ? 1 : 2);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
        return void res.end(bytes);
      }
      const file = path.startsWith('/fixtures/legacy/')
        ? inside(join(FIXTURES, 'legacy'), path.slice('/fixtures/legacy/'.length))
        : inside(dist, path === '/' ? 'index.html' : path.slice(1));
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return void res.end(`not found: ${path}`);
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    } catch (e) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(e instanceof Error ? e.message : String(e));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export { launchChromium } from '../../e2e/chromium';

/**
 * A page on the harness with `window.harness` ready, at device scale 1 so canvas pixels are screen
 * pixels. `initScript` runs before the page's own scripts (e.g. to remove an API and test a fallback).
 */
export async function openHarness(browser: Browser, url: string, initScript?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
  if (initScript) await page.addInitScript(initScript);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => 'harness' in window, undefined, { timeout: 30_000 }).catch(() => {
    throw new Error(`harness did not load: ${errors.join('; ') || 'no page error'}`);
  });
  return page;
}

/** Calls a harness method in the page. */
export function call<K extends keyof Harness>(page: Page, method: K, ...args: Parameters<Harness[K]>): Promise<Awaited<ReturnType<Harness[K]>>> {
  return page.evaluate(
    ([m, a]) => {
      const h = (window as unknown as { harness: Record<string, (...x: unknown[]) => unknown> }).harness;
      return h[m as string]!(...(a as unknown[]));
    },
    [method, args] as const,
  ) as Promise<Awaited<ReturnType<Harness[K]>>>;
}
