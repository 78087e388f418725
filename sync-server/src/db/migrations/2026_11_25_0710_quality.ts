// Frozen: never edit a migration that has shipped; add a new one. Migrations import no app code.
// Quality workflows: settings (thresholds), gold questions, qualification attempts, A/B judgements,
// quality reviews. Review and judgement ids come from the client so an offline retry stores once.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value_json TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT REFERENCES users(id)
  ) STRICT`.execute(db);

  // The reference answer of a gold question; degrees, object units and pixels as annotations.
  await sql`CREATE TABLE gold_questions (
    question_id TEXT PRIMARY KEY REFERENCES questions(id),
    azimuth REAL NOT NULL, elevation REAL NOT NULL, theta REAL NOT NULL,
    distance REAL NOT NULL, px REAL NOT NULL, py REAL NOT NULL,
    subtype INTEGER NOT NULL,
    object_status TEXT CHECK (object_status IN ('status_good','status_partially','status_barely','status_bad')),
    dense TEXT CHECK (dense IN ('dense_no','dense_yes')),
    created_by TEXT REFERENCES users(id),
    created_at TEXT NOT NULL
  ) STRICT`.execute(db);

  // Each attempt has its own task (kind 'qualification'), so a retry starts from fresh annotations.
  await sql`CREATE TABLE qualification_attempts (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    number INTEGER NOT NULL,
    task_id TEXT NOT NULL UNIQUE REFERENCES tasks(id),
    started_at TEXT NOT NULL,
    submitted_at TEXT,
    passed INTEGER,
    thresholds_json TEXT,
    results_json TEXT,
    UNIQUE (user_id, number)
  ) STRICT`.execute(db);

  // A side is the initial prediction (revision NULL) or one stored revision; A is the left one shown.
  await sql`CREATE TABLE ab_judgements (
    id TEXT PRIMARY KEY,
    question_id TEXT NOT NULL REFERENCES questions(id),
    a_kind TEXT NOT NULL CHECK (a_kind IN ('initial','annotation')),
    a_revision_id TEXT REFERENCES annotations(id),
    b_kind TEXT NOT NULL CHECK (b_kind IN ('initial','annotation')),
    b_revision_id TEXT REFERENCES annotations(id),
    choice TEXT NOT NULL CHECK (choice IN ('a','b','both_bad')),
    reviewer_id TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX ab_judgements_question ON ab_judgements(question_id)`.execute(db);

  // A review grades one revision. Rework stays open until the annotator saves that question again
  // (a revision with a higher seq), which needs no extra write: see repositories/reviews.ts.
  await sql`CREATE TABLE reviews (
    id TEXT PRIMARY KEY,
    question_id TEXT NOT NULL REFERENCES questions(id),
    revision_id TEXT NOT NULL REFERENCES annotations(id),
    revision_seq INTEGER NOT NULL,
    annotator_id TEXT NOT NULL REFERENCES users(id),
    task_id TEXT,
    reviewer_id TEXT NOT NULL REFERENCES users(id),
    verdict TEXT NOT NULL CHECK (verdict IN ('good','bad_cad','more_cads','bad_pose','bad_image')),
    comment TEXT,
    rework INTEGER NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX reviews_annotator_question ON reviews(annotator_id, question_id)`.execute(db);
  await sql`CREATE INDEX reviews_revision ON reviews(revision_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['reviews', 'ab_judgements', 'qualification_attempts', 'gold_questions', 'settings'])
    await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
}
