import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Transaction } from 'kysely';
import { migrations } from './migrations/index';
import type { Database } from './schema';

export type Db = Kysely<Database>;

/**
 * How long one SQLite call of the server may wait (blocking the event loop) for a lock held by another
 * connection. The CLI, which has no event loop to keep free, waits longer (CLI_BUSY_TIMEOUT_MS).
 */
export const BUSY_TIMEOUT_MS = 20;
export const CLI_BUSY_TIMEOUT_MS = 10_000;
/** What repositories take first: the database or a transaction on it. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;

export interface OpenedDb {
  db: Db;
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

/**
 * Opens the canonical SQLite file. WAL lets readers run beside the one writer; synchronous=FULL
 * makes a commit durable before we acknowledge a save to a client.
 */
export function openDatabase(file: string, opts: { busyTimeoutMs?: number } = {}): OpenedDb {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Another process holding the write lock must not block the event loop (better-sqlite3 waits
  // synchronously): fail fast, and let the write queue retry asynchronously (createWriteQueue).
  sqlite.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, sqlite, close: () => db.destroy() };
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
