// Frozen: never edit a migration that has shipped; add a new one. Migrations import no app code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // A permanently refused mutation is remembered, so a retried push gets the same answer (SPEC R7)
  // and an admin can see what never made it into the annotations.
  await sql`CREATE TABLE sync_rejections (
    mutation_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    client_seq INTEGER NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    body_json TEXT NOT NULL,
    rejected_at TEXT NOT NULL
  ) STRICT`.execute(db);
  await sql`CREATE INDEX sync_rejections_client ON sync_rejections(client_id, client_seq)`.execute(db);
  // The pull reads one annotator's revisions in server order (SPEC R13).
  await sql`CREATE INDEX annotations_user_seq ON annotations(user_id, seq)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS annotations_user_seq`.execute(db);
  await sql`DROP TABLE IF EXISTS sync_rejections`.execute(db);
}
