// `npm run bench`: every benchmark, one figure a line. Each bench/<name>.ts exports run(), and
// `needsFixtures = true` when it reads ../shared/fixtures (skipped, with a line saying so, on a lone clone).
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hasFixtures, missingFixturesLine } from '../shared/test/fixtures';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();

for (const name of names) {
  const mod = (await import(pathToFileURL(`${dir}${name}.ts`).href)) as { run?: () => Promise<void>; needsFixtures?: boolean };
  if (typeof mod.run !== 'function') continue;
  if (mod.needsFixtures === true && !hasFixtures) {
    console.log(`# ${name} skipped: ${missingFixturesLine}`);
    continue;
  }
  console.log(`# ${name}`);
  await mod.run();
}
