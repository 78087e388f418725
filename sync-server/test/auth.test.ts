import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import argon2 from 'argon2';
import { migrateToLatest, openDatabase, type OpenedDb } from '../src/db/connect';
import { insertUser } from '../src/repositories/users';

// Cheap argon2id parameters keep the test fast; verification reads them from the hash itself.
const hashPassword = (p: string) => argon2.hash(p, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 });

let opened: OpenedDb;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  opened = openDatabase(':memory:');
  await migrateToLatest(opened.db);
  await insertUser(opened.db, { id: 'alice', role: 'annotator', passwordHash: await hashPassword('correct horse'), qualified: true });
  await insertUser(opened.db, { id: 'bob', role: 'reviewer', passwordHash: await hashPassword('bob password') });
  app = createApp({ db: opened.db, dataDir: '/nonexistent' });
});
afterEach(() => opened.close());

const login = (userId: unknown, password: unknown, url = 'http://localhost/api/auth/login') =>
  app.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, password }) });

const cookieOf = (res: Response) => res.headers.get('set-cookie')!.split(';')[0]!;

describe('login', () => {
  it('sets an HttpOnly, SameSite=Lax, 30-day session cookie and answers the user', async () => {
    const res = await login('alice', 'correct horse');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: { id: 'alice', displayName: 'alice', role: 'annotator', qualified: true } });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^in3d_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain(`Max-Age=${30 * 24 * 3600}`);
    expect(cookie).not.toContain('Secure');
  });

  it('adds Secure on https, directly or behind a TLS proxy', async () => {
    expect((await login('alice', 'correct horse', 'https://lab.example/api/auth/login')).headers.get('set-cookie')).toContain('Secure');
    const proxied = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ userId: 'alice', password: 'correct horse' }),
    });
    expect(proxied.headers.get('set-cookie')).toContain('Secure');
  });

  it('stores only the hash of the token', async () => {
    const token = cookieOf(await login('alice', 'correct horse')).split('=')[1]!;
    const rows = await opened.db.selectFrom('sessions').select('id').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.id).not.toContain(token);
  });

  it('answers a wrong password and an unknown id with the same 401', async () => {
    const wrong = await login('alice', 'wrong');
    const unknown = await login('mallory', 'wrong');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = (await wrong.json()) as { message: string };
    const b = (await unknown.json()) as { message: string };
    expect(a.message).toBe('Wrong user id or password');
    expect(b.message).toBe(a.message);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a disabled account', async () => {
    await opened.db.updateTable('users').set({ disabled: 1 }).where('id', '=', 'alice').execute();
    expect((await login('alice', 'correct horse')).status).toBe(401);
  });

  it('throttles repeated failures for one id with 429 and a short Retry-After, not other ids (more in login-limit.test.ts)', async () => {
    for (let i = 0; i < 5; i++) expect((await login('alice', `wrong ${i}`)).status).toBe(401);
    const limited = await login('alice', 'correct horse');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await limited.json()) as { message: string }).message).toMatch(/Too many login attempts/);
    // Another id from the same address is not locked out by alice's failures.
    expect((await login('bob', 'bob password')).status).toBe(200);
  });

  it('does not count successful logins', async () => {
    for (let i = 0; i < 11; i++) expect((await login('alice', 'correct horse')).status).toBe(200);
  });
});

describe('session', () => {
  it('GET /api/me is 401 without a cookie and the user with one; logout ends the session', async () => {
    expect((await app.request('/api/me')).status).toBe(401);
    const cookie = cookieOf(await login('bob', 'bob password'));
    const me = await app.request('/api/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ user: { id: 'bob', displayName: 'bob', role: 'reviewer', qualified: false } });

    const out = await app.request('/api/auth/logout', { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/in3d_session=;.*Max-Age=0/);
    expect((await app.request('/api/me', { headers: { cookie } })).status).toBe(401);
    expect(await opened.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
  });

  it('rejects an expired session', async () => {
    const cookie = cookieOf(await login('alice', 'correct horse'));
    await opened.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
    expect((await app.request('/api/me', { headers: { cookie } })).status).toBe(401);
  });

  it('changes the password, keeps this device and ends the others', async () => {
    const here = cookieOf(await login('alice', 'correct horse'));
    const other = cookieOf(await login('alice', 'correct horse'));
    const change = (body: unknown) =>
      app.request('/api/auth/password', { method: 'POST', headers: { cookie: here, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const wrong = await change({ currentPassword: 'nope', newPassword: 'a new password' });
    expect(wrong.status).toBe(403);
    const short = await change({ currentPassword: 'correct horse', newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { message: string }).message).toContain('newPassword');

    expect((await change({ currentPassword: 'correct horse', newPassword: 'a new password' })).status).toBe(200);
    expect((await app.request('/api/me', { headers: { cookie: here } })).status).toBe(200);
    expect((await app.request('/api/me', { headers: { cookie: other } })).status).toBe(401);
    expect((await login('alice', 'correct horse')).status).toBe(401);
    expect((await login('alice', 'a new password')).status).toBe(200);
  });

  it('needs a session to change a password', async () => {
    const res = await app.request('/api/auth/password', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword: 'correct horse', newPassword: 'a new password' }),
    });
    expect(res.status).toBe(401);
  });
});
