// What the admin dashboard lists: accounts, tasks with each assignee's progress, questions with their
// tasks and gold flag. The writes it makes belong to the tables' own repositories (users, catalogue, sessions).
import type { AdminQuestion, AdminTask, AdminUser } from '@in3d/shared/quality';
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/connect';
import { parseSourceGold } from './gold';
import { imageUrl } from './tasks';

export async function listAdminUsers(db: DbOrTrx): Promise<AdminUser[]> {
  const rows = await db.selectFrom('users').select(['id', 'display_name', 'role', 'qualified', 'disabled', 'created_at']).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, displayName: r.display_name, role: r.role, qualified: r.qualified === 1, disabled: r.disabled === 1, createdAt: r.created_at,
  }));
}

export async function listAdminTasks(db: DbOrTrx): Promise<AdminTask[]> {
  const tasks = await sql<{ id: string; name: string; kind: string; created_at: string; total: number }>`
    SELECT t.id, t.name, t.kind, t.created_at, (SELECT COUNT(*) FROM task_questions tq WHERE tq.task_id = t.id) AS total
    FROM tasks t ORDER BY t.created_at, t.id`.execute(db);
  const done = await sql<{ task_id: string; user_id: string; done: number }>`
    SELECT a.task_id, a.user_id,
           (SELECT COUNT(*) FROM task_questions tq JOIN annotated_heads h ON h.question_id = tq.question_id AND h.user_id = a.user_id
            WHERE tq.task_id = a.task_id) AS done
    FROM assignments a ORDER BY a.assigned_at, a.user_id`.execute(db);
  const byTask = new Map<string, { userId: string; done: number }[]>();
  for (const d of done.rows) {
    const list = byTask.get(d.task_id) ?? [];
    list.push({ userId: d.user_id, done: Number(d.done) });
    byTask.set(d.task_id, list);
  }
  return tasks.rows.map((t) => ({
    id: t.id, name: t.name, kind: t.kind, createdAt: t.created_at, total: Number(t.total), assignees: byTask.get(t.id) ?? [],
  }));
}

export const QUESTION_STATUSES = ['open', 'annotated', 'conflict'] as const;
export type QuestionStatusFilter = (typeof QUESTION_STATUSES)[number];

export interface QuestionFilter {
  /** Substrings, case-insensitive, matched as the admin types. */
  category?: string;
  annotator?: string;
  task?: string;
  /** open: nobody's head; annotated: someone's head; conflict: a head with an open conflict. */
  status?: QuestionStatusFilter;
  limit: number;
  offset: number;
}

/** `%text%` for LIKE, with the wildcards in the text escaped (`\` is the escape character). */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

export async function listAdminQuestions(db: DbOrTrx, f: QuestionFilter): Promise<{ total: number; questions: AdminQuestion[] }> {
  let base = db.selectFrom('questions as q');
  if (f.category) base = base.where(sql<boolean>`q.category_id LIKE ${contains(f.category)} ESCAPE '\\'`);
  if (f.annotator)
    base = base.where(sql<boolean>`EXISTS (SELECT 1 FROM annotated_heads h WHERE h.question_id = q.id AND h.user_id LIKE ${contains(f.annotator)} ESCAPE '\\')`);
  if (f.task)
    base = base.where(sql<boolean>`EXISTS (SELECT 1 FROM task_questions tq WHERE tq.question_id = q.id AND tq.task_id LIKE ${contains(f.task)} ESCAPE '\\')`);
  if (f.status === 'open') base = base.where(sql<boolean>`NOT EXISTS (SELECT 1 FROM annotated_heads h WHERE h.question_id = q.id)`);
  if (f.status === 'annotated') base = base.where(sql<boolean>`EXISTS (SELECT 1 FROM annotated_heads h WHERE h.question_id = q.id)`);
  if (f.status === 'conflict')
    base = base.where(sql<boolean>`EXISTS (SELECT 1 FROM annotation_heads h WHERE h.question_id = q.id AND h.conflict_revision_id IS NOT NULL)`);
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base
    .innerJoin('images as i', 'i.id', 'q.image_id')
    .leftJoin('gold_questions as g', 'g.question_id', 'q.id')
    .select(['q.id', 'q.category_id', 'q.image_id', 'q.source_json', 'g.question_id as gold', 'i.etag as image_etag', 'i.file_path as image_file'])
    .select(sql<string | null>`(SELECT GROUP_CONCAT(tq.task_id, char(31)) FROM task_questions tq JOIN tasks t ON t.id = tq.task_id
      WHERE tq.question_id = q.id AND t.kind != 'qualification')`.as('task_ids'))
    .select(sql<string | null>`(SELECT GROUP_CONCAT(h.user_id, char(31)) FROM annotated_heads h WHERE h.question_id = q.id)`.as('annotators'))
    .select(sql<number>`(SELECT COUNT(*) FROM annotation_heads h WHERE h.question_id = q.id AND h.conflict_revision_id IS NOT NULL)`.as('conflicts'))
    .orderBy('q.category_id')
    .orderBy('q.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return {
    total,
    questions: rows.map((r) => {
      const annotators = r.annotators ? r.annotators.split('\u001f').sort() : [];
      return {
        id: r.id,
        category: r.category_id,
        imageId: r.image_id,
        // No photo stored (an import without its images): no URL, so the page shows no broken thumbnail.
        ...(r.image_file === null ? {} : { imageUrl: imageUrl(r.image_id, r.image_etag) }),
        isGold: r.gold !== null,
        hasSourceGold: parseSourceGold(r.source_json) !== null,
        taskIds: r.task_ids ? r.task_ids.split('\u001f') : [],
        annotators,
        status: Number(r.conflicts) > 0 ? 'conflict' : annotators.length ? 'annotated' : 'open',
      };
    }),
  };
}
