// A note or problem flag on a question (SPEC R50): committed with its outbox row and the next sequence
// number through the one local commit path (commitMutation, R9, R24); the one sync engine sends it.
import { type QuestionReportMutation, type ReportProblem, questionReportSchema } from '@in3d/shared/protocol';
import type { LocalDb } from './db';
import { commitMutation } from './local-save';

export interface QuestionReportInput {
  userId: string;
  clientId: string;
  taskId: string;
  questionId: string;
  problem: ReportProblem | null;
  note: string;
}

export async function reportLocally(db: LocalDb, r: QuestionReportInput): Promise<QuestionReportMutation> {
  // A page passing neither a problem nor a note is a bug to see now, not a rejection to find later.
  if (r.problem === null && r.note.trim() === '') throw new Error('A report needs a problem or a note');
  // No questionId on the row: a report holds back no pulled annotation (R14 is about saves).
  return commitMutation<QuestionReportMutation>(db, r, [], async (base) => ({
    mutation: questionReportSchema.parse({ ...base, kind: 'question.report', questionId: r.questionId, taskId: r.taskId, problem: r.problem, note: r.note.trim() }),
  }));
}
