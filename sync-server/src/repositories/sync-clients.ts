// Sync clients: one row per (device, annotator), holding the highest sequence number processed (SPEC R3, R5).
import type { DbOrTrx } from '../db/connect';

export interface SyncClientRow {
  id: string;
  userId: string;
  lastSeq: number;
}

export async function findSyncClient(db: DbOrTrx, clientId: string): Promise<SyncClientRow | undefined> {
  const row = await db.selectFrom('sync_clients').select(['id', 'user_id', 'last_seq']).where('id', '=', clientId).executeTakeFirst();
  return row && { id: row.id, userId: row.user_id, lastSeq: row.last_seq };
}

/**
 * The client row, created on first contact (one statement). Undefined when the id is bound to another
 * user (SPEC R3): the upsert touches only the caller's own row, so nothing of theirs changes.
 */
export async function registerSyncClient(db: DbOrTrx, clientId: string, userId: string, now: string): Promise<SyncClientRow | undefined> {
  const row = await db
    .insertInto('sync_clients')
    .values({ id: clientId, user_id: userId, created_at: now, last_seen_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ last_seen_at: now }).where('sync_clients.user_id', '=', userId))
    .returning(['id', 'user_id', 'last_seq'])
    .executeTakeFirst();
  return row && { id: row.id, userId: row.user_id, lastSeq: row.last_seq };
}

/** Moves last_seq forward only (SPEC R5: it never decreases), and answers the value now held. */
export async function advanceClientSeq(db: DbOrTrx, clientId: string, seq: number, now: string): Promise<number> {
  const row = await db
    .updateTable('sync_clients')
    .set((eb) => ({ last_seq: eb.fn('max', [eb.ref('last_seq'), eb.val(seq)]), last_seen_at: now }))
    .where('id', '=', clientId)
    .returning('last_seq')
    .executeTakeFirst();
  return row?.last_seq ?? 0;
}
