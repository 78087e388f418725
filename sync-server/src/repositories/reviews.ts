// Quality reviews of saved annotations. A rework verdict stays open until the annotator changes the
// answer or keeps it with a reason (SPEC R26, repositories/rework.ts): "closed" is derived from the
// append-only history, so the sync path needs no hook and an offline fix closes the loop when it arrives.
import {
  REWORK_VERDICTS,
  type PreviousReview,
  type ReferenceAnswer,
  type Review,
  type ReviewFacets,
  type ReviewItem,
  type ReviewQueueFilter,
  type ReviewVerdict,
} from '@in3d/shared/quality';
import type { Dense, ObjectStatus } from '@in3d/shared/types';
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/connect';
import { ambiguousField } from './annotations';
import { selectIn } from './chunks';
import { infoKey, QUALIFICATION_TASK_KIND, questionInfos } from './quality';
import { changedRevisionOfReview, keepOfReview, reworkOpen } from './rework';

interface ReviewRow {
  id: string; question_id: string; revision_id: string; revision_seq: number; annotator_id: string; task_id: string | null;
  reviewer_id: string; verdict: string; comment: string | null; rework: number; created_at: string; closed_by: string | null; keep_json: string | null;
}

const toReview = (r: ReviewRow): Review => {
  const keep = r.rework === 1 && r.keep_json ? (JSON.parse(r.keep_json) as { reason: string; at: string }) : null;
  return {
  id: r.id,
  questionId: r.question_id,
  revisionId: r.revision_id,
  annotatorId: r.annotator_id,
  taskId: r.task_id,
  reviewerId: r.reviewer_id,
  verdict: r.verdict as ReviewVerdict,
  comment: r.comment,
  rework: r.rework === 1,
  closed: r.rework === 1 && (r.closed_by !== null || keep !== null),
  closedByRevisionId: r.rework === 1 ? r.closed_by : null,
  keep,
  createdAt: r.created_at,
  };
};

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
  return db.selectFrom('reviews as r').selectAll('r').select([changedRevisionOfReview.as('closed_by'), keepOfReview.as('keep_json')]);
}

export async function findReview(db: DbOrTrx, id: string): Promise<Review | undefined> {
  const row = await reviewsQuery(db).where('r.id', '=', id).executeTakeFirst();
  return row && toReview(row);
}

export interface ReviewFilter {
  annotatorId?: string;
  reviewerId?: string;
  questionId?: string;
  taskId?: string;
  categoryId?: string;
  verdict?: ReviewVerdict;
  reworkOnly?: boolean;
  /** Only rework verdicts nobody answered yet (R26). */
  openOnly?: boolean;
  limit?: number;
}

export async function listReviews(db: DbOrTrx, f: ReviewFilter = {}): Promise<Review[]> {
  let q = reviewsQuery(db);
  if (f.annotatorId) q = q.where('r.annotator_id', '=', f.annotatorId);
  if (f.reviewerId) q = q.where('r.reviewer_id', '=', f.reviewerId);
  if (f.questionId) q = q.where('r.question_id', '=', f.questionId);
  if (f.taskId) q = q.where('r.task_id', '=', f.taskId);
  if (f.verdict) q = q.where('r.verdict', '=', f.verdict);
  if (f.categoryId) q = q.where(sql<boolean>`EXISTS (SELECT 1 FROM questions qc WHERE qc.id = r.question_id AND qc.category_id = ${f.categoryId})`);
  if (f.reworkOnly) q = q.where('r.rework', '=', 1);
  if (f.openOnly) q = q.where(sql<boolean>`${reworkOpen}`);
  const rows = await q.orderBy('r.created_at', 'desc').orderBy('r.id').limit(f.limit ?? 500).execute();
  return rows.map(toReview);
}

/** The answers of the given revisions, by revision id (what a review judged). */
export async function judgedAnswers(db: DbOrTrx, revisionIds: readonly string[]): Promise<Map<string, ReferenceAnswer>> {
  const rows = await selectIn([...new Set(revisionIds)], (slice) => db.selectFrom('annotations').selectAll().where('id', 'in', slice).execute());
  return new Map(rows.map((a) => [a.id, toAnswer(a)]));
}

interface HeadRow {
  question_id: string; user_id: string; id: string; seq: number; task_id: string | null; client_saved_at: string; server_received_at: string;
  azimuth: number; elevation: number; theta: number; distance: number; px: number; py: number; subtype: number; object_status: string; dense: string;
}

/** The latest review of each (question, annotator) of `heads` at or before the head, with the answer it judged. */
async function previousReviews(db: DbOrTrx, heads: readonly HeadRow[]): Promise<Map<string, PreviousReview>> {
  const out = new Map<string, PreviousReview>();
  const rows = await selectIn([...new Set(heads.map((h) => h.question_id))], (slice) =>
    reviewsQuery(db).where('r.question_id', 'in', slice).orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').execute());
  const seqOf = new Map(heads.map((h) => [`${h.question_id}\u0000${h.user_id}`, h.seq]));
  const latest = new Map<string, ReviewRow>();
  for (const r of rows) {
    const k = `${r.question_id}\u0000${r.annotator_id}`;
    const seq = seqOf.get(k);
    if (seq !== undefined && r.revision_seq <= seq && !latest.has(k)) latest.set(k, r);
  }
  const answers = await judgedAnswers(db, [...latest.values()].map((r) => r.revision_id));
  for (const [k, r] of latest) {
    const before = answers.get(r.revision_id);
    if (before) out.set(k, { review: toReview(r), before });
  }
  return out;
}

/**
 * Current annotations (heads) waiting for a review, oldest first: not the reviewer's own, not
 * qualification answers (those are scored, not reviewed), not while a rework of them is open (the
 * annotator has it), and with no review of the current revision except one answered "keep as is"
 * (R26: the reviewer then reads the reason). Filters: category, annotator, task, previous verdict.
 */
/** The heads a reviewer may judge under `f` (the FROM and WHERE shared by the queue and its count). */
function queueFrom(reviewerId: string, f: ReviewQueueFilter) {
  const latestVerdict = sql`(SELECT r.verdict FROM reviews r WHERE r.question_id = h.question_id AND r.annotator_id = h.user_id
    ORDER BY r.created_at DESC, r.id DESC LIMIT 1)`;
  const filters = [
    f.category === undefined ? null : sql`q.category_id = ${f.category}`,
    f.annotator === undefined ? null : sql`h.user_id = ${f.annotator}`,
    f.task === undefined ? null : sql`a.task_id = ${f.task}`,
    f.verdict === undefined ? null : f.verdict === 'none' ? sql`${latestVerdict} IS NULL` : sql`${latestVerdict} = ${f.verdict}`,
  ].filter((x) => x !== null);
  return sql`
    FROM annotated_heads h
    JOIN annotations a ON a.id = h.revision_id
    JOIN questions q ON q.id = h.question_id
    LEFT JOIN tasks t ON t.id = a.task_id
    WHERE h.user_id != ${reviewerId}
      AND (t.kind IS NULL OR t.kind != ${QUALIFICATION_TASK_KIND})
      AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.revision_id = h.revision_id
                        AND NOT (r.rework = 1 AND EXISTS (SELECT 1 FROM rework_keeps k WHERE k.review_id = r.id)))
      AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.question_id = h.question_id AND r.annotator_id = h.user_id AND ${reworkOpen})
      ${filters.length ? sql`AND ${sql.join(filters, sql` AND `)}` : sql``}`;
}

/**
 * When the annotator saved: their device's time (an answer saved offline or imported reaches the
 * server later), unless that is after the server got it, which only a clock running ahead gives.
 */
function savedAt(r: { client_saved_at: string; server_received_at: string }): string {
  const client = Date.parse(r.client_saved_at);
  return Number.isFinite(client) && client <= Date.parse(r.server_received_at) ? new Date(client).toISOString() : r.server_received_at;
}

export async function reviewQueue(db: DbOrTrx, reviewerId: string, limit = 50, f: ReviewQueueFilter = {}): Promise<ReviewItem[]> {
  const rows = await sql<HeadRow>`
    SELECT a.question_id, a.user_id, a.id, a.seq, a.task_id, a.client_saved_at, a.server_received_at,
           a.azimuth, a.elevation, a.theta, a.distance, a.px, a.py, a.subtype, a.object_status, a.dense
    ${queueFrom(reviewerId, f)}
    ORDER BY a.seq
    LIMIT ${limit}`.execute(db);
  const infos = await questionInfos(db, rows.rows.map((r) => ({ questionId: r.question_id, taskId: r.task_id })));
  const previous = await previousReviews(db, rows.rows);
  return rows.rows.flatMap((r) => {
    const question = infos.get(infoKey(r.task_id, r.question_id));
    if (!question) return [];
    const item: ReviewItem = { question, revisionId: r.id, revisionSeq: r.seq, annotatorId: r.user_id, savedAt: savedAt(r), answer: toAnswer(r) };
    const prev = previous.get(`${r.question_id}\u0000${r.user_id}`);
    return [prev ? { ...item, previous: prev } : item];
  });
}

/** How many answers the whole queue under `f` holds (the page loads it in batches). */
export async function reviewQueueCount(db: DbOrTrx, reviewerId: string, f: ReviewQueueFilter = {}): Promise<number> {
  const r = await sql<{ n: number }>`SELECT COUNT(*) AS n ${queueFrom(reviewerId, f)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** The categories, annotators and tasks of annotations a reviewer may review (the queue's filter choices). */
export async function reviewFacets(db: DbOrTrx, reviewerId: string): Promise<ReviewFacets> {
  const rows = await sql<{ category_id: string; user_id: string; task_id: string | null; task_name: string | null }>`
    SELECT DISTINCT q.category_id, h.user_id, a.task_id, t.name AS task_name
    FROM annotation_heads h
    JOIN annotations a ON a.id = h.revision_id
    JOIN questions q ON q.id = h.question_id
    LEFT JOIN tasks t ON t.id = a.task_id
    WHERE h.user_id != ${reviewerId} AND (t.kind IS NULL OR t.kind != ${QUALIFICATION_TASK_KIND})`.execute(db);
  const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
  const tasks = new Map<string, string>();
  for (const r of rows.rows) if (r.task_id) tasks.set(r.task_id, r.task_name ?? r.task_id);
  return {
    categories: sorted(rows.rows.map((r) => r.category_id)),
    annotators: sorted(rows.rows.map((r) => r.user_id)),
    tasks: [...tasks].map(([id, name]) => ({ id, name })).sort((x, y) => x.id.localeCompare(y.id)),
  };
}

/** One revision as a review item (what a reviewer looks at), or undefined when unknown. */
export async function reviewItem(db: DbOrTrx, revisionId: string): Promise<ReviewItem | undefined> {
  const r = await db.selectFrom('annotations').selectAll().where('id', '=', revisionId).executeTakeFirst();
  if (!r) return undefined;
  const question = (await questionInfos(db, [{ questionId: r.question_id, taskId: r.task_id }])).get(infoKey(r.task_id, r.question_id));
  if (!question) return undefined;
  return { question, revisionId: r.id, revisionSeq: r.seq, annotatorId: r.user_id, savedAt: savedAt(r), answer: toAnswer(r) };
}
