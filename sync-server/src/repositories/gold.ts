// Gold questions: questions with a reference answer, used by the qualification test and the per-
// annotator Acc@π/6. A reference comes from an admin, from the question's source (the pose the demo
// photo was drawn with, kept in questions.source_json as {"gold": pose, "goldSubtype": n}), or, when the
// source has none (an original tool's folder, a release), from the question's current answer.
import type { GoldQuestion, ReferenceAnswer } from '@in3d/shared/quality';
import type { Dense, ObjectStatus } from '@in3d/shared/types';
import type { DbOrTrx } from '../db/connect';
import { selectIn } from './chunks';

interface GoldRow {
  question_id: string; azimuth: number; elevation: number; theta: number; distance: number; px: number; py: number;
  subtype: number; object_status: string | null; dense: string | null;
}

export const toReference = (r: Omit<GoldRow, 'question_id'>): ReferenceAnswer => ({
  pose: { azimuth: r.azimuth, elevation: r.elevation, theta: r.theta, distance: r.distance, px: r.px, py: r.py },
  subtype: r.subtype,
  objectStatus: r.object_status as ObjectStatus | null,
  dense: r.dense as Dense | null,
});

export async function upsertGold(db: DbOrTrx, questionId: string, ref: ReferenceAnswer, by: string | null, now = new Date()): Promise<void> {
  const values = {
    ...ref.pose,
    subtype: ref.subtype,
    object_status: ref.objectStatus,
    dense: ref.dense,
  };
  await db
    .insertInto('gold_questions')
    .values({ question_id: questionId, ...values, created_by: by, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('question_id').doUpdateSet(values))
    .execute();
}

/** Sets the labels a gold answer is scored on (null: not scored); false when the question is not gold. */
export async function setGoldLabels(db: DbOrTrx, questionId: string, labels: { objectStatus: ObjectStatus | null; dense: Dense | null }): Promise<boolean> {
  const r = await db
    .updateTable('gold_questions')
    .set({ object_status: labels.objectStatus, dense: labels.dense })
    .where('question_id', '=', questionId)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function deleteGold(db: DbOrTrx, questionId: string): Promise<boolean> {
  const r = await db.deleteFrom('gold_questions').where('question_id', '=', questionId).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

export async function listGold(db: DbOrTrx): Promise<GoldQuestion[]> {
  const rows = await db
    .selectFrom('gold_questions as g')
    .innerJoin('questions as q', 'q.id', 'g.question_id')
    .selectAll('g')
    .select(['q.category_id', 'q.image_id'])
    .orderBy('g.question_id')
    .execute();
  return rows.map((r) => ({
    questionId: r.question_id,
    category: r.category_id,
    imageId: r.image_id,
    reference: toReference(r),
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}

export async function goldIds(db: DbOrTrx): Promise<string[]> {
  return (await db.selectFrom('gold_questions').select('question_id').orderBy('question_id').execute()).map((r) => r.question_id);
}

export async function goldReferences(db: DbOrTrx, questionIds: readonly string[]): Promise<Map<string, ReferenceAnswer>> {
  const rows = await selectIn(questionIds, (slice) => db.selectFrom('gold_questions').selectAll().where('question_id', 'in', slice).execute());
  return new Map(rows.map((r) => [r.question_id, toReference(r)]));
}

/** The reference pose kept in the question's source, if it has one (demo data, some imports). */
export async function sourceReference(db: DbOrTrx, questionId: string): Promise<ReferenceAnswer | undefined | null> {
  const row = await db.selectFrom('questions').select('source_json').where('id', '=', questionId).executeTakeFirst();
  if (!row) return undefined;
  return parseSourceGold(row.source_json);
}

/**
 * The question's current answer as a reference: the head saved most recently (the one exports write), or
 * null when nobody has answered it (or every answer was cleared).
 */
export async function currentAnswerReference(db: DbOrTrx, questionId: string): Promise<ReferenceAnswer | null> {
  const row = await db
    .selectFrom('annotated_heads as h')
    .innerJoin('annotations as a', 'a.id', 'h.revision_id')
    .select(['a.azimuth', 'a.elevation', 'a.theta', 'a.distance', 'a.px', 'a.py', 'a.subtype', 'a.object_status', 'a.dense'])
    .where('h.question_id', '=', questionId)
    .orderBy('h.updated_seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toReference(row) : null;
}

export function parseSourceGold(sourceJson: string | null): ReferenceAnswer | null {
  if (!sourceJson) return null;
  try {
    const s = JSON.parse(sourceJson) as { gold?: Record<string, unknown>; goldSubtype?: unknown; goldObjectStatus?: unknown; goldDense?: unknown };
    const g = s.gold;
    const keys = ['azimuth', 'elevation', 'theta', 'distance', 'px', 'py'] as const;
    if (!g || !keys.every((k) => typeof g[k] === 'number' && Number.isFinite(g[k]))) return null;
    const pose = Object.fromEntries(keys.map((k) => [k, g[k] as number])) as unknown as ReferenceAnswer['pose'];
    return {
      pose,
      subtype: typeof s.goldSubtype === 'number' ? s.goldSubtype : 1,
      objectStatus: typeof s.goldObjectStatus === 'string' ? (s.goldObjectStatus as ObjectStatus) : null,
      dense: typeof s.goldDense === 'string' ? (s.goldDense as Dense) : null,
    };
  } catch {
    return null;
  }
}
