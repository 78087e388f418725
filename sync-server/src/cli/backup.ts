// `backup <file>` and `restore <file>`: see db/backup.ts and README "Backups".
import { resolve } from 'node:path';
import { backupDataDir, manifestPathOf, restoreDataDir } from '../db/backup';
import { migrations } from '../db/migrations/index';
import { JobStore } from '../exchange/jobs';
import { DB_FILE } from './context';
import { CliError, type Command } from './registry';

const expected = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
};

export const backupCommands: Command[] = [
  {
    name: 'backup',
    summary: 'Copies the database with SQLite online backup (safe while the server runs) and writes <file>.manifest.json listing the photos.',
    args: ['file'],
    options: { files: { type: 'boolean', description: 'also copy the photos and other DATA_DIR files to <file>.files/' } },
    async run({ args, options }, ctx) {
      const m = await expected(() =>
        backupDataDir({ dataDir: ctx.dataDir, dbFile: resolve(ctx.dataDir, DB_FILE), out: args.file!, files: options.files === true }),
      );
      const bytes = m.files.reduce((s, f) => s + f.bytes, 0);
      ctx.out(`Backed up the database (${(m.database.bytes / 1024 / 1024).toFixed(1)} MB) to ${m.database.file}`);
      ctx.out(`${m.files.length} files (${(bytes / 1024 / 1024).toFixed(1)} MB) ${m.filesDir ? `copied to ${m.filesDir}` : 'listed'} in ${manifestPathOf(m.database.file)}`);
    },
  },
  {
    name: 'restore',
    summary: 'Replaces the database in DATA_DIR with a backup (stop the server first); the old one is kept beside it.',
    args: ['file'],
    async run({ args }, ctx) {
      const r = await expected(() =>
        restoreDataDir({ dataDir: ctx.dataDir, dbFile: resolve(ctx.dataDir, DB_FILE), from: args.file!, knownMigrations: Object.keys(migrations) }),
      );
      ctx.out(`Restored ${args.file} into ${ctx.dataDir}${r.previous ? `; the previous database is ${r.previous}` : ''}`);
      if (r.restoredFiles) ctx.out(`${r.restoredFiles} files copied back from the backup`);
      // Without a manifest there is no time to compare with: the jobs stay listed.
      const undone = r.backupTakenAt ? new JobStore(ctx.dataDir).markUndoneByRestore(r.backupTakenAt) : [];
      if (undone.length)
        ctx.out(`${undone.length} upload jobs ended after this backup was taken (${undone.map((j) => j.fileName).join(', ')}): their imports may be missing now, so the Import page no longer lists them; upload them again`);
      if (r.missing.length) ctx.out(`Missing files (listed in the manifest, not found): ${r.missing.length}\n  ${r.missing.slice(0, 20).join('\n  ')}`);
    },
  },
];
