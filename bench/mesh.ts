// The mesh encodings side by side on every fixture CAD model, one figure a line:
//   mesh <category/NN> <figure> <value>   and   mesh total <figure> <value> (sums over the models).
// Encodings: v1 is the project's own format (shared/src/mesh/v1.ts), v2 meshoptimizer's (v2.ts, what
// the server stores and sends), v3 a gzip-wrapped v2 (v3.ts, what a device keeps). Each holds the
// vertices, the triangles and the overlay's edge list. Figures:
//   <v>_server_bytes       what the server keeps in the database (v1 before format 2, v2 now)
//   v2_server_cache_bytes  the precompressed copies under DATA_DIR/.cache/meshes (br + gz)
//   v1_wire_gzip_bytes     what a v1 mesh cost on the wire (gzip level 6 per request, the old middleware)
//   v2_wire_gzip_bytes, v2_wire_br_bytes   what /api/meshes sends now: precompressed gzip -9 (to a client
//                          without br, and to the first one after an import), brotli q11 (every later one)
//   <v>_device_bytes       what IndexedDB holds: v1 as it came; v2 as HTTP delivered it (before
//                          format 3); v3 what packMesh makes of it now
//   <v>_decode_ms          decodeMesh in Node, median of DECODE_RUNS after one warm-up (versions
//                          alternate so a busy machine slows all alike); <v>_decode_min_ms the fastest
//   v3_pack_ms             packMesh in Node (the device does it once per mesh, when it stores it)
//   <v>_chromium_worker_decode_ms   the same in a worker of headless Chromium (the realm the render
//                          and Snap workers decode in); <v>_chromium_worker_first_decode_ms its first
//                          decode in a fresh worker (for v2 and v3 that includes starting the WASM decoder)
//   v3_chromium_page_pack_ms   packMesh on the page in Chromium, where the catalogue stores meshes, and
//   v3_chromium_device_bytes   what it made (Chromium's CompressionStream, as a device keeps it);
//   v3_chromium_page_pack_longest_task_ms   the longest stretch of it between two yields (64 KiB pieces)
// Alone: `npx tsx bench/mesh.ts` (MESH_BENCH_CHROMIUM=0 skips Chromium); with the others: `npm run bench`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { decodeMesh, packMesh } from '@in3d/shared/mesh/codec';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import { parseOff } from '@in3d/shared/mesh/off';
import { encodeMeshV1 } from '@in3d/shared/mesh/v1';
import { IMAGENET3D } from '../shared/test/fixtures';
import { call, launchChromium, openHarness, serveRenderPage } from './render-page/serve';

const RUNS = 5;
const DECODE_RUNS = 9;
const VERSIONS = ['v1', 'v2', 'v3'] as const;
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

// The server's settings: the old per-request middleware (level 6), the precompressed copies (files/mesh-encodings.ts).
const gzipBytes = (b: Uint8Array, level: number) => gzipSync(b, { level }).length;
const brotliBytes = (b: Uint8Array) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length;

export async function run(): Promise<void> {
  const names = readdirSync(cadDir)
    .sort()
    .flatMap((c) => readdirSync(cadDir + c).filter((f) => f.endsWith('.off')).sort().map((f) => `${c}/${f.slice(0, -4)}`));
  const total = new Map<string, number>();
  const line = (name: string, figure: string, value: number, digits = 0) => {
    console.log(`mesh ${name} ${figure} ${value.toFixed(digits)}`);
    total.set(figure, (total.get(figure) ?? 0) + value);
  };
  for (const name of names) {
    const path = `${cadDir}${name}.off`;
    const text = readFileSync(path, 'utf8');
    const parsed = parseOff(text);
    if (!parsed.ok) throw new Error(`${name}: line ${parsed.error.line}: ${parsed.error.message}`);
    line(name, 'off_bytes', statSync(path).size);
    line(name, 'parse_ms', await medianMs(() => parseOff(text)), 2);
    const v1 = encodeMeshV1(parsed.mesh), v2 = encodeMesh(parsed.mesh), v3 = await packMesh(v2);
    const files = { v1, v2, v3 };
    for (const v of VERSIONS) {
      const check = await decodeMesh(files[v]);
      if (!check.ok) throw new Error(`${name} ${v}: does not decode: ${check.error}`);
    }
    line(name, 'v1_server_bytes', v1.length);
    line(name, 'v1_wire_gzip_bytes', gzipBytes(v1, 6));
    line(name, 'v1_device_bytes', v1.length);
    line(name, 'v2_server_bytes', v2.length);
    const [v2gz, v2br] = [gzipBytes(v2, 9), brotliBytes(v2)];
    line(name, 'v2_server_cache_bytes', v2gz + v2br);
    line(name, 'v2_wire_gzip_bytes', v2gz);
    line(name, 'v2_wire_br_bytes', v2br);
    line(name, 'v2_device_bytes', v2.length);
    line(name, 'v3_device_bytes', v3.length);
    line(name, 'v1_encode_ms', await medianMs(() => encodeMeshV1(parsed.mesh)), 2);
    line(name, 'v2_encode_ms', await medianMs(() => encodeMesh(parsed.mesh)), 2);
    line(name, 'v3_pack_ms', await medianMs(() => packMesh(v2)), 2);
    const times: Record<string, number[]> = { v1: [], v2: [], v3: [] };
    for (let i = 0; i <= DECODE_RUNS; i++)
      for (const v of VERSIONS) {
        const t0 = performance.now();
        await decodeMesh(files[v]);
        if (i > 0) times[v]!.push(performance.now() - t0);
      }
    for (const v of VERSIONS) {
      line(name, `${v}_decode_ms`, median(times[v]!), 2);
      line(name, `${v}_decode_min_ms`, Math.min(...times[v]!), 2);
    }
  }
  if (process.env.MESH_BENCH_CHROMIUM !== '0') await inChromium(names, line);
  for (const [figure, value] of total) if (!figure.endsWith('_min_ms') && !figure.includes('_longest_')) console.log(`mesh total ${figure} ${value.toFixed(figure.endsWith('_ms') ? 2 : 0)}`);
}

/** Decode times in a Chromium worker, through the renderer harness page (its decode worker). */
async function inChromium(names: string[], line: (name: string, figure: string, value: number, digits?: number) => void): Promise<void> {
  const site = await serveRenderPage();
  const browser = await launchChromium();
  try {
    const page = await openHarness(browser, site.url);
    for (const name of names)
      for (const version of [1, 2, 3] as const) {
        const r = await call(page, 'decodeInWorker', name, version, RUNS);
        line(name, `v${version}_chromium_worker_decode_ms`, median(r.times), 2);
        line(name, `v${version}_chromium_worker_first_decode_ms`, r.firstMs, 2);
        if (version === 3) {
          line(name, 'v3_chromium_page_pack_ms', r.packMs, 2);
          line(name, 'v3_chromium_page_pack_longest_task_ms', r.longestMs, 2);
          line(name, 'v3_chromium_device_bytes', r.bytes);
        }
      }
    await page.close();
  } finally {
    await browser.close();
    await site.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
