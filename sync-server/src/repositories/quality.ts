// Qualification: its settings, attempts (each with its own task of gold questions) and the task lock
// that keeps a new annotator's normal tasks closed until they pass. Also `questionInfos`, which the
// review and A/B repositories use to describe questions outside a task listing.
import { DEFAULT_THRESHOLDS } from '@in3d/shared/metrics';
import type { AttemptSummary, QualificationSettings, QuestionResult } from '@in3d/shared/quality';
import type { QuestionInfo, SessionUser } from '@in3d/shared/types';
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/connect';
import { assignTask, setTaskQuestions, upsertTask } from './catalogue';
import { selectIn } from './chunks';
import { imageUrl } from './tasks';

export const QUALIFICATION_TASK_KIND = 'qualification';
const SETTINGS_KEY = 'qualification';

export const DEFAULT_QUALIFICATION: QualificationSettings = { ...DEFAULT_THRESHOLDS, required: true, questionsPerAttempt: 0 };

export async function getQualificationSettings(db: DbOrTrx): Promise<QualificationSettings> {
  const row = await db.selectFrom('settings').select('value_json').where('key', '=', SETTINGS_KEY).executeTakeFirst();
  if (!row) return { ...DEFAULT_QUALIFICATION };
  // Missing keys (settings saved by an older version) fall back to the defaults.
  return { ...DEFAULT_QUALIFICATION, ...(JSON.parse(row.value_json) as Partial<QualificationSettings>) };
}

/** Whether an admin (or the demo seed) has saved settings, rather than running on the defaults. */
export async function hasQualificationSettings(db: DbOrTrx): Promise<boolean> {
  return !!(await db.selectFrom('settings').select('key').where('key', '=', SETTINGS_KEY).executeTakeFirst());
}

export async function saveQualificationSettings(db: DbOrTrx, value: QualificationSettings, by: string | null): Promise<void> {
  const row = { value_json: JSON.stringify(value), updated_at: new Date().toISOString(), updated_by: by };
  await db
    .insertInto('settings')
    .values({ key: SETTINGS_KEY, ...row })
    .onConflict((oc) => oc.column('key').doUpdateSet(row))
    .execute();
}

/**
 * QuestionInfo for (question, task) pairs; `index` is the question's rank in that task (0 when the
 * task is null or does not hold it). Unknown questions are left out.
 */
export async function questionInfos(db: DbOrTrx, refs: readonly { questionId: string; taskId: string | null }[]): Promise<Map<string, QuestionInfo>> {
  const out = new Map<string, QuestionInfo>();
  if (refs.length === 0) return out;
  const ids = [...new Set(refs.map((r) => r.questionId))];
  const rows = await selectIn(ids, (slice) => db
    .selectFrom('questions as q')
    .innerJoin('images as i', 'i.id', 'q.image_id')
    .select([
      'q.id', 'q.category_id', 'q.image_id', 'i.etag', 'i.width', 'i.height',
      'q.bbox_x1', 'q.bbox_y1', 'q.bbox_x2', 'q.bbox_y2', 'q.viewport',
      'q.init_azimuth', 'q.init_elevation', 'q.init_theta', 'q.init_distance', 'q.init_px', 'q.init_py', 'q.init_subtype',
    ])
    .where('q.id', 'in', slice)
    .execute());
  const byId = new Map(rows.map((r) => [r.id, r]));
  const taskIds = [...new Set(refs.map((r) => r.taskId).filter((t): t is string => !!t))];
  const ranks = new Map<string, number>();
  if (taskIds.length) {
    // One window per task, so slicing the task ids does not change any rank.
    const r = await selectIn(taskIds, async (slice) => (await sql<{ task_id: string; question_id: string; idx: number }>`
      SELECT task_id, question_id,
             ROW_NUMBER() OVER (PARTITION BY task_id ORDER BY position, question_id) - 1 AS idx
      FROM task_questions WHERE task_id IN (${sql.join(slice)})`.execute(db)).rows);
    for (const x of r) ranks.set(`${x.task_id}\u0000${x.question_id}`, Number(x.idx));
  }
  for (const ref of refs) {
    const r = byId.get(ref.questionId);
    if (!r) continue;
    out.set(`${ref.taskId ?? ''}\u0000${ref.questionId}`, {
      id: r.id,
      taskId: ref.taskId ?? '',
      index: ref.taskId ? ranks.get(`${ref.taskId}\u0000${r.id}`) ?? 0 : 0,
      category: r.category_id,
      imageUrl: imageUrl(r.image_id, r.etag),
      imageWidth: r.width,
      imageHeight: r.height,
      bbox: [r.bbox_x1, r.bbox_y1, r.bbox_x2, r.bbox_y2],
      viewport: r.viewport,
      initialPose: { azimuth: r.init_azimuth, elevation: r.init_elevation, theta: r.init_theta, distance: r.init_distance, px: r.init_px, py: r.init_py },
      initialSubtype: r.init_subtype,
    });
  }
  return out;
}

/** Key into the map `questionInfos` returns. */
export const infoKey = (taskId: string | null, questionId: string) => `${taskId ?? ''}\u0000${questionId}`;

// ---- the lock -----------------------------------------------------------------------------------------

/** Whether `user` must still pass the test: an unqualified annotator while the test is required. */
export async function needsQualification(db: DbOrTrx, user: Pick<SessionUser, 'role' | 'qualified'>): Promise<boolean> {
  if (user.role !== 'annotator' || user.qualified) return false;
  return (await getQualificationSettings(db)).required;
}

/** The user's assigned tasks that are not qualification tasks (locked while `needsQualification`). */
export async function normalTaskIds(db: DbOrTrx, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('assignments as a')
    .innerJoin('tasks as t', 't.id', 'a.task_id')
    .select('t.id')
    .where('a.user_id', '=', userId)
    .where('t.kind', '!=', QUALIFICATION_TASK_KIND)
    .execute();
  return rows.map((r) => r.id);
}

/** Whether a photo belongs to a question of a task assigned to the user (only qualification tasks if `qualificationOnly`). */
export async function imageInAssignedTask(db: DbOrTrx, userId: string, imageId: string, qualificationOnly: boolean): Promise<boolean> {
  let q = db
    .selectFrom('questions as q')
    .innerJoin('task_questions as tq', 'tq.question_id', 'q.id')
    .innerJoin('assignments as a', 'a.task_id', 'tq.task_id')
    .select('q.id')
    .where('q.image_id', '=', imageId)
    .where('a.user_id', '=', userId);
  if (qualificationOnly) q = q.innerJoin('tasks as t', 't.id', 'tq.task_id').where('t.kind', '=', QUALIFICATION_TASK_KIND);
  return !!(await q.limit(1).executeTakeFirst());
}

export async function taskKinds(db: DbOrTrx, taskIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await selectIn(taskIds, (slice) => db.selectFrom('tasks').select(['id', 'kind']).where('id', 'in', slice).execute());
  return new Map(rows.map((r) => [r.id, r.kind]));
}

// ---- attempts -----------------------------------------------------------------------------------------

interface AttemptRow {
  id: string; user_id: string; number: number; task_id: string; started_at: string; submitted_at: string | null;
  passed: number | null; thresholds_json: string | null; results_json: string | null;
}

export interface Attempt extends AttemptSummary {
  userId: string;
  results: QuestionResult[] | null;
  thresholds: QualificationSettings | null;
}

async function toAttempt(db: DbOrTrx, r: AttemptRow): Promise<Attempt> {
  const counts = await sql<{ total: number; answered: number }>`
    SELECT COUNT(*) AS total,
           SUM(EXISTS (SELECT 1 FROM qualification_answers a WHERE a.attempt_id = ${r.id} AND a.question_id = tq.question_id)) AS answered
    FROM task_questions tq WHERE tq.task_id = ${r.task_id}`.execute(db);
  const results = r.results_json ? (JSON.parse(r.results_json) as QuestionResult[]) : null;
  return {
    id: r.id,
    userId: r.user_id,
    number: r.number,
    taskId: r.task_id,
    startedAt: r.started_at,
    submittedAt: r.submitted_at,
    passed: r.passed === null ? null : r.passed === 1,
    questionCount: Number(counts.rows[0]?.total ?? 0),
    answered: Number(counts.rows[0]?.answered ?? 0),
    passedCount: results ? results.filter((x) => x.passed).length : null,
    results,
    thresholds: r.thresholds_json ? (JSON.parse(r.thresholds_json) as QualificationSettings) : null,
  };
}

export async function listAttempts(db: DbOrTrx, userId: string): Promise<Attempt[]> {
  const rows = await db.selectFrom('qualification_attempts').selectAll().where('user_id', '=', userId).orderBy('number').execute();
  return Promise.all(rows.map((r) => toAttempt(db, r)));
}

/** The attempt's owner, task and whether it was submitted, without its counts (the sync path's check, R21). */
export async function attemptState(db: DbOrTrx, attemptId: string): Promise<{ userId: string; taskId: string; submitted: boolean } | undefined> {
  const row = await db.selectFrom('qualification_attempts').select(['user_id', 'task_id', 'submitted_at']).where('id', '=', attemptId).executeTakeFirst();
  return row && { userId: row.user_id, taskId: row.task_id, submitted: row.submitted_at !== null };
}

export async function findAttempt(db: DbOrTrx, attemptId: string): Promise<Attempt | undefined> {
  const row = await db.selectFrom('qualification_attempts').selectAll().where('id', '=', attemptId).executeTakeFirst();
  return row && toAttempt(db, row);
}

/**
 * Starts attempt n+1: a new task of kind 'qualification' holding `questionIds`, assigned to the user.
 * Call inside a transaction.
 */
export async function createAttempt(db: DbOrTrx, userId: string, questionIds: readonly string[], now = new Date()): Promise<Attempt> {
  const last = await db
    .selectFrom('qualification_attempts')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const number = Number(last?.n ?? 0) + 1;
  const at = now.toISOString();
  const taskId = `qualification-${userId}-${number}`;
  const id = `${userId}-${number}`;
  await upsertTask(db, { id: taskId, name: `Qualification test (attempt ${number})`, kind: QUALIFICATION_TASK_KIND, createdAt: now });
  await setTaskQuestions(db, taskId, questionIds);
  await assignTask(db, taskId, userId, now);
  await db.insertInto('qualification_attempts').values({ id, user_id: userId, number, task_id: taskId, started_at: at }).execute();
  return (await findAttempt(db, id))!;
}

/** Stores the outcome of a submitted attempt; a pass qualifies the user. Call inside a transaction. */
export async function recordAttemptResult(
  db: DbOrTrx,
  attempt: Pick<Attempt, 'id' | 'userId'>,
  outcome: { passed: boolean; thresholds: QualificationSettings; results: QuestionResult[] },
  now = new Date(),
): Promise<boolean> {
  const r = await db
    .updateTable('qualification_attempts')
    .set({
      submitted_at: now.toISOString(),
      passed: outcome.passed ? 1 : 0,
      thresholds_json: JSON.stringify(outcome.thresholds),
      results_json: JSON.stringify(outcome.results),
    })
    .where('id', '=', attempt.id)
    .where('submitted_at', 'is', null)
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n) return false;
  if (outcome.passed) await db.updateTable('users').set({ qualified: 1 }).where('id', '=', attempt.userId).execute();
  return true;
}
