// Frozen: never edit a migration that has shipped; add a new one. Migrations import no app code.
// Which gold references each annotator has been shown (in a qualification attempt's results), so a
// retry can draw questions whose answer they have not seen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE gold_reveals (
    user_id TEXT NOT NULL REFERENCES users(id),
    question_id TEXT NOT NULL REFERENCES questions(id),
    attempt_id TEXT NOT NULL REFERENCES qualification_attempts(id),
    revealed_at TEXT NOT NULL,
    PRIMARY KEY (user_id, question_id)
  ) STRICT, WITHOUT ROWID`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE gold_reveals`.execute(db);
}
