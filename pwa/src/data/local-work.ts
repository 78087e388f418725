// The other kinds of work saved on the device (SPEC R19–R21, R24, R26): review verdicts, A/B picks,
// qualification answers and "keep as is" answers to rework, each with its outbox row in one transaction through `commitMutation`.
import {
  type AbPickMutation,
  type QualificationAnswerMutation,
  type ReviewVerdictMutation,
  type ReworkKeepMutation,
  abPickSchema,
  qualificationAnswerSchema,
  reviewVerdictSchema,
  reworkKeepSchema,
} from '@in3d/shared/protocol';
import type { AbChoice, AbSide, ReviewVerdict } from '@in3d/shared/quality';
import type { AnnotationValues } from '@in3d/shared/types';
import type { LocalAnnotation } from './contract';
import type { AttemptAnswerRow, LocalDb } from './db';
import { commitMutation, valuesOf } from './local-save';

export interface Who {
  userId: string;
  clientId: string;
}

export interface ReviewInput {
  revisionId: string;
  verdict: ReviewVerdict;
  comment: string | null;
}

export interface PickInput {
  questionId: string;
  a: AbSide;
  b: AbSide;
  choice: AbChoice;
}

const side = (s: AbSide): AbSide => (s.kind === 'initial' ? { kind: 'initial' } : { kind: 'annotation', revisionId: s.revisionId });

// Each is parsed before it is kept: a page passing a bad value is a bug to see now, not a rejection later.
export function saveReview(db: LocalDb, who: Who, input: ReviewInput): Promise<ReviewVerdictMutation> {
  return commitMutation<ReviewVerdictMutation>(db, who, [], async (base) => ({
    mutation: reviewVerdictSchema.parse({ ...base, kind: 'review.verdict', revisionId: input.revisionId, verdict: input.verdict, comment: input.comment }),
  }));
}

export function savePick(db: LocalDb, who: Who, input: PickInput): Promise<AbPickMutation> {
  return commitMutation<AbPickMutation>(db, who, [], async (base) => ({
    mutation: abPickSchema.parse({ ...base, kind: 'ab.pick', questionId: input.questionId, a: side(input.a), b: side(input.b), choice: input.choice }),
  }));
}

/** R26: the annotator keeps the reviewed answer, for `reason`; the reviewer reads it. */
export function saveReworkKeep(db: LocalDb, who: Who, input: { reviewId: string; reason: string }): Promise<ReworkKeepMutation> {
  return commitMutation<ReworkKeepMutation>(db, who, [], async (base) => ({
    mutation: reworkKeepSchema.parse({ ...base, kind: 'rework.keep', reviewId: input.reviewId, reason: input.reason.trim() }),
  }));
}

export async function saveAttemptAnswer(
  db: LocalDb,
  who: Who,
  input: { attemptId: string; taskId: string; questionId: string; values: AnnotationValues },
): Promise<AttemptAnswerRow> {
  let row: AttemptAnswerRow | undefined;
  await commitMutation<QualificationAnswerMutation>(db, who, [db.attemptAnswers], async (base) => {
    const mutation = qualificationAnswerSchema.parse({
      ...base, kind: 'qualification.answer', attemptId: input.attemptId, questionId: input.questionId, values: valuesOf(input.values),
    });
    const shown: AttemptAnswerRow = {
      ...mutation.values,
      userId: who.userId,
      attemptId: input.attemptId,
      taskId: input.taskId,
      questionId: input.questionId,
      id: mutation.id,
      savedAt: mutation.clientSavedAt,
      sync: { kind: 'saved-on-device' },
    };
    row = shown;
    return { mutation, write: () => db.attemptAnswers.put(shown) };
  });
  return row!;
}

/** An attempt answer as the annotate page shows it (the same shape as an annotation, never one). */
export const toLocalAnswer = (r: AttemptAnswerRow): LocalAnnotation => ({
  ...valuesOf(r), id: r.id, questionId: r.questionId, taskId: r.taskId, savedAt: r.savedAt, sync: r.sync,
});
