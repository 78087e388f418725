// Frozen: never edit a migration that has shipped; add a new one. Migrations import no app code.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // SPEC R37. REPLACE (INSERT OR REPLACE, REPLACE INTO) deletes the clashing revision and inserts a new
  // one, and SQLite fires delete triggers for that only with recursive_triggers on, so the append-only
  // delete trigger is not enough. Any insert that names a stored id or seq is refused before it runs
  // (this also covers upserts and OR IGNORE: a revision id is never offered twice).
  await sql`CREATE TRIGGER annotations_append_only_replace BEFORE INSERT ON annotations
    WHEN EXISTS (SELECT 1 FROM annotations WHERE id = NEW.id OR seq = NEW.seq)
    BEGIN SELECT RAISE(ABORT, 'annotations are append-only: this revision id or seq is already stored'); END`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS annotations_append_only_replace`.execute(db);
}
