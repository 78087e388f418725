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

/** The client row, created on first contact. Answers the existing row unchanged if it belongs to someone else. */
export async function registerSyncClient(db: DbOrTrx, clientId: string, userId: string, now: string): Promise<SyncClientRow> {
  await db
    .insertInto('sync_clients')
    .values({ id: clientId, user_id: userId, created_at: now, last_seen_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await findSyncClient(db, clientId);
  if (!row) throw new Error(`sync client ${clientId} vanished inside its own transaction`);
  return row;
}

/** Moves last_seq forward only (SPEC R5: it never decreases), and answers the value now held. */
export async function advanceClientSeq(db: DbOrTrx, clientId: string, seq: number, now: string): Promise<number> {
  await db
    .updateTable('sync_clients')
    .set((eb) => ({ last_seq: eb.fn('max', [eb.ref('last_seq'), eb.val(seq)]), last_seen_at: now }))
    .where('id', '=', clientId)
    .execute();
  const row = await findSyncClient(db, clientId);
  return row?.lastSeq ?? 0;
}
