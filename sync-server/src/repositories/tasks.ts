// Tasks as an annotator sees them: progress counted from annotated_heads (SPEC R51; a qualification attempt's
// from its answers), questions in task order.
// A question's index is its rank by position (0-based), so gaps in stored positions do not matter.
// A summary carries the user's open rework in the task (reviews sent back and not answered yet, SPEC R26).
import type { QuestionInfo, TaskSummary } from '@in3d/shared/types';
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/connect';
import { reworkOpen } from './rework';

interface SummaryRow {
  id: string;
  name: string;
  category: string | null;
  total: number;
  done: number;
  first_open: number | null;
  attempt_id: string | null;
  rework: number;
}

const toSummary = (r: SummaryRow): TaskSummary => ({
  id: r.id,
  name: r.name,
  category: r.category,
  total: Number(r.total),
  done: Number(r.done),
  firstOpenIndex: r.first_open === null ? null : Number(r.first_open),
  rework: Number(r.rework),
  ...(r.attempt_id ? { attemptId: r.attempt_id } : {}),
});

/** Summaries with `userId`'s progress, of the tasks assigned to `assignedTo` (only of `kind` if given), or of one task by id. */
async function summaries(db: DbOrTrx, userId: string, filter: { assignedTo: string; kind?: string } | { taskId: string }): Promise<SummaryRow[]> {
  // R23: a submitted qualification attempt is a result on the qualification page, not a task to edit.
  const where = 'assignedTo' in filter
    ? sql`t.id IN (SELECT task_id FROM assignments WHERE user_id = ${filter.assignedTo}) AND (qa.id IS NULL OR qa.submitted_at IS NULL)${filter.kind === undefined ? sql`` : sql` AND t.kind = ${filter.kind}`}`
    : sql`t.id = ${filter.taskId}`;
  const r = await sql<SummaryRow>`
    WITH tq AS (
      SELECT task_id, question_id,
             ROW_NUMBER() OVER (PARTITION BY task_id ORDER BY position, question_id) - 1 AS idx
      FROM task_questions
    )
    SELECT t.id, t.name, MIN(qa.id) AS attempt_id,
           CASE WHEN COUNT(DISTINCT q.category_id) = 1 THEN MIN(q.category_id) END AS category,
           COUNT(tq.question_id) AS total,
           COUNT(COALESCE(h.question_id, ans.question_id)) AS done,
           MIN(CASE WHEN tq.question_id IS NOT NULL AND h.question_id IS NULL AND ans.question_id IS NULL THEN tq.idx END) AS first_open,
           (SELECT COUNT(DISTINCT r.question_id) FROM reviews r
            WHERE r.task_id = t.id AND r.annotator_id = ${userId} AND ${reworkOpen}) AS rework
    FROM tasks t
    LEFT JOIN tq ON tq.task_id = t.id
    LEFT JOIN questions q ON q.id = tq.question_id
    LEFT JOIN qualification_attempts qa ON qa.task_id = t.id
    -- R23: an attempt's progress is its answers; a task's is the annotations (heads), never the other way.
    LEFT JOIN annotated_heads h ON qa.id IS NULL AND h.question_id = tq.question_id AND h.user_id = ${userId}
    LEFT JOIN (SELECT DISTINCT attempt_id, question_id FROM qualification_answers) ans ON ans.attempt_id = qa.id AND ans.question_id = tq.question_id
    WHERE ${where}
    GROUP BY t.id
    ORDER BY t.created_at, t.id`.execute(db);
  return r.rows;
}

/** The user's tasks with progress and open rework; only those of `kind` when given (a locked annotator sees only qualification tasks). */
export async function listAssignedTasks(db: DbOrTrx, userId: string, kind?: string): Promise<TaskSummary[]> {
  return (await summaries(db, userId, { assignedTo: userId, kind })).map(toSummary);
}

/** One task with `userId`'s progress, or undefined when the task does not exist. */
export async function getTaskSummary(db: DbOrTrx, taskId: string, userId: string): Promise<TaskSummary | undefined> {
  const [row] = await summaries(db, userId, { taskId });
  return row && toSummary(row);
}

export async function isAssigned(db: DbOrTrx, taskId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('assignments')
    .select('task_id')
    .where('task_id', '=', taskId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return !!row;
}

export const imageUrl = (imageId: string, etag: string | null) =>
  `/api/images/${encodeURIComponent(imageId)}${etag ? `?v=${etag}` : ''}`;

export async function listTaskQuestions(db: DbOrTrx, taskId: string): Promise<QuestionInfo[]> {
  const rows = await db
    .selectFrom('task_questions as tq')
    .innerJoin('questions as q', 'q.id', 'tq.question_id')
    .innerJoin('images as i', 'i.id', 'q.image_id')
    .select([
      'q.id', 'q.category_id', 'q.image_id', 'i.etag', 'i.width', 'i.height',
      'q.bbox_x1', 'q.bbox_y1', 'q.bbox_x2', 'q.bbox_y2', 'q.viewport',
      'q.init_azimuth', 'q.init_elevation', 'q.init_theta', 'q.init_distance', 'q.init_px', 'q.init_py', 'q.init_subtype',
      'i.file_path', 'q.source_json',
    ])
    .where('tq.task_id', '=', taskId)
    .orderBy('tq.position')
    .orderBy('tq.question_id')
    .execute();
  return rows.map((r, index) => ({
    id: r.id,
    taskId,
    index,
    category: r.category_id,
    imageUrl: imageUrl(r.image_id, r.etag),
    imageWidth: r.width,
    imageHeight: r.height,
    bbox: [r.bbox_x1, r.bbox_y1, r.bbox_x2, r.bbox_y2],
    viewport: r.viewport,
    initialPose: {
      azimuth: r.init_azimuth, elevation: r.init_elevation, theta: r.init_theta,
      distance: r.init_distance, px: r.init_px, py: r.init_py,
    },
    initialSubtype: r.init_subtype,
    imageName: r.file_path ? r.file_path.split('/').pop()! : r.image_id,
    ...sourcePathOf(r.source_json),
  }));
}

/** The imported file a question came from (`source_json.path`), when it has one. */
function sourcePathOf(json: string | null): { sourcePath?: string } {
  if (!json) return {};
  try {
    const p = (JSON.parse(json) as { path?: unknown }).path;
    return typeof p === 'string' ? { sourcePath: p } : {};
  } catch {
    return {}; // not ours to judge here: the admin's source view reports unreadable records
  }
}

export async function taskExists(db: DbOrTrx, taskId: string): Promise<boolean> {
  return !!(await db.selectFrom('tasks').select('id').where('id', '=', taskId).executeTakeFirst());
}
