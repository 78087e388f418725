// The admin audit log: one row per successful state-changing admin call.
import type { DbOrTrx } from '../db/connect';

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  target: string;
  status: number;
}

export async function insertAudit(db: DbOrTrx, e: AuditEntry): Promise<void> {
  await db.insertInto('admin_audit').values(e).execute();
}

/** The newest entries first. */
export async function listAudit(db: DbOrTrx, limit: number): Promise<AuditEntry[]> {
  return db.selectFrom('admin_audit').select(['at', 'actor', 'action', 'target', 'status']).orderBy('id', 'desc').limit(limit).execute();
}
