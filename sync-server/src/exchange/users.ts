// The original's annotators become annotator accounts, each with a generated one-time password that
// the summary shows once. An account that already exists is left exactly as it is.
import argon2 from 'argon2';
import { generatePassword } from '../auth/passwords';
import type { DbOrTrx } from '../db/connect';
import { findUser, insertUser } from '../repositories/users';
import type { Reports } from './report';

const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export interface NewAccount {
  id: string;
  password: string;
  qualified: boolean;
}

export interface AccountsResult {
  created: NewAccount[];
  existing: string[];
  /** Every id that may own annotations and assignments now. */
  known: Set<string>;
}

export async function importAccounts(
  db: DbOrTrx,
  people: readonly { id: string; qualified: boolean }[],
  reports: Reports,
  where: string,
): Promise<AccountsResult> {
  const result: AccountsResult = { created: [], existing: [], known: new Set() };
  const todo: NewAccount[] = [];
  const seen = new Set<string>();
  for (const p of people) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    if (!USER_ID.test(p.id)) {
      reports.add(`${where}/${p.id}`, 'bad_value', 'not a valid user id (letters, digits, . _ @ -, up to 64 characters); not imported');
      continue;
    }
    if (await findUser(db, p.id)) {
      result.existing.push(p.id);
      result.known.add(p.id);
    } else {
      todo.push({ id: p.id, password: generatePassword(), qualified: p.qualified });
    }
  }
  // A generated password has ~93 random bits, so brute force is hopeless whatever the hash costs; the
  // library's default cost (about 1.5 s a hash on a small server) is for passwords people choose. OWASP's
  // minimum argon2id setting keeps an 18-annotator import in seconds; verifyPassword reads the
  // parameters from the hash, and the user's own next password gets the full cost.
  const hashes = await Promise.all(
    todo.map((a) => argon2.hash(a.password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 })),
  );
  for (const [k, a] of todo.entries()) {
    await insertUser(db, { id: a.id, role: 'annotator', passwordHash: hashes[k]!, qualified: a.qualified });
    result.created.push(a);
    result.known.add(a.id);
  }
  return result;
}
