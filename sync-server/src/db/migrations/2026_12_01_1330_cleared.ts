// Frozen: never edit a migration that has shipped; add a new one. Migrations import no app code.
// SPEC R51: "Clear annotation" is a revision like any save, marked `cleared`; a head on such a revision
// means "not annotated". `annotated_heads` is the one definition of "annotated" every count, queue and
// export reads; `annotation_heads` stays the protocol's view (conflict detection, pull).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE annotations ADD COLUMN cleared INTEGER NOT NULL DEFAULT 0 CHECK (cleared IN (0, 1))`.execute(db);
  await sql`CREATE VIEW annotated_heads AS
    SELECT h.question_id, h.user_id, h.revision_id, h.conflict_revision_id, h.updated_seq
    FROM annotation_heads h JOIN annotations a ON a.id = h.revision_id
    WHERE a.cleared = 0`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP VIEW IF EXISTS annotated_heads`.execute(db);
  await sql`ALTER TABLE annotations DROP COLUMN cleared`.execute(db);
}
