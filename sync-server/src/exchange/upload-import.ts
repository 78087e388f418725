// One uploaded archive → one import job: unpack (confined), find which layout it holds, run the same
// importer the CLI runs. Layouts: the original tool's folder (database.sqlite at the top), an ImageNet3D
// release folder (.npz files), or CAD models alone (<category>/<NN>.off) to add subtypes.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Db } from '../db/connect';
import { fileSha256 } from '../files/file-sha256';
import { planCategory, saveCadModels, targetCategory } from './cad';
import { importImagenet3d } from './imagenet3d';
import { type ImportJob, jobDir, type JobStore, jobSummary } from './jobs';
import { importLegacy } from './legacy';
import { ExchangeError, type Report, Reports } from './report';
import type { ImportSummary } from './summary';
import { type ArchiveKind, unpackArchive } from './unpack';

/** The folder that holds the dataset: the unpacked root, or its only subfolder (a zipped folder). */
function datasetRoot(dir: string): string {
  const entries = readdirSync(dir).filter((n) => !n.startsWith('.') && n !== '__MACOSX');
  if (entries.length === 1 && statSync(join(dir, entries[0]!)).isDirectory() && !existsSync(join(dir, 'database.sqlite'))) {
    const inner = join(dir, entries[0]!);
    if (detect(inner) !== 'unknown' || detect(dir) === 'unknown') return inner;
  }
  return dir;
}

function hasFile(dir: string, test: (name: string) => boolean, depth = 3): boolean {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isFile() && test(e.name)) return true;
    if (e.isDirectory() && depth > 0 && hasFile(join(dir, e.name), test, depth - 1)) return true;
  }
  return false;
}

/** A dataset folder's own CAD models (cad/ or CAD/), which the CLI imports too when no --cad is given. */
export const cadFolderOf = (root: string) => ['cad', 'CAD'].map((n) => join(root, n)).find((p) => existsSync(p));

export function detect(root: string): ImportJob['kind'] {
  if (existsSync(join(root, 'database.sqlite'))) return 'legacy';
  if (hasFile(root, (n) => n.toLowerCase().endsWith('.npz'))) return 'imagenet3d';
  // <category>/<NN>.off, or cad/<category>/<NN>.off: the models lie in a subfolder named by their category. A folder
  // holding NN.off itself is one category, so a zipped category folder is imported from the folder above it.
  const isModel = (n: string) => /^\d+\.off$/i.test(n);
  if (readdirSync(root, { withFileTypes: true }).some((e) => e.isDirectory() && hasFile(join(root, e.name), isModel, 1))) return 'cad';
  return 'unknown';
}

/**
 * CAD models alone: every <category>/<NN>.off under the folder, stored as <categoryPrefix><category>. A
 * subtype the server holds with the same geometry is kept; one that holds a different mesh is reported and never overwritten (the same rule as
 * every import, cad.ts); a demo category is refused.
 */
async function importCadOnly(db: Db, cadDir: string, categoryPrefix: string | undefined, reports: Reports): Promise<Omit<ImportSummary, 'reports'>> {
  const started = Date.now();
  let categories = 0, imported = 0, kept = 0;
  for (const category of readdirSync(cadDir).filter((n) => statSync(join(cadDir, n)).isDirectory()).sort()) {
    let target: string;
    try {
      target = targetCategory(category, categoryPrefix);
    } catch (e) {
      if (!(e instanceof ExchangeError)) throw e;
      reports.add(join(cadDir, category), 'bad_value', e.message);
      continue;
    }
    const { plan } = await planCategory(db, cadDir, category, target, reports);
    for (const c of plan.conflicts) reports.add(c.path, c.reason, c.message);
    await db.transaction().execute((trx) => saveCadModels(trx, target, plan.models));
    categories++;
    imported += plan.models.length;
    kept += plan.present.length;
  }
  return {
    kind: 'cad', source: cadDir, users: { created: [], existing: [] }, tasks: { found: 0, imported: 0 },
    questions: { found: 0, imported: 0, notImported: 0 }, photos: { stored: 0, missing: 0 },
    annotations: { found: 0, imported: 0, alreadyPresent: 0 }, cadModels: { categories, imported, kept },
    byReason: reports.byReason(), durationMs: Date.now() - started,
  };
}

/** Where a job's uploaded archive of `kind` is kept until it is unpacked. */
export const uploadPath = (dir: string, kind: ArchiveKind) => join(dir, `upload.${kind}`);

/**
 * Runs a job whose archive (.zip, .tar or .tar.gz) is at `uploadPath`; never throws (a failure is the
 * job's state). `maxUnpackedBytes` caps what it may unpack to (unpack.ts).
 */
export async function runImportJob(
  db: Db,
  dataDir: string,
  jobs: JobStore,
  job: { id: string; size: number; archive: ArchiveKind; userPrefix?: string; categoryPrefix?: string; maxUnpackedBytes?: number; afterImport?: () => void },
): Promise<void> {
  const { id, size } = job;
  const dir = jobDir(dataDir, id);
  const archive = uploadPath(dir, job.archive);
  const files = join(dir, 'files');
  const reports = new Reports();
  const relativeReports = (items: readonly Report[]): Report[] =>
    items.map((r) => ({ ...r, path: r.path.startsWith(files) ? relative(files, r.path) : r.path.replace(/^upload:/, '') }));
  try {
    jobs.update(id, { phase: 'unpacking', progress: 0, label: 'unpacking' });
    await unpackArchive(job.archive, archive, files, reports, { onBytes: (read) => jobs.update(id, { progress: size ? read / size : 0 }), maxBytes: job.maxUnpackedBytes });
    rmSync(archive);
    const root = datasetRoot(files);
    const kind = detect(root);
    // Only the original tool's folder names people; the admin who typed a prefix for them hears that it did nothing.
    if (job.userPrefix && kind !== 'legacy' && kind !== 'unknown')
      reports.add('userPrefix', 'prefix_not_used', `the people prefix "${job.userPrefix}" was not used: ${kind === 'cad' ? 'CAD models alone name' : 'release files name'} no people`);
    jobs.update(id, { kind, phase: 'importing', progress: 0, label: kind, reports: relativeReports(reports.items) });
    const onProgress = (done: number, total: number, label: string) => jobs.update(id, { progress: total ? done / total : 0, label });
    let summary: Omit<ImportSummary, 'reports'> & { reports?: Report[] };
    if (kind === 'legacy') {
      // The same database uploaded again is the same dataset: its people are the accounts the first upload
      // made. Named by its content, not the archive's name: another dataset in a "data.zip" is other people.
      const origin = `upload:sha256:${await fileSha256(join(root, 'database.sqlite'))}`;
      summary = await importLegacy(db, { source: root, cadDir: cadFolderOf(root), dataDir, onProgress, origin, identity: { userPrefix: job.userPrefix }, categoryPrefix: job.categoryPrefix });
    } else if (kind === 'imagenet3d') summary = await importImagenet3d(db, { source: root, cadDir: cadFolderOf(root), dataDir, onProgress, categoryPrefix: job.categoryPrefix });
    else if (kind === 'cad') summary = await importCadOnly(db, cadFolderOf(root) ?? root, job.categoryPrefix, reports);
    else throw new Error('The archive holds no known layout: no database.sqlite (the original tool), no .npz (a release), no <category>/<NN>.off (CAD models)');
    const all = [...reports.items, ...(kind === 'cad' ? [] : (summary.reports ?? []))];
    job.afterImport?.();
    jobs.update(id, { phase: 'done', progress: 1, label: 'done', summary: jobSummary(summary), reports: relativeReports(all), finishedAt: new Date().toISOString() });
  } catch (e) {
    job.afterImport?.(); // a failed import may have stored some of its meshes
    jobs.update(id, { phase: 'failed', error: (e as Error).message, reports: relativeReports(reports.items), finishedAt: new Date().toISOString() });
  } finally {
    rmSync(files, { recursive: true, force: true }); // photos were copied into DATA_DIR; the rest is not needed
    rmSync(archive, { force: true });
  }
}
