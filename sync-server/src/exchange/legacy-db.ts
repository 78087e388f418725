// Reads the original Flask tool's SQLite database (read-only). Its schema is loose (no keys on tasks,
// integers stored as text at times), so every row is normalised here and missing tables read as empty.
import SQLite from 'better-sqlite3';

export interface LegacyAnnotator {
  id: string;
  passedTest: boolean;
}
export interface LegacyTask {
  id: string;
  annotatorId: string | null;
}
export interface LegacyQuestion {
  id: string;
  taskId: string;
  finished: boolean;
  imgPath: string;
  annoPath: string;
  /** The category (the original stores the CAD folder name). */
  cadPath: string;
}
export interface LegacyData {
  annotators: LegacyAnnotator[];
  tasks: LegacyTask[];
  questions: LegacyQuestion[];
  qualityTasks: LegacyTask[];
  qualityQuestionCount: number;
  /** annotations.time by annotation id (the question id), when the original recorded it. */
  saveTimes: Map<string, string>;
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const truthy = (v: unknown) => v === 1 || v === '1' || v === true || v === 1n || (typeof v === 'string' && v.toLowerCase() === 'true');

/** @throws Error when the file is not an SQLite database or lacks the questions table. */
export function readLegacyDatabase(file: string): LegacyData {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    if (!tables.has('questions')) throw new Error('no questions table: not a database of the original annotation tool');
    const rows = (table: string, order = 'rowid') =>
      tables.has(table) ? (db.prepare(`SELECT * FROM "${table}" ORDER BY ${order}`).all() as Record<string, unknown>[]) : [];
    const annotators = rows('annotators')
      .filter((r) => str(r.annotator_id) !== '')
      .map((r) => ({ id: str(r.annotator_id), passedTest: truthy(r.pass_test) }));
    const task = (r: Record<string, unknown>) => ({ id: str(r.task_id), annotatorId: str(r.annotator_id) || null });
    const questions = rows('questions').map((r) => ({
      id: str(r.question_id),
      taskId: str(r.task_id),
      finished: truthy(r.finished),
      imgPath: str(r.img_path),
      annoPath: str(r.anno_path),
      cadPath: str(r.cad_path),
    }));
    const saveTimes = new Map<string, string>();
    for (const r of rows('annotations')) if (r.time != null) saveTimes.set(str(r.annotation_id), str(r.time));
    return {
      annotators,
      tasks: rows('tasks').filter((r) => str(r.task_id) !== '').map(task),
      questions,
      qualityTasks: rows('quality_tasks').filter((r) => str(r.task_id) !== '').map(task),
      qualityQuestionCount: rows('quality_questions').length,
      saveTimes,
    };
  } finally {
    db.close();
  }
}
