import type { Role, SessionUser } from '@in3d/shared/types';
import type { DbOrTrx } from '../db/connect';
import type { UserRow } from '../db/schema';

export function toSessionUser(row: Pick<UserRow, 'id' | 'display_name' | 'role' | 'qualified'>): SessionUser {
  return { id: row.id, displayName: row.display_name, role: row.role, qualified: row.qualified === 1 };
}

export async function findUser(db: DbOrTrx, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(
  db: DbOrTrx,
  user: { id: string; displayName?: string; role: Role; passwordHash: string; qualified?: boolean; /** The dataset an import created it from. */ origin?: string },
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      display_name: user.displayName ?? user.id,
      role: user.role,
      password_hash: user.passwordHash,
      qualified: user.qualified ? 1 : 0,
      created_at: new Date().toISOString(),
      origin: user.origin ?? null,
    })
    .execute();
}

export async function setPasswordHash(db: DbOrTrx, id: string, passwordHash: string): Promise<boolean> {
  const r = await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function countUsers(db: DbOrTrx): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listUsers(db: DbOrTrx): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('id').execute();
}

export async function userExists(db: DbOrTrx, id: string): Promise<boolean> {
  return !!(await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst());
}

/** Changes the given fields; false when the user does not exist. */
export async function updateUser(
  db: DbOrTrx,
  id: string,
  patch: { role?: Role; displayName?: string; qualified?: boolean; disabled?: boolean },
): Promise<boolean> {
  const set: Record<string, string | number> = {};
  if (patch.role !== undefined) set.role = patch.role;
  if (patch.displayName !== undefined) set.display_name = patch.displayName;
  if (patch.qualified !== undefined) set.qualified = patch.qualified ? 1 : 0;
  if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
  if (Object.keys(set).length === 0) return userExists(db, id);
  const r = await db.updateTable('users').set(set).where('id', '=', id).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
