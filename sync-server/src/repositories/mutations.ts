// Which stored mutation, of any kind, an id names (SPEC R22): one id is one mutation whatever its kind,
// so a retry, or the same id sent again under another kind, is answered from what is stored.
import type { MutationKind } from '@in3d/shared/protocol';
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/connect';

export interface StoredMutation {
  kind: MutationKind;
  userId: string;
  /** Null for reviews and picks stored before they were sync mutations. */
  clientId: string | null;
}

export async function findStoredMutation(db: DbOrTrx, id: string): Promise<StoredMutation | undefined> {
  const r = await sql<{ kind: MutationKind; user_id: string; client_id: string | null }>`
    SELECT 'annotation.save' AS kind, user_id, client_id FROM annotations WHERE id = ${id}
    UNION ALL SELECT 'review.verdict', reviewer_id, client_id FROM reviews WHERE id = ${id}
    UNION ALL SELECT 'ab.pick', reviewer_id, client_id FROM ab_judgements WHERE id = ${id}
    UNION ALL SELECT 'qualification.answer', user_id, client_id FROM qualification_answers WHERE id = ${id}
    UNION ALL SELECT 'question.report', user_id, client_id FROM question_reports WHERE id = ${id}
    UNION ALL SELECT 'rework.keep', user_id, client_id FROM rework_keeps WHERE id = ${id}
    LIMIT 1`.execute(db);
  const row = r.rows[0];
  return row && { kind: row.kind, userId: row.user_id, clientId: row.client_id };
}
