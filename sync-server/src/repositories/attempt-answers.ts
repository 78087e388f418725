// Qualification answers: attempt records, never annotations (SPEC R21, R23). Append-only; the newest
// answer per question (server order) is the one scored. Nothing that reads the dataset (exports,
// progress, dashboard, review queue, pull) reads this table.
import type { AnnotationValues, PoseParamName } from '@in3d/shared/types';
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/connect';
import { ambiguousJson, ambiguousOf } from './annotations';

export interface NewAttemptAnswer extends AnnotationValues {
  id: string;
  attemptId: string;
  questionId: string;
  userId: string;
  clientId: string;
  clientSeq: number | null;
  clientSavedAt: string;
  serverReceivedAt: string;
}

export async function insertAttemptAnswer(db: DbOrTrx, a: NewAttemptAnswer): Promise<void> {
  await db
    .insertInto('qualification_answers')
    .values({
      id: a.id,
      attempt_id: a.attemptId,
      question_id: a.questionId,
      user_id: a.userId,
      client_id: a.clientId,
      client_seq: a.clientSeq,
      azimuth: a.pose.azimuth,
      elevation: a.pose.elevation,
      theta: a.pose.theta,
      distance: a.pose.distance,
      px: a.pose.px,
      py: a.pose.py,
      subtype: a.subtype,
      object_status: a.objectStatus,
      dense: a.dense,
      active_ms: a.activeMs,
      ambiguous_json: ambiguousJson(a.ambiguous),
      client_saved_at: a.clientSavedAt,
      server_received_at: a.serverReceivedAt,
    })
    .execute();
}

export interface AttemptAnswer {
  questionId: string;
  index: number;
  /** The answer's mutation id. */
  revisionId: string;
  azimuth: number; elevation: number; theta: number; distance: number; px: number; py: number;
  subtype: number; objectStatus: string; dense: string;
  ambiguous: PoseParamName[];
}

/** The attempt's questions in task order and the newest answer to each (answered ones only). */
export async function attemptAnswers(db: DbOrTrx, attempt: { id: string; taskId: string }): Promise<{ questionIds: string[]; answers: AttemptAnswer[] }> {
  const qs = await db.selectFrom('task_questions').select('question_id').where('task_id', '=', attempt.taskId).orderBy('position').orderBy('question_id').execute();
  const rows = await sql<{
    question_id: string; id: string; azimuth: number; elevation: number; theta: number; distance: number; px: number; py: number;
    subtype: number; object_status: string; dense: string; ambiguous_json: string | null;
  }>`
    SELECT a.question_id, a.id, a.azimuth, a.elevation, a.theta, a.distance, a.px, a.py, a.subtype, a.object_status, a.dense, a.ambiguous_json
    FROM qualification_answers a
    WHERE a.attempt_id = ${attempt.id}
      AND a.seq = (SELECT MAX(b.seq) FROM qualification_answers b WHERE b.attempt_id = a.attempt_id AND b.question_id = a.question_id)`.execute(db);
  const byQ = new Map(rows.rows.map((r) => [r.question_id, r]));
  const questionIds = qs.map((q) => q.question_id);
  const answers: AttemptAnswer[] = [];
  questionIds.forEach((questionId, index) => {
    const r = byQ.get(questionId);
    if (r)
      answers.push({
        questionId, index, revisionId: r.id,
        azimuth: r.azimuth, elevation: r.elevation, theta: r.theta, distance: r.distance, px: r.px, py: r.py,
        subtype: r.subtype, objectStatus: r.object_status, dense: r.dense, ambiguous: ambiguousOf(r.ambiguous_json),
      });
  });
  return { questionIds, answers };
}

/** Whether the attempt's task holds the question. */
export async function attemptHasQuestion(db: DbOrTrx, taskId: string, questionId: string): Promise<boolean> {
  return !!(await db.selectFrom('task_questions').select('question_id').where('task_id', '=', taskId).where('question_id', '=', questionId).executeTakeFirst());
}
