// Frozen: never edit a migration that has shipped; add a new one. Migrations import no app code.
// Admin actions (who, what, when), shown on the dashboard: every successful state-changing admin call.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE admin_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    status INTEGER NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX admin_audit_at ON admin_audit (at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE admin_audit`.execute(db);
}
