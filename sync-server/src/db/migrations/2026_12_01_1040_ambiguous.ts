// Frozen: never edit a migration that has shipped; add a new one. Migrations import no app code.
// SPEC R40: the pose parameters an annotator marked ambiguous, as a JSON array of names; NULL = none.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE annotations ADD COLUMN ambiguous_json TEXT`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE annotations DROP COLUMN ambiguous_json`.execute(db);
}
