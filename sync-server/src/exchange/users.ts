// The original's annotators become annotator accounts, each with a generated one-time password that
// the summary shows once. Identities are never merged silently: an account that already exists is used
// only when this same dataset created it (a re-run), when the admin named it (`samePerson`, or the
// release import's explicit annotator), or under the admin's prefix; otherwise the import stops with a
// report of every colliding id before it writes anything.
import argon2 from 'argon2';
import { generatePassword } from '../auth/passwords';
import { normalizeUserId, USER_ID, USER_ID_RULE, USER_PREFIX } from '../auth/user-id';
import type { DbOrTrx } from '../db/connect';
import { findUser, insertUser } from '../repositories/users';
import { ExchangeError, ImportConflict, type Report, type Reports } from './report';


export interface NewAccount {
  id: string;
  password: string;
  qualified: boolean;
}

/** How the admin resolves imported ids that name existing accounts. */
export interface IdentityChoice {
  /** A colliding imported id `alice` becomes the new account `<prefix>alice`. */
  userPrefix?: string;
  /** Imported id → existing account id: the admin says they are the same person. */
  samePerson?: ReadonlyMap<string, string>;
}

export interface AccountsResult {
  created: NewAccount[];
  existing: string[];
  /** Imported id → the account that owns its annotations and assignments now. */
  ids: Map<string, string>;
}

/** `alice,bob=robert` → alice→alice, bob→robert. */
export function parseSamePerson(list: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (list ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [from, to = from] = part.split('=').map((s) => normalizeUserId(s.trim()));
    if (!from || !to) throw new ExchangeError(`--same-person: "${part}" is not <imported id> or <imported id>=<account id>`);
    out.set(from, to);
  }
  return out;
}

export async function importAccounts(
  db: DbOrTrx,
  people: readonly { id: string; qualified: boolean; /** The admin named this account: an existing one is used. */ claimed?: boolean }[],
  reports: Reports,
  where: string,
  origin: string,
  choice: IdentityChoice = {},
): Promise<AccountsResult> {
  const result: AccountsResult = { created: [], existing: [], ids: new Map() };
  const todo: (NewAccount & { from: string })[] = [];
  const conflicts: Report[] = [];
  const prefix = choice.userPrefix ?? '';
  if (prefix && !USER_PREFIX.test(prefix)) throw new ExchangeError(`--user-prefix "${prefix}": letters, digits, . _ @ - only`);
  for (const [from, to] of choice.samePerson ?? []) {
    if (!people.some((p) => normalizeUserId(p.id) === normalizeUserId(from))) throw new ExchangeError(`--same-person ${from}: the import has no user ${from}`);
    if (!(await findUser(db, to))) throw new ExchangeError(`--same-person ${from}=${to}: there is no account ${to}`);
  }
  const seen = new Set<string>();
  /** Account id (NFC) → the first imported id written so; later spellings of it are that person too. */
  const spelled = new Map<string, string>();
  const twins: [string, string][] = [];
  for (const p of people) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    const ref = `${where}/${p.id}`;
    const id = normalizeUserId(p.id);
    const first = spelled.get(id);
    if (first !== undefined) {
      twins.push([p.id, first]);
      reports.add(ref, 'same_person', `${JSON.stringify(p.id)} is ${JSON.stringify(first)} in another Unicode form: one account`);
      continue;
    }
    spelled.set(id, p.id);
    if (!USER_ID.test(id)) {
      reports.add(ref, 'bad_value', `not a valid user id (${USER_ID_RULE}); not imported`);
      continue;
    }
    const same = choice.samePerson?.get(id) ?? choice.samePerson?.get(p.id);
    if (same) {
      result.existing.push(same);
      result.ids.set(p.id, same);
      reports.add(ref, 'same_person', `${p.id} is the existing account ${same}, as asked`);
      continue;
    }
    const found = await findUser(db, id);
    if (!found) {
      todo.push({ from: p.id, id, password: generatePassword(), qualified: p.qualified });
      continue;
    }
    if (found.origin === origin || p.claimed) {
      result.existing.push(id);
      result.ids.set(p.id, id);
      continue;
    }
    if (!prefix) {
      conflicts.push({ path: ref, reason: 'user_id_collision', message: `the account ${id} exists already (${found.origin ? `imported from ${found.origin}` : 'created on this server'})` });
      continue;
    }
    const renamed = prefix + id;
    const other = USER_ID.test(renamed) ? await findUser(db, renamed) : undefined;
    if (!USER_ID.test(renamed) || (other && other.origin !== origin)) {
      conflicts.push({ path: ref, reason: 'user_id_collision', message: `the accounts ${p.id} and ${renamed} both exist already` });
      continue;
    }
    reports.add(ref, 'user_renamed', `the account ${p.id} exists already; the imported ${p.id} is ${renamed}`);
    if (other) {
      result.existing.push(renamed);
      result.ids.set(p.id, renamed);
    } else todo.push({ from: p.id, id: renamed, password: generatePassword(), qualified: p.qualified });
  }
  if (conflicts.length) throw new ImportConflict(conflicts);
  // A generated password has ~93 random bits, so brute force is hopeless whatever the hash costs; the
  // library's default cost (about 1.5 s a hash on a small server) is for passwords people choose. OWASP's
  // minimum argon2id setting keeps an 18-annotator import in seconds; verifyPassword reads the
  // parameters from the hash, and the user's own next password gets the full cost.
  const hashes = await Promise.all(
    todo.map((a) => argon2.hash(a.password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 })),
  );
  for (const [k, a] of todo.entries()) {
    await insertUser(db, { id: a.id, role: 'annotator', passwordHash: hashes[k]!, qualified: a.qualified, origin });
    result.created.push({ id: a.id, password: a.password, qualified: a.qualified });
    result.ids.set(a.from, a.id);
  }
  for (const [twin, first] of twins) {
    const account = result.ids.get(first);
    if (account !== undefined) result.ids.set(twin, account);
  }
  // A saved file may name its annotator in another Unicode form than the database's list does.
  for (const [from, account] of [...result.ids]) if (!result.ids.has(normalizeUserId(from))) result.ids.set(normalizeUserId(from), account);
  return result;
}
