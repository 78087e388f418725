import { sql } from 'kysely';
import type { DbOrTrx } from '../db/connect';

/** True when SQLite answers a trivial query. */
export async function pingDatabase(db: DbOrTrx): Promise<boolean> {
  const r = await sql<{ ok: number }>`SELECT 1 AS ok`.execute(db);
  return r.rows[0]?.ok === 1;
}
