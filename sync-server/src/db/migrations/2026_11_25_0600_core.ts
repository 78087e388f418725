// Frozen: never edit a migration that has shipped; add a new one. Migrations import no app code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE users (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('annotator','reviewer','admin')),
    password_hash TEXT NOT NULL,
    qualified INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  ) STRICT`.execute(db);

  await sql`CREATE TABLE sessions (
    id TEXT PRIMARY KEY,              -- sha256 of the cookie token; the token itself is never stored
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX sessions_user ON sessions(user_id)`.execute(db);

  await sql`CREATE TABLE categories (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
  ) STRICT`.execute(db);

  await sql`CREATE TABLE cad_models (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    category_id TEXT NOT NULL REFERENCES categories(id),
    subtype INTEGER NOT NULL CHECK (subtype >= 1),   -- 1-based, as the original's cad_index
    name TEXT NOT NULL,
    mesh BLOB NOT NULL,                              -- shared/src/mesh/codec.ts format
    etag TEXT NOT NULL,
    vertex_count INTEGER NOT NULL,
    triangle_count INTEGER NOT NULL,
    UNIQUE (category_id, subtype)
  ) STRICT`.execute(db);

  await sql`CREATE TABLE images (
    id TEXT PRIMARY KEY,
    category_id TEXT NOT NULL REFERENCES categories(id),
    file_path TEXT,                 -- relative to DATA_DIR; NULL when the photo is missing
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    etag TEXT,
    bytes INTEGER
  ) STRICT`.execute(db);

  await sql`CREATE TABLE questions (
    id TEXT PRIMARY KEY,
    image_id TEXT NOT NULL REFERENCES images(id),
    category_id TEXT NOT NULL REFERENCES categories(id),
    bbox_x1 REAL NOT NULL, bbox_y1 REAL NOT NULL, bbox_x2 REAL NOT NULL, bbox_y2 REAL NOT NULL,
    viewport REAL NOT NULL,
    init_azimuth REAL NOT NULL, init_elevation REAL NOT NULL, init_theta REAL NOT NULL,   -- degrees
    init_distance REAL NOT NULL, init_px REAL NOT NULL, init_py REAL NOT NULL,
    init_subtype INTEGER NOT NULL,
    source_json TEXT,               -- the original file's other keys, kept for a faithful export
    created_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX questions_image ON questions(image_id)`.execute(db);

  await sql`CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'annotate',
    created_at TEXT NOT NULL
  ) STRICT`.execute(db);

  await sql`CREATE TABLE task_questions (
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL REFERENCES questions(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (task_id, question_id)
  ) STRICT`.execute(db);
  await sql`CREATE INDEX task_questions_question ON task_questions(question_id)`.execute(db);

  // One question may reach several annotators (agreement, gold checks) through several assignments.
  await sql`CREATE TABLE assignments (
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id),
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (task_id, user_id)
  ) STRICT`.execute(db);
  await sql`CREATE INDEX assignments_user ON assignments(user_id)`.execute(db);

  await sql`CREATE TABLE sync_clients (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    last_seq INTEGER NOT NULL DEFAULT 0,   -- highest per-client sequence number applied
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
  ) STRICT`.execute(db);

  // Append-only revision history: every save is a new row, nothing is overwritten (triggers below).
  await sql`CREATE TABLE annotations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- server order, the pull cursor
    id TEXT NOT NULL UNIQUE,                -- the mutation id (uuid): applying it twice is impossible
    question_id TEXT NOT NULL REFERENCES questions(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    task_id TEXT,
    client_id TEXT NOT NULL,
    client_seq INTEGER,
    base_revision_id TEXT,
    azimuth REAL NOT NULL, elevation REAL NOT NULL, theta REAL NOT NULL,
    distance REAL NOT NULL, px REAL NOT NULL, py REAL NOT NULL,
    subtype INTEGER NOT NULL,
    object_status TEXT NOT NULL CHECK (object_status IN ('status_good','status_partially','status_barely','status_bad')),
    dense TEXT NOT NULL CHECK (dense IN ('dense_no','dense_yes')),
    active_ms INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT 'app',
    client_saved_at TEXT NOT NULL,
    server_received_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX annotations_question_user ON annotations(question_id, user_id)`.execute(db);
  await sql`CREATE TRIGGER annotations_append_only_update BEFORE UPDATE ON annotations
    BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END`.execute(db);
  await sql`CREATE TRIGGER annotations_append_only_delete BEFORE DELETE ON annotations
    BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END`.execute(db);

  // The current revision of each (question, annotator); a pointer, so it may move.
  await sql`CREATE TABLE annotation_heads (
    question_id TEXT NOT NULL REFERENCES questions(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    revision_id TEXT NOT NULL REFERENCES annotations(id),
    conflict_revision_id TEXT REFERENCES annotations(id),  -- set while two devices disagree
    updated_seq INTEGER NOT NULL,
    PRIMARY KEY (question_id, user_id)
  ) STRICT`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['annotation_heads', 'annotations', 'sync_clients', 'assignments', 'task_questions', 'tasks', 'questions', 'images', 'cad_models', 'categories', 'sessions', 'users'])
    await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
}
