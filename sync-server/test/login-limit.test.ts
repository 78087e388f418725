// Login throttling (README "Login limits"): attempts are counted before the password is checked, per
// (IP, user id) and per IP, with a progressive delay instead of a long lockout of the right password.
// argon2.verify is counted to show how many guesses were actually checked.
import argon2 from 'argon2';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app';
import { createLoginLimiter, DEFAULT_LOGIN_POLICY } from '../src/auth/login-limiter';
import { migrateToLatest, openDatabase, type OpenedDb } from '../src/db/connect';
import { clientIp, parseTrustProxy } from '../src/middleware/client-ip';
import { insertUser } from '../src/repositories/users';

const cheapHash = (p: string) => argon2.hash(p, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 });

let opened: OpenedDb;
let verify: { mock: { calls: unknown[] }; mockRestore(): void; mockClear(): void };

async function appWith(trustProxy = 0) {
  return createApp({ db: opened.db, dataDir: '/nonexistent', trustProxy });
}

beforeEach(async () => {
  opened = openDatabase(':memory:');
  await migrateToLatest(opened.db);
  await insertUser(opened.db, { id: 'alice', role: 'annotator', passwordHash: await cheapHash('correct horse'), qualified: true });
  verify = vi.spyOn(argon2, 'verify');
});
afterEach(async () => {
  verify.mockRestore();
  await opened.close();
});

type App = Awaited<ReturnType<typeof appWith>>;
const login = (app: App, userId: string, password: string, ip?: string) =>
  app.request('http://localhost/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(ip ? { 'x-forwarded-for': ip } : {}) },
    body: JSON.stringify({ userId, password }),
  });

describe('login limiter under concurrency', () => {
  it('checks at most the free allowance of 100 concurrent wrong passwords; the rest get 429 with Retry-After', async () => {
    const app = await appWith();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => login(app, 'alice', `guess ${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(verify.mock.calls.length).toBeLessThanOrEqual(DEFAULT_LOGIN_POLICY.freePerUser);
    expect(statuses.filter((s) => s === 401)).toHaveLength(verify.mock.calls.length);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - verify.mock.calls.length);
    const limited = answers.find((r) => r.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { message: string }).message).toMatch(/Too many login attempts; try again in \d+ s/);
  });

  it('limits spraying many user ids from one IP (per IP across ids), not other IPs', async () => {
    const app = await appWith(1);
    const ids = Array.from({ length: 60 }, (_, i) => `user${i}`);
    const answers = await Promise.all(ids.map((id) => login(app, id, 'password1', '203.0.113.7')));
    expect(verify.mock.calls.length).toBeLessThanOrEqual(DEFAULT_LOGIN_POLICY.freePerIp);
    expect(answers.filter((r) => r.status === 429).length).toBe(60 - verify.mock.calls.length);
    // Someone else on another address logs in at once.
    expect((await login(app, 'alice', 'correct horse', '198.51.100.2')).status).toBe(200);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says a proxy is in front (a client cannot pick new addresses)', async () => {
    const app = await appWith(0);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(app, 'alice', `guess ${i}`, `10.0.0.${i}`)));
    expect(verify.mock.calls.length).toBeLessThanOrEqual(DEFAULT_LOGIN_POLICY.freePerUser);
    expect(answers.filter((r) => r.status === 429).length).toBeGreaterThan(0);
  });

  it('successful logins do not add up per IP (a lab behind one NAT address)', async () => {
    const app = await appWith();
    for (let i = 0; i < DEFAULT_LOGIN_POLICY.freePerIp + 5; i++) expect((await login(app, 'alice', 'correct horse')).status).toBe(200);
  });
});

describe('changing one\'s password', () => {
  it('checks at most the free allowance of 50 concurrent wrong current passwords, whatever the address', async () => {
    const app = await appWith(1);
    const cookie = (await login(app, 'alice', 'correct horse')).headers.get('set-cookie')!.split(';')[0]!;
    verify.mockClear();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        app.request('/api/auth/password', {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json', 'x-forwarded-for': `10.1.0.${i}` },
          body: JSON.stringify({ currentPassword: `guess ${i}`, newPassword: 'a brand new password' }),
        }),
      ),
    );
    expect(verify.mock.calls.length).toBeLessThanOrEqual(DEFAULT_LOGIN_POLICY.freePerUser);
    expect(answers.filter((r) => r.status === 403)).toHaveLength(verify.mock.calls.length);
    const limited = answers.find((r) => r.status === 429)!;
    expect(((await limited.json()) as { message: string }).message).toMatch(/Too many wrong current passwords/);
  });
});

describe('progressive delay (fake clock)', () => {
  it('admits the free attempts, then doubles the wait up to the cap; the right password works after the wait', () => {
    let t = 1_000_000;
    const limiter = createLoginLimiter({ freePerUser: 3, freePerIp: 100, baseDelayMs: 1000, maxDelayMs: 8000 }, () => t);
    for (let i = 0; i < 3; i++) {
      const a = limiter.admit('1.2.3.4', 'alice');
      expect(a.ok).toBe(true);
      if (a.ok) a.release(false);
    }
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const refused = limiter.admit('1.2.3.4', 'alice');
      expect(refused.ok).toBe(false);
      const wait = refused.ok ? 0 : refused.retryAfterMs;
      waits.push(wait);
      t += wait;
      const a = limiter.admit('1.2.3.4', 'alice');
      expect(a.ok).toBe(true);
      if (a.ok) a.release(i === 5); // the last one is the right password
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    // The success cleared the (IP, user) counter: no wait now.
    expect(limiter.admit('1.2.3.4', 'alice').ok).toBe(true);
  });

  it('user ids are one counter whatever their case; another IP has its own; counters are forgotten after a quiet period', () => {
    let t = 0;
    const limiter = createLoginLimiter({ freePerUser: 2, freePerIp: 100, forgetMs: 60_000 }, () => t);
    expect(limiter.admit('a', 'Alice').ok).toBe(true);
    expect(limiter.admit('a', 'alice').ok).toBe(true);
    expect(limiter.admit('a', 'ALICE').ok).toBe(false);
    expect(limiter.admit('b', 'alice').ok).toBe(true);
    t += 60_000;
    expect(limiter.admit('a', 'alice').ok).toBe(true);
  });
});

describe('client address', () => {
  it('parses TRUST_PROXY and takes the address our proxy appended', async () => {
    expect(parseTrustProxy(undefined)).toBe(0);
    expect(parseTrustProxy('false')).toBe(0);
    expect(parseTrustProxy('true')).toBe(1);
    expect(parseTrustProxy('2')).toBe(2);
    expect(() => parseTrustProxy('lots')).toThrow(/TRUST_PROXY/);
    const { Hono } = await import('hono');
    const seen: string[] = [];
    const app = new Hono().get('/', (c) => {
      seen.push(clientIp(c, 1), clientIp(c, 2), clientIp(c, 0));
      return c.text('ok');
    });
    await app.request('/', { headers: { 'x-forwarded-for': 'spoofed, 198.51.100.9, 10.0.0.1' } });
    expect(seen).toEqual(['10.0.0.1', '198.51.100.9', 'unknown']);
  });
});
