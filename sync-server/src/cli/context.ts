// Where the server and the CLI find their data: one SQLite file inside DATA_DIR.
import { resolve } from 'node:path';
import { migrateToLatest, openDatabase, type OpenedDb } from '../db/connect';

export const DB_FILE = 'annotator.sqlite';

export function dataDirFromEnv(): string {
  return resolve(process.env.DATA_DIR ?? './data');
}

export async function openDataDir(dataDir: string): Promise<OpenedDb> {
  const opened = openDatabase(resolve(dataDir, DB_FILE));
  await migrateToLatest(opened.db);
  return opened;
}
