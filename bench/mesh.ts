// Mesh codec on every fixture CAD model: `mesh <category/NN> <figure> <value>`, one figure a line.
// Timings are the median of RUNS runs after one warm-up, so the JIT has compiled the hot loops.
// Alone: `npx tsx bench/mesh.ts`; with the others: `npm run bench`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeMesh, encodeMesh } from '@in3d/shared/mesh/codec';
import { parseOff } from '@in3d/shared/mesh/off';
import { IMAGENET3D } from '../shared/test/fixtures';

const RUNS = 5;
const cadDir = join(IMAGENET3D, 'cad') + sep;
export const needsFixtures = true;

function medianMs(fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[RUNS >> 1]!;
}

export async function run(): Promise<void> {
  const names = readdirSync(cadDir)
    .sort()
    .flatMap((c) => readdirSync(cadDir + c).filter((f) => f.endsWith('.off')).sort().map((f) => `${c}/${f.slice(0, -4)}`));
  for (const name of names) {
    const path = `${cadDir}${name}.off`;
    const text = readFileSync(path, 'utf8');
    const parsed = parseOff(text);
    if (!parsed.ok) throw new Error(`${name}: line ${parsed.error.line}: ${parsed.error.message}`);
    const bytes = encodeMesh(parsed.mesh);
    if (!decodeMesh(bytes).ok) throw new Error(`${name}: does not decode`);
    console.log(`mesh ${name} parse_ms ${medianMs(() => parseOff(text)).toFixed(2)}`);
    console.log(`mesh ${name} encode_ms ${medianMs(() => encodeMesh(parsed.mesh)).toFixed(2)}`);
    console.log(`mesh ${name} decode_ms ${medianMs(() => decodeMesh(bytes)).toFixed(2)}`);
    console.log(`mesh ${name} off_bytes ${statSync(path).size}`);
    console.log(`mesh ${name} bin_bytes ${bytes.length}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
