// Importing the original tool's shipped default database (27 tasks, 18 annotators, 15,430 question
// rows whose photos and files are absent) into a fresh DATA_DIR, then again (the idempotent re-run),
// and the small fixture folder with its photos and 20 CAD models. Format: `import <case> <figure> <value>`.
// The budget is 10 s wall for the default database. Alone: `npx tsx bench/import.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateToLatest, openDatabase } from '../sync-server/src/db/connect';
import { importLegacy } from '../sync-server/src/exchange/legacy';
import { IMAGENET3D } from '../shared/test/fixtures';

const legacy = join(IMAGENET3D, 'legacy');
const cadDir = join(IMAGENET3D, 'cad');
export const needsFixtures = true;

async function timed(name: string, work: () => Promise<{ questions: { found: number; imported: number }; reports: unknown[] }>) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const s = await work();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  console.log(`import ${name} wall_s ${(wall / 1000).toFixed(2)}`);
  console.log(`import ${name} cpu_s ${((cpu.user + cpu.system) / 1e6).toFixed(2)}`);
  console.log(`import ${name} rows ${s.questions.found} imported ${s.questions.imported} reported ${s.reports.length}`);
}

export async function run(): Promise<void> {
  for (const [name, legacyDb] of [['default_db', join(legacy, 'database_default.sqlite')], ['fixture', undefined]] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'in3d-bench-import-'));
    const { db, close } = openDatabase(join(dir, 'annotator.sqlite'));
    try {
      await migrateToLatest(db);
      const o = { source: legacy, cadDir, legacyDb, dataDir: dir };
      await timed(name, () => importLegacy(db, o));
      await timed(`${name}_rerun`, () => importLegacy(db, o));
    } finally {
      await close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
