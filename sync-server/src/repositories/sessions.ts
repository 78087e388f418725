import type { DbOrTrx } from '../db/connect';
import type { UserRow } from '../db/schema';

export async function insertSession(db: DbOrTrx, s: { id: string; userId: string; expiresAt: Date }): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id: s.id, user_id: s.userId, created_at: new Date().toISOString(), expires_at: s.expiresAt.toISOString() })
    .execute();
}

/** The user of a live session, or undefined when unknown, expired or disabled. */
export async function findSessionUser(db: DbOrTrx, sessionId: string, now = new Date()): Promise<UserRow | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.id', '=', sessionId)
    .where('sessions.expires_at', '>', now.toISOString())
    .where('users.disabled', '=', 0)
    .executeTakeFirst();
}

export async function deleteSession(db: DbOrTrx, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of a user except `keepId` (after a password change, other devices log in again). */
export async function deleteUserSessions(db: DbOrTrx, userId: string, keepId?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepId) q = q.where('id', '!=', keepId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(db: DbOrTrx, now = new Date()): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(r.numDeletedRows);
}
