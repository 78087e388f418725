// Frozen: never edit a migration that has shipped; add a new one. Migrations import no app code.
// Where imported rows came from, so an import can tell "the same dataset again" from "a different one
// that happens to use the same name": a user created by an import records the dataset (NULL for people
// created by hand or by the demo), and an imported CAD model the sha256 of its source file.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE users ADD COLUMN origin TEXT`.execute(db);
  await sql`ALTER TABLE cad_models ADD COLUMN source_sha256 TEXT`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE cad_models DROP COLUMN source_sha256`.execute(db);
  await sql`ALTER TABLE users DROP COLUMN origin`.execute(db);
}
