// Backup and restore of DATA_DIR. The database is copied with SQLite's online backup API (through
// better-sqlite3's `db.backup()`): a consistent snapshot of everything committed, including what is
// still in the WAL, while the server keeps running. (Copying annotator.sqlite with cp misses the WAL.)
// Photos and other files under DATA_DIR are listed in a manifest (path, size, sha256) and, with
// `files`, copied beside the backup, so a restore can say exactly what is missing.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import SQLite from 'better-sqlite3';
import { fileSha256 } from '../files/file-sha256';

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}
export interface BackupManifest {
  format: 'in3d-backup-1';
  createdAt: string;
  database: { file: string; bytes: number; sha256: string; migrations: string[] };
  /** Files under DATA_DIR besides the database (photos); copied to `filesDir` when it is set. */
  files: ManifestFile[];
  filesDir: string | null;
}

export const manifestPathOf = (backupFile: string) => `${backupFile}.manifest.json`;
export const filesDirOf = (backupFile: string) => `${backupFile}.files`;

/** Every regular file under `dir`, relative, skipping the database (and its WAL) and our own backups. */
function dataFiles(dir: string, dbFile: string, skip: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (skip.some((s) => p === s || p.startsWith(s + sep))) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !p.startsWith(dbFile)) out.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

function migrationsIn(file: string): string[] {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const ok = db.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new Error(`${file} fails SQLite's integrity check: ${String(ok)}`);
    const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`).get();
    if (!hasTable) throw new Error(`${file} is not an annotator database (no migrations table)`);
    return (db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

export async function backupDataDir(opts: { dataDir: string; dbFile: string; out: string; files?: boolean }): Promise<BackupManifest> {
  const out = resolve(opts.out);
  if (existsSync(out)) throw new Error(`${out} exists; choose a new file name (a backup never overwrites)`);
  mkdirSync(dirname(out), { recursive: true });
  const src = new SQLite(opts.dbFile, { fileMustExist: true });
  try {
    // Pages are copied in steps; a write by the server in between restarts the copy. Taking all
    // remaining pages in the next step keeps that window to one event-loop turn.
    await src.backup(out, { progress: ({ remainingPages }) => Math.max(remainingPages, 100) });
  } finally {
    src.close();
  }
  const skip = [out, manifestPathOf(out), filesDirOf(out)];
  const files: ManifestFile[] = [];
  for (const rel of dataFiles(opts.dataDir, opts.dbFile, skip)) {
    const abs = join(opts.dataDir, rel);
    files.push({ path: rel, bytes: statSync(abs).size, sha256: await fileSha256(abs) });
    if (opts.files) {
      const dest = join(filesDirOf(out), rel);
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(abs, dest);
    }
  }
  const manifest: BackupManifest = {
    format: 'in3d-backup-1',
    createdAt: new Date().toISOString(),
    database: { file: out, bytes: statSync(out).size, sha256: await fileSha256(out), migrations: migrationsIn(out) },
    files,
    filesDir: opts.files ? filesDirOf(out) : null,
  };
  writeFileSync(manifestPathOf(out), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export interface RestoreResult {
  /** Where the database that was there before went (undefined: there was none). */
  previous?: string;
  restoredFiles: number;
  /** Files the manifest lists that are neither in DATA_DIR (same size) nor in the backup's files folder. */
  missing: string[];
}

/** Replaces DATA_DIR's database with a backup. The server must be stopped (README "Backups"). */
export async function restoreDataDir(opts: { dataDir: string; dbFile: string; from: string; knownMigrations: readonly string[] }): Promise<RestoreResult> {
  const from = resolve(opts.from);
  if (!existsSync(from)) throw new Error(`No backup at ${from}`);
  const migrations = migrationsIn(from);
  const unknown = migrations.filter((m) => !opts.knownMigrations.includes(m));
  if (unknown.length) throw new Error(`The backup is from a newer version (migrations ${unknown.join(', ')}); update the server first`);
  const manifestFile = manifestPathOf(from);
  const manifest = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest) : undefined;
  if (manifest && manifest.database.sha256 !== (await fileSha256(from))) throw new Error(`${from} does not match its manifest (changed or damaged)`);

  mkdirSync(opts.dataDir, { recursive: true });
  let previous: string | undefined;
  if (existsSync(opts.dbFile)) {
    const old = new SQLite(opts.dbFile, { timeout: 0 });
    try {
      // Refused while another program has the database open: a running server would go on writing to the
      // file set aside (its handle follows the rename) and to a deleted WAL, so every save it acknowledged
      // from then on would be lost. In WAL mode each open connection holds a shared lock, so an exclusive
      // one cannot be had.
      old.pragma('locking_mode = EXCLUSIVE');
      try {
        old.exec('BEGIN EXCLUSIVE; COMMIT');
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
        throw new Error(`${opts.dbFile} is open in another program (the server?): stop the server, then restore. Nothing was changed`);
      }
      // Fold the WAL into the old file first, so the copy set aside is complete on its own.
      old.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      old.close();
    }
    previous = `${opts.dbFile}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(opts.dbFile, previous);
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${opts.dbFile}${suffix}`, { force: true });
  const tmp = `${opts.dbFile}.restoring`;
  copyFileSync(from, tmp);
  renameSync(tmp, opts.dbFile);

  let restoredFiles = 0;
  const missing: string[] = [];
  for (const f of manifest?.files ?? []) {
    const dest = join(opts.dataDir, f.path);
    if (existsSync(dest) && statSync(dest).size === f.bytes) continue;
    const saved = manifest?.filesDir ? join(manifest.filesDir, f.path) : undefined;
    if (saved && existsSync(saved)) {
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(saved, dest);
      restoredFiles++;
    } else missing.push(f.path);
  }
  return { previous, restoredFiles, missing };
}
