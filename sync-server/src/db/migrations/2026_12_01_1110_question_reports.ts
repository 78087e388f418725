// Frozen: never edit a migration that has shipped; add a new one. Migrations import no app code.
// SPEC R50: an annotator's note or problem flag on a question (`question.report`), stored once per
// mutation id; the admin marks it resolved.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE question_reports (
    id TEXT PRIMARY KEY,
    question_id TEXT NOT NULL REFERENCES questions(id),
    task_id TEXT REFERENCES tasks(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    client_id TEXT NOT NULL,
    problem TEXT CHECK (problem IN ('wrong_bbox','wrong_category','duplicate','broken_photo','other')),
    note TEXT NOT NULL,
    client_saved_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT REFERENCES users(id)
  ) STRICT`.execute(db);
  await sql`CREATE INDEX question_reports_question ON question_reports(question_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE question_reports`.execute(db);
}
