// Reads for the exporters (and the one the release importer needs) that the catalogue and annotation
// repositories do not offer: whole-database walks in pages, joined the way an export file needs them.
import type { DbOrTrx } from '../db/connect';
import { selectIn } from './chunks';
import type { AnnotationRow } from '../db/schema';

export async function listTaskQuestionIds(db: DbOrTrx, taskId: string): Promise<string[]> {
  const rows = await db.selectFrom('task_questions').select('question_id').where('task_id', '=', taskId).orderBy('position').execute();
  return rows.map((r) => r.question_id);
}

export interface ExportQuestion {
  id: string;
  category: string;
  imageId: string;
  imageWidth: number;
  imageHeight: number;
  /** The photo's path inside DATA_DIR; null when the import had no photo. */
  imageFile: string | null;
  bbox: [number, number, number, number];
  viewport: number;
  initialPose: { azimuth: number; elevation: number; theta: number; distance: number; px: number; py: number };
  initialSubtype: number;
  sourceJson: string | null;
}

/** Questions ordered by id after `afterId` (keyset paging, stable while rows are added). */
export async function listQuestionsPage(db: DbOrTrx, afterId: string | null, limit: number): Promise<ExportQuestion[]> {
  let q = db
    .selectFrom('questions as q')
    .innerJoin('images as i', 'i.id', 'q.image_id')
    .select([
      'q.id', 'q.category_id', 'q.image_id', 'i.width', 'i.height', 'i.file_path',
      'q.bbox_x1', 'q.bbox_y1', 'q.bbox_x2', 'q.bbox_y2', 'q.viewport',
      'q.init_azimuth', 'q.init_elevation', 'q.init_theta', 'q.init_distance', 'q.init_px', 'q.init_py',
      'q.init_subtype', 'q.source_json',
    ])
    .orderBy('q.id')
    .limit(limit);
  if (afterId !== null) q = q.where('q.id', '>', afterId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    category: r.category_id,
    imageId: r.image_id,
    imageWidth: r.width,
    imageHeight: r.height,
    imageFile: r.file_path,
    bbox: [r.bbox_x1, r.bbox_y1, r.bbox_x2, r.bbox_y2],
    viewport: r.viewport,
    initialPose: { azimuth: r.init_azimuth, elevation: r.init_elevation, theta: r.init_theta, distance: r.init_distance, px: r.init_px, py: r.init_py },
    initialSubtype: r.init_subtype,
    sourceJson: r.source_json,
  }));
}

export interface ExportHead {
  questionId: string;
  userId: string;
  revisionId: string;
  conflictRevisionId: string | null;
  updatedSeq: number;
}

/** The heads of these questions that hold an annotation: a cleared one (SPEC R51) is not exported. */
export async function headsOfQuestions(db: DbOrTrx, questionIds: readonly string[]): Promise<ExportHead[]> {
  const rows = (await selectIn(questionIds, (slice) => db.selectFrom('annotated_heads').selectAll().where('question_id', 'in', slice).execute()))
    .sort((a, b) => (a.question_id < b.question_id ? -1 : a.question_id > b.question_id ? 1 : a.updated_seq - b.updated_seq));
  return rows.map((r) => ({ questionId: r.question_id, userId: r.user_id, revisionId: r.revision_id, conflictRevisionId: r.conflict_revision_id, updatedSeq: r.updated_seq }));
}

/** Every revision of these questions, in server order. */
export async function revisionsOfQuestions(db: DbOrTrx, questionIds: readonly string[]): Promise<AnnotationRow[]> {
  const rows = await selectIn(questionIds, (slice) => db.selectFrom('annotations').selectAll().where('question_id', 'in', slice).execute());
  return rows.sort((a, b) => a.seq - b.seq);
}

export async function tasksOfQuestions(db: DbOrTrx, questionIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (questionIds.length === 0) return out;
  const rows = (await selectIn(questionIds, (slice) => db.selectFrom('task_questions').select(['question_id', 'task_id']).where('question_id', 'in', slice).execute()))
    .sort((a, b) => (a.task_id < b.task_id ? -1 : a.task_id > b.task_id ? 1 : 0));
  for (const r of rows) out.set(r.question_id, [...(out.get(r.question_id) ?? []), r.task_id]);
  return out;
}
