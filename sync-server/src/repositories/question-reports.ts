// Notes and problem flags annotators send about questions (SPEC R50): stored once per mutation id, listed
// for the admin dashboard and the reviewer's queue, read by the exporters.
import type { ReportProblem } from '@in3d/shared/protocol';
import type { QuestionReportInfo } from '@in3d/shared/quality';
import type { DbOrTrx } from '../db/connect';

export type QuestionReport = QuestionReportInfo;

export interface NewQuestionReport {
  id: string;
  questionId: string;
  taskId: string;
  userId: string;
  clientId: string;
  problem: ReportProblem | null;
  note: string;
  clientSavedAt: string;
  at: string;
}

export async function insertQuestionReport(db: DbOrTrx, r: NewQuestionReport): Promise<void> {
  await db
    .insertInto('question_reports')
    .values({
      id: r.id, question_id: r.questionId, task_id: r.taskId, user_id: r.userId, client_id: r.clientId,
      problem: r.problem, note: r.note, client_saved_at: r.clientSavedAt, created_at: r.at,
    })
    .execute();
}

const toReport = (r: { id: string; question_id: string; task_id: string | null; user_id: string; problem: string | null; note: string; created_at: string; resolved_at: string | null }): QuestionReport => ({
  id: r.id, questionId: r.question_id, taskId: r.task_id, userId: r.user_id, problem: r.problem as ReportProblem | null,
  note: r.note, createdAt: r.created_at, resolvedAt: r.resolved_at,
});

/** Newest first; `open` leaves out resolved ones. */
export async function listQuestionReports(db: DbOrTrx, f: { open?: boolean; limit?: number } = {}): Promise<QuestionReport[]> {
  let q = db.selectFrom('question_reports').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(f.limit ?? 500);
  if (f.open) q = q.where('resolved_at', 'is', null);
  return (await q.execute()).map(toReport);
}

export async function reportsOfQuestions(db: DbOrTrx, questionIds: readonly string[]): Promise<Map<string, QuestionReport[]>> {
  const out = new Map<string, QuestionReport[]>();
  if (questionIds.length === 0) return out;
  const rows = await db.selectFrom('question_reports').selectAll().where('question_id', 'in', [...questionIds]).orderBy('created_at').orderBy('id').execute();
  for (const r of rows) out.set(r.question_id, [...(out.get(r.question_id) ?? []), toReport(r)]);
  return out;
}

export async function resolveQuestionReport(db: DbOrTrx, id: string, by: string, at: string): Promise<boolean> {
  const r = await db.updateTable('question_reports').set({ resolved_at: at, resolved_by: by }).where('id', '=', id).where('resolved_at', 'is', null).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
