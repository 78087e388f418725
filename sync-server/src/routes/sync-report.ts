// `question.report` inside the push transaction (SPEC R50): the question must be in one of the caller's
// tasks; a retry of a stored report answers `applied, duplicate` (R4); another client's id is `id_taken`.
import type { QuestionReportMutation, RejectionReason } from '@in3d/shared/protocol';
import type { DbOrTrx } from '../db/connect';
import { questionAccess } from '../repositories/annotations';
import { findQuestionReport, insertQuestionReport } from '../repositories/question-reports';

export type ReportOutcome = { ok: true; duplicate: boolean } | { ok: false; reason: RejectionReason; message: string };

export async function applyQuestionReport(conn: DbOrTrx, userId: string, clientId: string, m: QuestionReportMutation, now: string): Promise<ReportOutcome> {
  const stored = await findQuestionReport(conn, m.id);
  if (stored) {
    if (stored.user_id !== userId || stored.client_id !== clientId) return { ok: false, reason: 'id_taken', message: 'This mutation id belongs to another client' };
    return { ok: true, duplicate: true };
  }
  if (m.problem === null && m.note.trim() === '') return { ok: false, reason: 'invalid', message: 'note: a report needs a problem or a note' };
  const access = await questionAccess(conn, userId, m.taskId, m.questionId);
  if (access === 'unknown_question') return { ok: false, reason: 'unknown_question', message: `No question ${m.questionId}` };
  if (access === 'not_assigned') return { ok: false, reason: 'not_assigned', message: `Task ${m.taskId} with question ${m.questionId} is not assigned to ${userId}` };
  await insertQuestionReport(conn, { ...m, note: m.note.trim(), userId, clientId, at: now });
  return { ok: true, duplicate: false };
}
