// Frozen: never edit a migration that has shipped; add a new one. Migrations import no app code.
// SPEC R26: an annotator's "keep as is" answer to a rework verdict (`rework.keep`), stored once per
// mutation id; with it the rework is closed and the reviewer reads the reason.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE rework_keeps (
    id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES reviews(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    client_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    client_saved_at TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX rework_keeps_review ON rework_keeps(review_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE rework_keeps`.execute(db);
}
