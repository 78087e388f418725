// SPEC R26, when a rework verdict is answered: the first later save by the same annotator that changed
// the judged answer (pose, CAD model or a label) and is not a clear (R51), or a "keep as is" with a reason. Derived from the
// append-only history at read time, so an offline fix closes the loop whenever it arrives. The SQL
// pieces read a review row aliased `r`; every count of open rework (tasks, dashboard, lists) uses them.
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/connect';

/** The id of the first later revision of `r`'s question and annotator that differs from the reviewed one. */
export const changedRevisionOfReview = sql<string | null>`(SELECT a.id FROM annotations a
  JOIN annotations rv ON rv.id = r.revision_id
  WHERE a.question_id = r.question_id AND a.user_id = r.annotator_id AND a.seq > r.revision_seq AND a.cleared = 0
    AND (a.azimuth <> rv.azimuth OR a.elevation <> rv.elevation OR a.theta <> rv.theta OR a.distance <> rv.distance
      OR a.px <> rv.px OR a.py <> rv.py OR a.subtype <> rv.subtype OR a.object_status <> rv.object_status OR a.dense <> rv.dense)
  ORDER BY a.seq LIMIT 1)`;

/** The first "keep as is" answer to `r`, as JSON {reason, at}, or null. */
export const keepOfReview = sql<string | null>`(SELECT json_object('reason', k.reason, 'at', k.created_at) FROM rework_keeps k
  WHERE k.review_id = r.id ORDER BY k.created_at, k.id LIMIT 1)`;

/** True (1) while `r` is a rework verdict nobody answered yet. */
export const reworkOpen = sql<number>`(r.rework = 1 AND ${changedRevisionOfReview} IS NULL
  AND NOT EXISTS (SELECT 1 FROM rework_keeps k WHERE k.review_id = r.id))`;

/** The rework review `reviewId` if it was sent to `annotatorId` (what a keep may answer), else undefined. */
export async function reworkSentTo(db: DbOrTrx, reviewId: string, annotatorId: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('reviews').select('id').where('id', '=', reviewId).where('annotator_id', '=', annotatorId).where('rework', '=', 1).executeTakeFirst();
}

export async function insertReworkKeep(
  db: DbOrTrx,
  k: { id: string; reviewId: string; userId: string; clientId: string; reason: string; clientSavedAt: string; at: string },
): Promise<void> {
  await db
    .insertInto('rework_keeps')
    .values({ id: k.id, review_id: k.reviewId, user_id: k.userId, client_id: k.clientId, reason: k.reason, client_saved_at: k.clientSavedAt, created_at: k.at })
    .execute();
}
