// Malformed requests are the client's fault: 400 with the path of the problem, never a 5xx.
import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { migrateToLatest, openDatabase, type OpenedDb } from '../src/db/connect';
import { insertUser } from '../src/repositories/users';

let opened: OpenedDb;
let app: ReturnType<typeof createApp>;
let cookie: string;

beforeAll(async () => {
  opened = openDatabase(':memory:');
  await migrateToLatest(opened.db);
  const passwordHash = await argon2.hash('correct horse', { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 });
  await insertUser(opened.db, { id: 'alice', role: 'annotator', passwordHash, qualified: true });
  app = createApp({ db: opened.db, dataDir: '/nonexistent' });
  const res = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'alice', password: 'correct horse' }),
  });
  cookie = res.headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(() => opened.close());

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers }, body });

async function expect400(res: Response, path: string) {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: string; message: string; issues: { path: string }[] };
  expect(body.error).toBe('invalid_request');
  expect(body.issues.map((i) => i.path)).toContain(path);
  expect(body.message).toContain(path);
}

describe('login body validation', () => {
  it.each([
    ['not JSON', 'userId=alice&password=x', '(body)'],
    ['NaN literal (not JSON)', '{"userId":"alice","password":NaN}', '(body)'],
    ['empty body', '', '(body)'],
    ['null', 'null', '(body)'],
    ['an array', '[]', '(body)'],
    ['missing password', '{"userId":"alice"}', 'password'],
    ['missing userId', '{"password":"x"}', 'userId'],
    ['userId of the wrong type', '{"userId":42,"password":"x"}', 'userId'],
    ['password of the wrong type', '{"userId":"alice","password":["x"]}', 'password'],
    ['empty userId', '{"userId":"","password":"x"}', 'userId'],
  ])('%s → 400 naming %s', async (_what, body, path) => {
    await expect400(await post('/api/auth/login', body), path);
  });

  it('a numeric-looking string is still a string, so "NaN" is just a wrong password (401)', async () => {
    expect((await post('/api/auth/login', '{"userId":"alice","password":"NaN"}')).status).toBe(401);
  });
});

describe('password change validation', () => {
  it.each([
    ['not JSON', '{', '(body)'],
    ['missing newPassword', '{"currentPassword":"correct horse"}', 'newPassword'],
    ['newPassword a number', '{"currentPassword":"correct horse","newPassword":12345678}', 'newPassword'],
    ['newPassword "NaN" (too short)', '{"currentPassword":"correct horse","newPassword":"NaN"}', 'newPassword'],
  ])('%s → 400 naming %s', async (_what, body, path) => {
    await expect400(await post('/api/auth/password', body), path);
  });
});

describe('parameters', () => {
  it('rejects a mesh etag that is not hex with 400', async () => {
    await expect400(await app.request('/api/meshes/NaN', { headers: { cookie } }), 'etag');
  });

  it.each([
    ['/api/tasks/%E0%A4%A', 'bad percent-encoding in a task id'],
    ['/api/images/%ZZ', 'bad percent-encoding in an image id'],
    ['/api/tasks/' + 'x'.repeat(5000), 'an absurdly long id'],
    ['/api/images/' + 'x'.repeat(5000), 'an absurdly long image id'],
    ['/api/categories/%00/cads', 'a NUL byte'],
  ])('%s (%s) is a 4xx, not a 5xx', async (path) => {
    const res = await app.request(path, { headers: { cookie } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(((await res.json()) as { message: string }).message.length).toBeGreaterThan(0);
  });
});

describe('deep JSON bodies', () => {
  it('a body nested deeper than 64 levels is 400 (body) before it is parsed, on any JSON route', async () => {
    const deep = `{"userId":"alice","password":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await post('/api/auth/login', deep);
    await expect400(res, '(body)');
    // 64 levels still parse (and then fail the schema, as any wrong shape does).
    const ok = await post('/api/auth/login', `{"userId":"alice","password":${'['.repeat(63)}${']'.repeat(63)}}`);
    await expect400(ok, 'password');
  });
});
