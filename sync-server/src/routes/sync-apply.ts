// Applying one validated mutation, per kind (SPEC R7, R19–R21): each kind checks what only it knows and
// stores through its repository. Runs inside the push transaction; a refusal is a value, never a throw.
import type {
  AbPickMutation,
  AnnotationSaveMutation,
  Mutation,
  QualificationAnswerMutation,
  QuestionReportMutation,
  RejectionReason,
  ReviewVerdictMutation,
  ReworkKeepMutation,
  WireHead,
} from '@in3d/shared/protocol';
import type { AbSide } from '@in3d/shared/quality';
import type { SessionUser } from '@in3d/shared/types';
import type { DbOrTrx } from '../db/connect';
import { insertJudgement, sideAnswer } from '../repositories/ab';
import { appendRevision, questionAccess } from '../repositories/annotations';
import { attemptHasQuestion, insertAttemptAnswer } from '../repositories/attempt-answers';
import { attemptState, QUALIFICATION_TASK_KIND, taskKinds } from '../repositories/quality';
import { insertQuestionReport } from '../repositories/question-reports';
import { insertReview } from '../repositories/reviews';
import { insertReworkKeep, reworkSentTo } from '../repositories/rework';

export interface ApplyContext {
  user: SessionUser;
  clientId: string;
  now: string;
  /** The caller has not passed the qualification test, so annotation saves are locked (R7). */
  mustQualify: boolean;
}

export type Applied = { ok: true; revisionSeq?: number; head?: WireHead } | { ok: false; reason: RejectionReason; message: string };

const refuse = (reason: RejectionReason, message: string): Applied => ({ ok: false, reason, message });

export function applyMutation(conn: DbOrTrx, ctx: ApplyContext, m: Mutation): Promise<Applied> {
  switch (m.kind) {
    case 'annotation.save':
      return applyAnnotation(conn, ctx, m);
    case 'review.verdict':
      return applyReview(conn, ctx, m);
    case 'ab.pick':
      return applyPick(conn, ctx, m);
    case 'qualification.answer':
      return applyAnswer(conn, ctx, m);
    case 'question.report':
      return applyReport(conn, ctx, m);
    case 'rework.keep':
      return applyKeep(conn, ctx, m);
  }
}

async function applyAnnotation(conn: DbOrTrx, ctx: ApplyContext, m: AnnotationSaveMutation): Promise<Applied> {
  const userId = ctx.user.id;
  const access = await questionAccess(conn, userId, m.taskId, m.questionId);
  if (access === 'unknown_question') return refuse('unknown_question', `No question ${m.questionId}`);
  if (access === 'not_assigned') return refuse('not_assigned', `Task ${m.taskId} with question ${m.questionId} is not assigned to ${userId}`);
  const kind = (await taskKinds(conn, [m.taskId])).get(m.taskId);
  // R23: an answer to the test is an attempt record, never a dataset annotation.
  if (kind === QUALIFICATION_TASK_KIND)
    return refuse('not_assigned', `Task ${m.taskId} is a qualification attempt: its answers are qualification.answer mutations (R21), not annotations`);
  if (ctx.mustQualify) return refuse('qualification_required', `Pass the qualification test first: task ${m.taskId} is locked until you do`);
  const { seq, head } = await appendRevision(conn, {
    ...m.values,
    id: m.id,
    questionId: m.questionId,
    userId,
    taskId: m.taskId,
    clientId: ctx.clientId,
    clientSeq: m.seq,
    baseRevisionId: m.baseRevisionId,
    supersedes: m.supersedes,
    cleared: m.cleared === true,
    clientSavedAt: m.clientSavedAt,
    serverReceivedAt: ctx.now,
  });
  return { ok: true, revisionSeq: seq, head };
}

const isStaff = (u: SessionUser) => u.role === 'reviewer' || u.role === 'admin';

async function applyReview(conn: DbOrTrx, ctx: ApplyContext, m: ReviewVerdictMutation): Promise<Applied> {
  if (!isStaff(ctx.user)) return refuse('not_reviewer', `Only reviewers and admins give verdicts; ${ctx.user.id} is an ${ctx.user.role}`);
  const r = await insertReview(conn, {
    id: m.id,
    revisionId: m.revisionId,
    reviewerId: ctx.user.id,
    clientId: ctx.clientId,
    verdict: m.verdict,
    comment: m.comment?.trim() || null,
    at: ctx.now,
  });
  return r.ok ? { ok: true } : refuse('unknown_revision', `No revision ${m.revisionId}`);
}

const sameSide = (x: AbSide, y: AbSide) => x.kind === y.kind && (x.kind === 'initial' || (y.kind === 'annotation' && x.revisionId === y.revisionId));

async function applyPick(conn: DbOrTrx, ctx: ApplyContext, m: AbPickMutation): Promise<Applied> {
  if (!isStaff(ctx.user)) return refuse('not_reviewer', `Only reviewers and admins pick between answers; ${ctx.user.id} is an ${ctx.user.role}`);
  if (sameSide(m.a, m.b)) return refuse('invalid', 'b: A and B must be two different answers');
  if (!(await sideAnswer(conn, m.questionId, { kind: 'initial' }))) return refuse('unknown_question', `No question ${m.questionId}`);
  for (const s of [m.a, m.b])
    if (s.kind === 'annotation' && !(await sideAnswer(conn, m.questionId, s)))
      return refuse('unknown_revision', `No revision ${s.revisionId} of question ${m.questionId}`);
  await insertJudgement(conn, { id: m.id, questionId: m.questionId, a: m.a, b: m.b, choice: m.choice, reviewerId: ctx.user.id, clientId: ctx.clientId, at: ctx.now });
  return { ok: true };
}

async function applyAnswer(conn: DbOrTrx, ctx: ApplyContext, m: QualificationAnswerMutation): Promise<Applied> {
  const attempt = await attemptState(conn, m.attemptId);
  if (!attempt || attempt.userId !== ctx.user.id) return refuse('unknown_attempt', `No qualification attempt ${m.attemptId} of ${ctx.user.id}`);
  if (attempt.submitted) return refuse('attempt_closed', `Attempt ${m.attemptId} was already submitted; its answers can no longer change`);
  if (!(await attemptHasQuestion(conn, attempt.taskId, m.questionId))) return refuse('not_assigned', `Question ${m.questionId} is not in attempt ${m.attemptId}`);
  await insertAttemptAnswer(conn, {
    ...m.values,
    id: m.id,
    attemptId: m.attemptId,
    questionId: m.questionId,
    userId: ctx.user.id,
    clientId: ctx.clientId,
    clientSeq: m.seq,
    clientSavedAt: m.clientSavedAt,
    serverReceivedAt: ctx.now,
  });
  return { ok: true };
}

/** R50: a note or problem flag on a question in one of the caller's tasks; no revision, no head (R22). */
async function applyReport(conn: DbOrTrx, ctx: ApplyContext, m: QuestionReportMutation): Promise<Applied> {
  if (m.problem === null && m.note.trim() === '') return refuse('invalid', 'note: a report needs a problem or a note');
  const access = await questionAccess(conn, ctx.user.id, m.taskId, m.questionId);
  if (access === 'unknown_question') return refuse('unknown_question', `No question ${m.questionId}`);
  if (access === 'not_assigned') return refuse('not_assigned', `Task ${m.taskId} with question ${m.questionId} is not assigned to ${ctx.user.id}`);
  await insertQuestionReport(conn, { ...m, note: m.note.trim(), userId: ctx.user.id, clientId: ctx.clientId, at: ctx.now });
  return { ok: true };
}

/** R26: "keep as is" with a reason answers a rework verdict sent to the caller; it closes that rework. */
async function applyKeep(conn: DbOrTrx, ctx: ApplyContext, m: ReworkKeepMutation): Promise<Applied> {
  if (!(await reworkSentTo(conn, m.reviewId, ctx.user.id))) return refuse('unknown_review', `No rework ${m.reviewId} was sent to ${ctx.user.id}`);
  await insertReworkKeep(conn, { id: m.id, reviewId: m.reviewId, userId: ctx.user.id, clientId: ctx.clientId, reason: m.reason.trim(), clientSavedAt: m.clientSavedAt, at: ctx.now });
  return { ok: true };
}
