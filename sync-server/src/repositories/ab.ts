// A/B judgements: a reviewer compares two answers for one object (the initial prediction and an
// annotator's, or two annotators') and picks one or "both bad". Sides are stored as shown (A left).
import type { AbChoice, AbJudgement, AbSide, ReferenceAnswer } from '@in3d/shared/quality';
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/connect';
import { infoKey, QUALIFICATION_TASK_KIND, questionInfos } from './quality';
import { toAnswer } from './reviews';
import type { QuestionInfo } from '@in3d/shared/types';

export interface AbCandidate {
  question: QuestionInfo;
  initial: ReferenceAnswer;
  /** Current answers of the question's annotators (heads), oldest first. */
  annotations: { revisionId: string; userId: string; answer: ReferenceAnswer }[];
}

/**
 * A question with at least one current annotation that this reviewer has not judged yet, preferring
 * questions two annotators did; `skip` leaves out questions the reviewer passed over.
 */
export async function nextAbCandidate(db: DbOrTrx, reviewerId: string, skip: readonly string[] = []): Promise<AbCandidate | undefined> {
  const skipSql = skip.length ? sql`AND h.question_id NOT IN (${sql.join([...skip])})` : sql``;
  const pick = await sql<{ question_id: string; n: number }>`
    SELECT h.question_id, COUNT(*) AS n
    FROM annotated_heads h
    JOIN annotations a ON a.id = h.revision_id
    LEFT JOIN tasks t ON t.id = a.task_id
    WHERE h.user_id != ${reviewerId}
      AND (t.kind IS NULL OR t.kind != ${QUALIFICATION_TASK_KIND})
      AND NOT EXISTS (SELECT 1 FROM ab_judgements j WHERE j.question_id = h.question_id AND j.reviewer_id = ${reviewerId})
      ${skipSql}
    GROUP BY h.question_id
    ORDER BY (COUNT(*) >= 2) DESC, MIN(h.updated_seq)
    LIMIT 1`.execute(db);
  const questionId = pick.rows[0]?.question_id;
  if (!questionId) return undefined;
  const heads = await db
    .selectFrom('annotated_heads as h')
    .innerJoin('annotations as a', 'a.id', 'h.revision_id')
    .selectAll('a')
    .where('h.question_id', '=', questionId)
    .where('h.user_id', '!=', reviewerId)
    .orderBy('a.seq')
    .execute();
  const taskId = heads[0]?.task_id ?? null;
  const question = (await questionInfos(db, [{ questionId, taskId }])).get(infoKey(taskId, questionId));
  if (!question) return undefined;
  return {
    question,
    initial: { pose: question.initialPose, subtype: question.initialSubtype, objectStatus: null, dense: null },
    annotations: heads.map((h) => ({ revisionId: h.id, userId: h.user_id, answer: toAnswer(h) })),
  };
}

/** The answer a side stands for, or undefined when the revision is not an annotation of that question. */
export async function sideAnswer(db: DbOrTrx, questionId: string, side: AbSide): Promise<ReferenceAnswer | undefined> {
  if (side.kind === 'initial') {
    const q = await db.selectFrom('questions').selectAll().where('id', '=', questionId).executeTakeFirst();
    return q && {
      pose: { azimuth: q.init_azimuth, elevation: q.init_elevation, theta: q.init_theta, distance: q.init_distance, px: q.init_px, py: q.init_py },
      subtype: q.init_subtype, objectStatus: null, dense: null,
    };
  }
  const a = await db.selectFrom('annotations').selectAll().where('id', '=', side.revisionId).where('question_id', '=', questionId).executeTakeFirst();
  return a && toAnswer(a);
}

interface JudgementRow {
  id: string; question_id: string; a_kind: 'initial' | 'annotation'; a_revision_id: string | null;
  b_kind: 'initial' | 'annotation'; b_revision_id: string | null; choice: AbChoice; reviewer_id: string; created_at: string;
}

const side = (kind: 'initial' | 'annotation', revisionId: string | null): AbSide =>
  kind === 'initial' || !revisionId ? { kind: 'initial' } : { kind: 'annotation', revisionId };

const toJudgement = (r: JudgementRow): AbJudgement => ({
  id: r.id, questionId: r.question_id, a: side(r.a_kind, r.a_revision_id), b: side(r.b_kind, r.b_revision_id),
  choice: r.choice, reviewerId: r.reviewer_id, createdAt: r.created_at,
});

export async function findJudgement(db: DbOrTrx, id: string): Promise<AbJudgement | undefined> {
  const r = await db.selectFrom('ab_judgements').selectAll().where('id', '=', id).executeTakeFirst();
  return r && toJudgement(r);
}

/** Stores a judgement (SPEC R20); sides must have been checked with `sideAnswer`, the id as new (R22). */
export async function insertJudgement(
  db: DbOrTrx,
  j: { id: string; questionId: string; a: AbSide; b: AbSide; choice: AbChoice; reviewerId: string; clientId: string; at: string },
): Promise<void> {
  await db
    .insertInto('ab_judgements')
    .values({
      id: j.id,
      question_id: j.questionId,
      a_kind: j.a.kind,
      a_revision_id: j.a.kind === 'annotation' ? j.a.revisionId : null,
      b_kind: j.b.kind,
      b_revision_id: j.b.kind === 'annotation' ? j.b.revisionId : null,
      choice: j.choice,
      reviewer_id: j.reviewerId,
      client_id: j.clientId,
      created_at: j.at,
    })
    .execute();
}

export async function listJudgements(db: DbOrTrx, f: { reviewerId?: string; questionId?: string; limit?: number } = {}): Promise<AbJudgement[]> {
  let q = db.selectFrom('ab_judgements').selectAll();
  if (f.reviewerId) q = q.where('reviewer_id', '=', f.reviewerId);
  if (f.questionId) q = q.where('question_id', '=', f.questionId);
  return (await q.orderBy('created_at', 'desc').orderBy('id').limit(f.limit ?? 500).execute()).map(toJudgement);
}
