// Where the server and the CLI find their data: one SQLite file inside DATA_DIR.
import { resolve } from 'node:path';
import { migrateToLatest, openDatabase, type OpenedDb } from '../db/connect';

export const DB_FILE = 'annotator.sqlite';

export function dataDirFromEnv(): string {
  return resolve(process.env.DATA_DIR ?? './data');
}

/** The server keeps the default short busy timeout; the CLI passes CLI_BUSY_TIMEOUT_MS. */
export async function openDataDir(dataDir: string, opts: { busyTimeoutMs?: number } = {}): Promise<OpenedDb> {
  const opened = openDatabase(resolve(dataDir, DB_FILE), opts);
  await migrateToLatest(opened.db);
  return opened;
}
