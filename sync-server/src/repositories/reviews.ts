// Quality reviews of saved annotations. A rework verdict stays open until the annotator saves that
// question again: "closed" is derived from the append-only history (a later revision by the same
// annotator), so the sync path needs no hook and an offline fix closes the loop when it arrives.
import { REWORK_VERDICTS, type ReferenceAnswer, type Review, type ReviewItem, type ReviewVerdict } from '@in3d/shared/quality';
import type { Dense, ObjectStatus } from '@in3d/shared/types';
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/connect';
import { ambiguousField } from './annotations';
import { infoKey, QUALIFICATION_TASK_KIND, questionInfos } from './quality';

interface ReviewRow {
  id: string; question_id: string; revision_id: string; revision_seq: number; annotator_id: string; task_id: string | null;
  reviewer_id: string; verdict: string; comment: string | null; rework: number; created_at: string; closed_by: string | null;
}

const closedBy = sql<string | null>`(SELECT a.id FROM annotations a
  WHERE a.question_id = r.question_id AND a.user_id = r.annotator_id AND a.seq > r.revision_seq AND a.cleared = 0
  ORDER BY a.seq LIMIT 1)`;

const toReview = (r: ReviewRow): Review => ({
  id: r.id,
  questionId: r.question_id,
  revisionId: r.revision_id,
  annotatorId: r.annotator_id,
  taskId: r.task_id,
  reviewerId: r.reviewer_id,
  verdict: r.verdict as ReviewVerdict,
  comment: r.comment,
  rework: r.rework === 1,
  closed: r.rework === 1 && r.closed_by !== null,
  closedByRevisionId: r.rework === 1 ? r.closed_by : null,
  createdAt: r.created_at,
});

export const toAnswer = (a: {
  azimuth: number; elevation: number; theta: number; distance: number; px: number; py: number; subtype: number; object_status: string; dense: string;
  ambiguous_json?: string | null;
}): ReferenceAnswer => ({
  pose: { azimuth: a.azimuth, elevation: a.elevation, theta: a.theta, distance: a.distance, px: a.px, py: a.py },
  subtype: a.subtype,
  objectStatus: a.object_status as ObjectStatus,
  dense: a.dense as Dense,
  ...ambiguousField(a.ambiguous_json),
});

export type InsertReviewResult = { ok: true } | { ok: false; reason: 'unknown_revision' };

/** Stores a review of one revision (SPEC R19); the caller has checked that the id is new (R22). */
export async function insertReview(
  db: DbOrTrx,
  input: { id: string; revisionId: string; reviewerId: string; clientId: string; verdict: ReviewVerdict; comment: string | null; at: string },
): Promise<InsertReviewResult> {
  const rev = await db.selectFrom('annotations').select(['question_id', 'user_id', 'seq', 'task_id']).where('id', '=', input.revisionId).executeTakeFirst();
  if (!rev) return { ok: false, reason: 'unknown_revision' };
  await db
    .insertInto('reviews')
    .values({
      id: input.id,
      question_id: rev.question_id,
      revision_id: input.revisionId,
      revision_seq: rev.seq,
      annotator_id: rev.user_id,
      task_id: rev.task_id,
      reviewer_id: input.reviewerId,
      client_id: input.clientId,
      verdict: input.verdict,
      comment: input.comment,
      rework: REWORK_VERDICTS.includes(input.verdict) ? 1 : 0,
      created_at: input.at,
    })
    .execute();
  return { ok: true };
}

function reviewsQuery(db: DbOrTrx) {
  return db.selectFrom('reviews as r').selectAll('r').select(closedBy.as('closed_by'));
}

export async function findReview(db: DbOrTrx, id: string): Promise<Review | undefined> {
  const row = await reviewsQuery(db).where('r.id', '=', id).executeTakeFirst();
  return row && toReview(row);
}

export interface ReviewFilter {
  annotatorId?: string;
  reviewerId?: string;
  questionId?: string;
  reworkOnly?: boolean;
  limit?: number;
}

export async function listReviews(db: DbOrTrx, f: ReviewFilter = {}): Promise<Review[]> {
  let q = reviewsQuery(db);
  if (f.annotatorId) q = q.where('r.annotator_id', '=', f.annotatorId);
  if (f.reviewerId) q = q.where('r.reviewer_id', '=', f.reviewerId);
  if (f.questionId) q = q.where('r.question_id', '=', f.questionId);
  if (f.reworkOnly) q = q.where('r.rework', '=', 1);
  const rows = await q.orderBy('r.created_at', 'desc').orderBy('r.id').limit(f.limit ?? 500).execute();
  return rows.map(toReview);
}

/**
 * Current annotations (heads) with no review of their current revision yet, oldest first; not the
 * reviewer's own, and not qualification answers (those are scored, not reviewed).
 */
export async function reviewQueue(db: DbOrTrx, reviewerId: string, limit = 50): Promise<ReviewItem[]> {
  const rows = await sql<{
    question_id: string; user_id: string; id: string; seq: number; task_id: string | null; server_received_at: string;
    azimuth: number; elevation: number; theta: number; distance: number; px: number; py: number; subtype: number; object_status: string; dense: string;
  }>`
    SELECT a.question_id, a.user_id, a.id, a.seq, a.task_id, a.server_received_at,
           a.azimuth, a.elevation, a.theta, a.distance, a.px, a.py, a.subtype, a.object_status, a.dense
    FROM annotated_heads h
    JOIN annotations a ON a.id = h.revision_id
    LEFT JOIN tasks t ON t.id = a.task_id
    WHERE h.user_id != ${reviewerId}
      AND (t.kind IS NULL OR t.kind != ${QUALIFICATION_TASK_KIND})
      AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.revision_id = h.revision_id)
    ORDER BY a.seq
    LIMIT ${limit}`.execute(db);
  const infos = await questionInfos(db, rows.rows.map((r) => ({ questionId: r.question_id, taskId: r.task_id })));
  return rows.rows.flatMap((r) => {
    const question = infos.get(infoKey(r.task_id, r.question_id));
    if (!question) return [];
    return [{ question, revisionId: r.id, revisionSeq: r.seq, annotatorId: r.user_id, savedAt: r.server_received_at, answer: toAnswer(r) }];
  });
}

/** One revision as a review item (what a reviewer looks at), or undefined when unknown. */
export async function reviewItem(db: DbOrTrx, revisionId: string): Promise<ReviewItem | undefined> {
  const r = await db.selectFrom('annotations').selectAll().where('id', '=', revisionId).executeTakeFirst();
  if (!r) return undefined;
  const question = (await questionInfos(db, [{ questionId: r.question_id, taskId: r.task_id }])).get(infoKey(r.task_id, r.question_id));
  if (!question) return undefined;
  return { question, revisionId: r.id, revisionSeq: r.seq, annotatorId: r.user_id, savedAt: r.server_received_at, answer: toAnswer(r) };
}
