// Which gold references an annotator has been shown: a qualification attempt's results draw the
// reference over the annotator's answer, after which that question no longer tests them.
import type { DbOrTrx } from '../db/connect';
import { chunks } from './chunks';

export async function revealedGold(db: DbOrTrx, userId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('gold_reveals').select('question_id').where('user_id', '=', userId).execute();
  return new Set(rows.map((r) => r.question_id));
}

/** Records that `userId` was shown these references (first time wins: it keeps the attempt that showed it). */
export async function recordReveals(db: DbOrTrx, userId: string, attemptId: string, questionIds: readonly string[], now = new Date()): Promise<void> {
  const at = now.toISOString();
  for (const slice of chunks(questionIds, 4))
    await db
      .insertInto('gold_reveals')
      .values(slice.map((questionId) => ({ user_id: userId, question_id: questionId, attempt_id: attemptId, revealed_at: at })))
      .onConflict((oc) => oc.columns(['user_id', 'question_id']).doNothing())
      .execute();
}
