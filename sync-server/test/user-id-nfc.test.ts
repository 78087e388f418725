// An account id is one string however the keyboard composed it: 'Zoë' as e + combining diaeresis (NFD, as
// macOS file names and some keyboards give it) and as one ë (NFC), or in fullwidth letters, name the same
// account when it is made (Admin, CLI, import) and when its owner signs in (NFKC). Ids that only look
// like another (invisible characters, Latin and Cyrillic letters mixed) are refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../src/cli/commands';
import { openDataDir } from '../src/cli/context';
import { runCli } from '../src/cli/registry';
import { Reports } from '../src/exchange/report';
import { importAccounts, parseSamePerson } from '../src/exchange/users';
import { findUser } from '../src/repositories/users';
import { type AdminWorld, createAdminWorld } from './admin-world';

const NFD = 'Zoe\u0308', NFC = 'Zo\u00eb';
let w: AdminWorld;

beforeEach(async () => {
  w = await createAdminWorld('nfc');
});
afterEach(async () => w.close());

describe('user ids in Unicode (NFKC)', () => {
  it('an account made in Admin as NFD is stored as NFC, and its owner signs in with either form', async () => {
    const made = await w.call('root', 'POST', '/api/admin/users', { id: NFD, role: 'annotator', password: 'a long enough password' });
    expect(made.status).toBe(201);
    expect(await findUser(w.opened.db, NFC)).toBeDefined();
    expect(await findUser(w.opened.db, NFD)).toBeUndefined();
    // The other form is the same account, so it cannot be made a second time.
    expect((await w.call('root', 'POST', '/api/admin/users', { id: NFC, role: 'annotator', password: 'a long enough password' })).status).toBe(409);
    for (const userId of [NFC, NFD]) {
      const res = await w.call(null, 'POST', '/api/auth/login', { userId, password: 'a long enough password' });
      expect(res.status, JSON.stringify(userId)).toBe(200);
      expect(((await res.json()) as { user: { id: string } }).user.id).toBe(NFC);
    }
  });

  it('user add stores NFC, and user passwd finds the account by either form', async () => {
    const out: string[] = [];
    const cli = (...argv: string[]) => runCli(argv, commands, { dataDir: w.dir, openDb: openDataDir, out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(await cli('user', 'add', NFD, '--password', 'a long enough password'), out.join('\n')).toBe(0);
    expect(await findUser(w.opened.db, NFC)).toBeDefined();
    expect(await findUser(w.opened.db, NFD)).toBeUndefined();
    expect(await cli('user', 'passwd', NFD, '--password', 'another long password'), out.join('\n')).toBe(0);
  });

  it('refuses an id that only looks like another: an invisible character, Latin and Cyrillic letters mixed', async () => {
    for (const id of ['alice\uFE0F', 'a\u3164b', '\u0430lice', 'ab\u034fc']) {
      const res = await w.call('root', 'POST', '/api/admin/users', { id, role: 'annotator', password: 'a long enough password' });
      expect(res.status, JSON.stringify(id)).toBe(400);
    }
    // One script, whichever it is, is fine.
    for (const id of ['Ана Мария', '山田', 'Zoë']) expect((await w.call('root', 'POST', '/api/admin/users', { id, role: 'annotator', password: 'a long enough password' })).status, id).toBe(201);
  });

  it('--same-person names accounts in either form', () => {
    expect([...parseSamePerson(`${NFD}=${NFD}`)]).toEqual([[NFC, NFC]]);
  });

  it('an import that names one person in both forms makes one account and gives it both spellings\' work', async () => {
    const reports = new Reports();
    const r = await w.opened.db.transaction().execute((trx) =>
      importAccounts(trx, [{ id: NFD, qualified: true }, { id: NFC, qualified: false }], reports, 'db:annotators', 'legacy:nfc'),
    );
    expect(r.created.map((a) => a.id)).toEqual([NFC]);
    expect(r.ids.get(NFD)).toBe(NFC);
    expect(r.ids.get(NFC)).toBe(NFC);
    expect(reports.items.map((i) => i.reason)).toEqual(['same_person']);
    expect(await findUser(w.opened.db, NFC)).toBeDefined();
  });

  it('fullwidth letters are the same account as their ASCII forms', async () => {
    const reports = new Reports();
    const r = await w.opened.db.transaction().execute((trx) =>
      importAccounts(trx, [{ id: '\uff5a\uff4f\uff45', qualified: true }, { id: 'zoe', qualified: true }], reports, 'db:annotators', 'legacy:fw'),
    );
    expect(r.created.map((a) => a.id)).toEqual(['zoe']);
    expect(r.ids.get('\uff5a\uff4f\uff45')).toBe('zoe');
  });
});
