// Frozen: never edit a migration that has shipped; add a new one. Migrations import no app code.
// Qualification answers become attempt records (SPEC R21, R23), not annotations: a table of their own,
// append-only like annotations, and the answers saved so far as annotations of qualification tasks are
// copied into it and taken off the annotation heads (so exports, progress and the dashboard never see
// them; the old revisions stay, annotations being append-only). Reviews and A/B picks arrive as sync
// mutations (R19, R20) and remember the device that sent them, for R22's id ownership.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE qualification_answers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    attempt_id TEXT NOT NULL REFERENCES qualification_attempts(id),
    question_id TEXT NOT NULL REFERENCES questions(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    client_id TEXT NOT NULL,
    client_seq INTEGER,
    azimuth REAL NOT NULL, elevation REAL NOT NULL, theta REAL NOT NULL,
    distance REAL NOT NULL, px REAL NOT NULL, py REAL NOT NULL,
    subtype INTEGER NOT NULL,
    object_status TEXT NOT NULL CHECK (object_status IN ('status_good','status_partially','status_barely','status_bad')),
    dense TEXT NOT NULL CHECK (dense IN ('dense_no','dense_yes')),
    active_ms INTEGER NOT NULL,
    ambiguous_json TEXT,
    client_saved_at TEXT NOT NULL,
    server_received_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX qualification_answers_attempt ON qualification_answers(attempt_id, question_id, seq)`.execute(db);
  await sql`CREATE TRIGGER qualification_answers_append_only_update BEFORE UPDATE ON qualification_answers
    BEGIN SELECT RAISE(ABORT, 'qualification answers are append-only'); END`.execute(db);
  await sql`CREATE TRIGGER qualification_answers_append_only_delete BEFORE DELETE ON qualification_answers
    BEGIN SELECT RAISE(ABORT, 'qualification answers are append-only'); END`.execute(db);

  await sql`INSERT INTO qualification_answers (id, attempt_id, question_id, user_id, client_id, client_seq,
      azimuth, elevation, theta, distance, px, py, subtype, object_status, dense, active_ms, client_saved_at, server_received_at)
    SELECT a.id, qa.id, a.question_id, a.user_id, a.client_id, a.client_seq,
      a.azimuth, a.elevation, a.theta, a.distance, a.px, a.py, a.subtype, a.object_status, a.dense, a.active_ms, a.client_saved_at, a.server_received_at
    FROM annotations a JOIN qualification_attempts qa ON qa.task_id = a.task_id AND qa.user_id = a.user_id
    ORDER BY a.seq`.execute(db);

  const qualificationRevisions = sql`(SELECT a.id FROM annotations a JOIN tasks t ON t.id = a.task_id WHERE t.kind = 'qualification')`;
  const newestOther = sql`(SELECT b.id FROM annotations b LEFT JOIN tasks t ON t.id = b.task_id
    WHERE b.question_id = annotation_heads.question_id AND b.user_id = annotation_heads.user_id
      AND (t.kind IS NULL OR t.kind != 'qualification')
    ORDER BY b.seq DESC LIMIT 1)`;
  await sql`UPDATE annotation_heads SET conflict_revision_id = NULL WHERE conflict_revision_id IN ${qualificationRevisions}`.execute(db);
  await sql`UPDATE annotation_heads SET revision_id = ${newestOther}
    WHERE revision_id IN ${qualificationRevisions} AND ${newestOther} IS NOT NULL`.execute(db);
  await sql`DELETE FROM annotation_heads WHERE revision_id IN ${qualificationRevisions}`.execute(db);

  await sql`ALTER TABLE reviews ADD COLUMN client_id TEXT`.execute(db);
  await sql`ALTER TABLE ab_judgements ADD COLUMN client_id TEXT`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE ab_judgements DROP COLUMN client_id`.execute(db);
  await sql`ALTER TABLE reviews DROP COLUMN client_id`.execute(db);
  await sql`DROP TABLE IF EXISTS qualification_answers`.execute(db);
}
