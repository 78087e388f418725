// The two mesh encodings side by side on every fixture CAD model, one figure a line:
//   mesh <category/NN> <figure> <value>   and   mesh total <figure> <value> (sums over the models).
// v1_* is the project's own format (shared/src/mesh/v1.ts), v2_* meshoptimizer's (v2.ts, what the
// server writes). Each holds the vertices, the triangles and the overlay's edge list.
//   *_bytes          the file as stored (and as a device keeps it)
//   *_gzip_bytes     gzip level 6: what /api/meshes sends (the compress middleware) to a browser
//   *_brotli_bytes   brotli quality 11: what a precompressed copy would weigh
//   *_decode_ms      decodeMesh in Node, median of DECODE_RUNS after one warm-up; *_decode_min_ms the
//                    fastest (on a shared machine the least disturbed)
//   *_chromium_worker_decode_ms   the same in a worker of headless Chromium (the realm the render
//                    and Snap workers decode in); *_chromium_worker_first_decode_ms its first decode
//                    in a fresh worker (for v2 that includes starting the WASM decoder)
// Alone: `npx tsx bench/mesh.ts` (MESH_BENCH_CHROMIUM=0 skips Chromium); with the others: `npm run bench`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { decodeMesh } from '@in3d/shared/mesh/codec';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import { parseOff } from '@in3d/shared/mesh/off';
import { encodeMeshV1 } from '@in3d/shared/mesh/v1';
import { IMAGENET3D } from '../shared/test/fixtures';
import { call, launchChromium, openHarness, serveRenderPage } from './render-page/serve';

const RUNS = 5;
const DECODE_RUNS = 9;
const cadDir = join(IMAGENET3D, 'cad') + sep;
export const needsFixtures = true;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function medianMs(fn: () => unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const gzipBytes = (b: Uint8Array) => gzipSync(b, { level: 6 }).length;
const brotliBytes = (b: Uint8Array) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

export async function run(): Promise<void> {
  const names = readdirSync(cadDir)
    .sort()
    .flatMap((c) => readdirSync(cadDir + c).filter((f) => f.endsWith('.off')).sort().map((f) => `${c}/${f.slice(0, -4)}`));
  const total = new Map<string, number>();
  const line = (name: string, figure: string, value: number, digits = 0) => {
    console.log(`mesh ${name} ${figure} ${value.toFixed(digits)}`);
    total.set(figure, (total.get(figure) ?? 0) + value);
  };
  const encoders = { v1: encodeMeshV1, v2: encodeMesh } as const;
  for (const name of names) {
    const path = `${cadDir}${name}.off`;
    const text = readFileSync(path, 'utf8');
    const parsed = parseOff(text);
    if (!parsed.ok) throw new Error(`${name}: line ${parsed.error.line}: ${parsed.error.message}`);
    line(name, 'off_bytes', statSync(path).size);
    line(name, 'parse_ms', await medianMs(() => parseOff(text)), 2);
    const files: Record<string, Uint8Array> = {};
    for (const [v, encode] of Object.entries(encoders)) {
      const bytes = (files[v] = encode(parsed.mesh));
      const check = await decodeMesh(bytes);
      if (!check.ok) throw new Error(`${name} ${v}: does not decode: ${check.error}`);
      line(name, `${v}_bytes`, bytes.length);
      line(name, `${v}_gzip_bytes`, gzipBytes(bytes));
      line(name, `${v}_brotli_bytes`, brotliBytes(bytes));
      line(name, `${v}_encode_ms`, await medianMs(() => encode(parsed.mesh)), 2);
    }
    // Decodes alternate between the versions, so a busy machine slows both alike.
    const times: Record<string, number[]> = { v1: [], v2: [] };
    for (let i = 0; i <= DECODE_RUNS; i++)
      for (const v of ['v1', 'v2']) {
        const t0 = performance.now();
        await decodeMesh(files[v]!);
        if (i > 0) times[v]!.push(performance.now() - t0);
      }
    for (const v of ['v1', 'v2']) {
      line(name, `${v}_decode_ms`, median(times[v]!), 2);
      line(name, `${v}_decode_min_ms`, Math.min(...times[v]!), 2);
    }
  }
  if (process.env.MESH_BENCH_CHROMIUM !== '0') await inChromium(names, line);
  for (const [figure, value] of total) if (!figure.endsWith('_min_ms')) console.log(`mesh total ${figure} ${value.toFixed(figure.endsWith('_ms') ? 2 : 0)}`);
}

/** Decode times in a Chromium worker, through the renderer harness page (its decode worker). */
async function inChromium(names: string[], line: (name: string, figure: string, value: number, digits?: number) => void): Promise<void> {
  const site = await serveRenderPage();
  const browser = await launchChromium();
  try {
    const page = await openHarness(browser, site.url);
    for (const name of names)
      for (const version of [1, 2] as const) {
        const r = await call(page, 'decodeInWorker', name, version, RUNS);
        line(name, `v${version}_chromium_worker_decode_ms`, median(r.times), 2);
        line(name, `v${version}_chromium_worker_first_decode_ms`, r.firstMs, 2);
      }
    await page.close();
  } finally {
    await browser.close();
    await site.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
