// The authorization matrix: every endpoint of the app × role × own/other resource → expected outcome.
// Endpoints are enumerated from the Hono app (`app.routes`), so an endpoint added without a row here
// fails the first test, and a row for a removed endpoint fails it too.
//
// "Own" is a resource of the annotator `ann` (her task, photo, revision, attempt); "other" is the same
// kind of resource of `bob`. Reviewers and admins make the same two requests. An outcome is the HTTP
// status, plus a detail where the status alone would hide a leak (e.g. which tasks a list shows).
//
// HEAD must get exactly what GET gets: every row also sends HEAD and GET to its path as every actor,
// and as `newbie`, an annotator still locked out by the qualification test, and compares them.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { openDatabase } from '../src/db/connect';
import { createAttempt } from '../src/repositories/quality';
import { createQualityWorld, type QualityWorld } from './quality-world';

type Actor = 'anon' | 'annotator' | 'reviewer' | 'admin';
const LOGIN: Record<Actor, string | null> = { anon: null, annotator: 'ann', reviewer: 'rev', admin: 'boss' };

interface Fixture {
  w: QualityWorld;
  rev: { ann: string; bob: string };
  attempt: { ann: string; bob: string };
}
interface Req {
  path: string;
  body?: unknown;
}
type Outcome = number | string;
type Cell = Outcome | { own: Outcome; other: Outcome };
interface Row {
  /** Builds the request; `owner` is 'ann' for own and 'bob' for other. */
  req: (f: Fixture, owner: 'ann' | 'bob') => Req;
  anon: Outcome;
  annotator: Cell;
  reviewer: Cell;
  admin: Cell;
  /** Turns the response into the outcome compared with the table; default: the status. */
  outcome?: (res: Response, actor: Actor) => Promise<Outcome>;
}

const uniq = () => randomUUID().slice(0, 8);
const fixed = (path: string, body?: unknown) => () => ({ path, body });
const staffOnly = (ok: number) => ({ anon: 401, annotator: 403, reviewer: ok, admin: ok });
const adminOnly = (ok: Cell) => ({ anon: 401, annotator: 403, reviewer: 403, admin: ok });
const everyone = (ok: Cell, anon = 401) => ({ anon, annotator: ok, reviewer: ok, admin: ok });
const pushBody = (taskId: string, questionId: string) => ({
  clientId: randomUUID(),
  mutations: [{
    id: randomUUID(), seq: 1, kind: 'annotation.save', questionId, taskId, baseRevisionId: null,
    values: { pose: { azimuth: 1, elevation: 2, theta: 3, distance: 5, px: 300, py: 200 }, subtype: 1, objectStatus: 'status_good', dense: 'dense_no', activeMs: 5 },
    clientSavedAt: new Date().toISOString(),
  }],
});
const ownTask = (o: 'ann' | 'bob') => `t-${o}`;
/** q2 is only in ann's task, q3 only in bob's (among tasks of qualified annotators). */
const ownQuestion = (o: 'ann' | 'bob') => (o === 'ann' ? 'q2' : 'q3');

const MATRIX: Record<string, Row> = {
  'GET /api/health': { req: fixed('/api/health'), ...everyone(200, 200) },
  'POST /api/sync/push': {
    req: (_f, o) => ({ path: '/api/sync/push', body: pushBody(ownTask(o), ownQuestion(o)) }),
    anon: 401,
    annotator: { own: '200:applied', other: '200:not_assigned' },
    reviewer: '200:not_assigned',
    admin: '200:not_assigned',
    outcome: async (res) => {
      const b = (await res.json()) as { results?: { status: string; reason?: string }[] };
      const r = b.results?.[0];
      return res.status === 200 && r ? `200:${r.status === 'applied' ? 'applied' : r.reason}` : res.status;
    },
  },
  'GET /api/sync/pull': {
    req: fixed('/api/sync/pull?cursor=0'),
    ...everyone('200:own-only'),
    outcome: async (res, actor) => {
      if (res.status !== 200) return res.status;
      const b = (await res.json()) as { revisions: { userId: string }[] };
      return b.revisions.every((r) => r.userId === LOGIN[actor]) ? '200:own-only' : `200:leak`;
    },
  },
  // A fresh user id per request: seven wrong passwords for one id would meet the login limiter (429), which is not under test here.
  'POST /api/auth/login': { req: () => ({ path: '/api/auth/login', body: { userId: `ann-${uniq()}`, password: 'wrong password' } }), ...everyone(401, 401) },
  'POST /api/auth/logout': { req: fixed('/api/auth/logout'), ...everyone(200, 200) },
  'GET /api/me': { req: fixed('/api/me'), ...everyone(200) },
  'POST /api/auth/password': { req: fixed('/api/auth/password', { currentPassword: 'wrong password', newPassword: 'another password' }), ...everyone(403) },
  'GET /api/tasks': {
    req: fixed('/api/tasks'),
    anon: 401, annotator: '200:qualification-ann-1,t-ann', reviewer: '200:', admin: '200:',
    outcome: async (res) => (res.status === 200 ? `200:${((await res.json()) as { id: string }[]).map((t) => t.id).sort().join(',')}` : res.status),
  },
  'GET /api/tasks/:taskId': { req: (_f, o) => ({ path: `/api/tasks/${ownTask(o)}` }), anon: 401, annotator: { own: 200, other: 403 }, reviewer: 200, admin: 200 },
  'GET /api/categories/:category/cads': { req: fixed('/api/categories/chair/cads'), ...everyone(200) },
  // CAD models are per category, not per task: any account may download them.
  'GET /api/meshes/:etag': { req: fixed('/api/meshes/cafe0001'), ...everyone(200) },
  'GET /api/images/:imageId': { req: (_f, o) => ({ path: `/api/images/img-${ownQuestion(o)}` }), anon: 401, annotator: { own: 200, other: 403 }, reviewer: 200, admin: 200 },

  'GET /api/qualification': { req: fixed('/api/qualification'), ...everyone(200) },
  // ann is qualified already: allowed to ask, but there is nothing to start.
  'POST /api/qualification/attempts': { req: fixed('/api/qualification/attempts'), anon: 401, annotator: 409, reviewer: 403, admin: 403 },
  'GET /api/qualification/attempts/:attemptId': {
    req: (f, o) => ({ path: `/api/qualification/attempts/${f.attempt[o]}` }), anon: 401, annotator: { own: 200, other: 403 }, reviewer: 200, admin: 200,
  },
  // Own but unanswered: 409. Nobody submits someone else's attempt.
  'POST /api/qualification/attempts/:attemptId/submit': {
    req: (f, o) => ({ path: `/api/qualification/attempts/${f.attempt[o]}/submit` }), anon: 401, annotator: { own: 409, other: 403 }, reviewer: 403, admin: 403,
  },

  'GET /api/reviews/queue': { req: fixed('/api/reviews/queue'), ...staffOnly(200) },
  'GET /api/reviews/queue/count': { req: fixed('/api/reviews/queue/count'), ...staffOnly(200) },
  'GET /api/reviews/facets': { req: fixed('/api/reviews/facets'), ...staffOnly(200) },
  'GET /api/reviews/revisions/:revisionId': { req: (f, o) => ({ path: `/api/reviews/revisions/${f.rev[o]}` }), ...staffOnly(200) },
  'GET /api/reviews': { req: fixed('/api/reviews'), ...staffOnly(200) },
  'GET /api/reports': { req: fixed('/api/reports'), ...staffOnly(200) },
  'GET /api/settings/support': { req: fixed('/api/settings/support'), anon: 401, annotator: 200, reviewer: 200, admin: 200 },
  'PUT /api/admin/settings/support': { req: fixed('/api/admin/settings/support', { url: 'mailto:help@example.org' }), ...adminOnly(200) },
  // No report is stored: the admin gets past the check and finds nothing to resolve.
  'POST /api/admin/reports/:id/resolve': { req: fixed(`/api/admin/reports/${randomUUID()}/resolve`), ...adminOnly(404) },
  'GET /api/rework': {
    req: fixed('/api/rework'),
    anon: 401, annotator: '200:ann', reviewer: '200:', admin: '200:',
    outcome: async (res) => (res.status === 200 ? `200:${[...new Set(((await res.json()) as { annotatorId: string }[]).map((r) => r.annotatorId))].join(',')}` : res.status),
  },
  'GET /api/ab/next': { req: fixed('/api/ab/next'), ...staffOnly(200) },
  'GET /api/ab': { req: fixed('/api/ab'), ...staffOnly(200) },

  'GET /api/admin/users': { req: fixed('/api/admin/users'), ...adminOnly(200) },
  'POST /api/admin/users': { req: () => ({ path: '/api/admin/users', body: { id: `u-${uniq()}`, role: 'annotator', password: 'a long password' } }), ...adminOnly(201) },
  'PATCH /api/admin/users/:userId': { req: (_f, o) => ({ path: `/api/admin/users/${o}`, body: { displayName: 'Renamed' } }), ...adminOnly(200) },
  'POST /api/admin/users/:userId/password': { req: (_f, o) => ({ path: `/api/admin/users/${o}/password`, body: { password: 'a long password' } }), ...adminOnly(200) },
  'GET /api/admin/tasks': { req: fixed('/api/admin/tasks'), ...adminOnly(200) },
  'POST /api/admin/tasks': { req: (_f, o) => ({ path: '/api/admin/tasks', body: { name: 'new', questionIds: ['q0', 'q1'], assignees: [o] } }), ...adminOnly(201) },
  'POST /api/admin/tasks/:taskId/assignees': { req: (_f, o) => ({ path: `/api/admin/tasks/${ownTask(o)}/assignees`, body: { userId: 'newbie' } }), ...adminOnly(200) },
  'DELETE /api/admin/tasks/:taskId/assignees/:userId': { req: (_f, o) => ({ path: `/api/admin/tasks/${ownTask(o)}/assignees/${o}` }), ...adminOnly(200) },
  'POST /api/admin/tasks/:taskId/reassign': { req: (_f, o) => ({ path: `/api/admin/tasks/${ownTask(o)}/reassign`, body: { from: o, to: 'newbie' } }), ...adminOnly(200) },
  'GET /api/admin/questions': { req: fixed('/api/admin/questions'), ...adminOnly(200) },
  'GET /api/admin/gold': { req: fixed('/api/admin/gold'), ...adminOnly(200) },
  'POST /api/admin/gold': { req: fixed('/api/admin/gold', { questionId: 'g0' }), ...adminOnly(201) },
  'PATCH /api/admin/gold/:questionId': { req: fixed('/api/admin/gold/g0', { objectStatus: 'status_good', dense: null }), ...adminOnly(200) },
  'DELETE /api/admin/gold/:questionId': { req: (_f, o) => ({ path: `/api/admin/gold/${o === 'ann' ? 'g1' : 'g2'}` }), ...adminOnly(200) },
  'GET /api/admin/settings/qualification': { req: fixed('/api/admin/settings/qualification'), ...adminOnly(200) },
  'PUT /api/admin/settings/qualification': {
    req: fixed('/api/admin/settings/qualification', {
      required: true, questionsPerAttempt: 0, rotationDeg: 30, centrePx: 20, distanceRatio: 1.25, requireSubtype: true, requireLabels: true, minPassShare: 0.8,
    }),
    ...adminOnly(200),
  },
  'GET /api/admin/stats': { req: fixed('/api/admin/stats'), ...adminOnly(200) },
  // Data exchange (routes/admin-exchange.ts): 400 for admins proves they got past the guard without importing.
  'POST /api/admin/import/legacy': { req: fixed('/api/admin/import/legacy', { source: '/nonexistent/legacy' }), ...adminOnly(400) },
  'POST /api/admin/import/imagenet3d': { req: fixed('/api/admin/import/imagenet3d', { source: '/nonexistent/release' }), ...adminOnly(400) },
  'POST /api/admin/export/npz': { req: fixed('/api/admin/export/npz', { outDir: '/outside/exports/is/refused' }), ...adminOnly(400) },
  'GET /api/admin/export.jsonl': { req: fixed('/api/admin/export.jsonl'), ...adminOnly(200) },
  'POST /api/admin/export/release': { req: fixed('/api/admin/export/release', { outDir: '/outside/exports/is/refused' }), ...adminOnly(400) },
  'POST /api/admin/export/coco': { req: fixed('/api/admin/export/coco', { file: '/outside/exports/is/refused' }), ...adminOnly(400) },
  'GET /api/admin/export.zip': { req: fixed('/api/admin/export.zip?layout=jsonl'), ...adminOnly(200) },
  // A name that is not a .zip: the admin gets past the role check and is told why, no job starts.
  'POST /api/admin/upload': { req: fixed('/api/admin/upload?name=notes.txt', {}), ...adminOnly(400) },
  'GET /api/admin/upload/jobs': { req: fixed('/api/admin/upload/jobs'), ...adminOnly(200) },
  'GET /api/admin/upload/jobs/:id': { req: fixed(`/api/admin/upload/jobs/${randomUUID()}`), ...adminOnly(404) },
  'GET /api/admin/audit': { req: fixed('/api/admin/audit'), ...adminOnly(200) },
};

/** Every endpoint of the app as "METHOD /path"; middleware (`use`, method ALL) is not an endpoint. */
function endpoints(): string[] {
  const { db } = openDatabase(':memory:');
  const app = createApp({ db, dataDir: '/nonexistent', staticDir: '/nonexistent' });
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();
}

async function fixture(): Promise<Fixture> {
  const w = await createQualityWorld();
  const rev = { ann: await w.save('ann', 't-ann', 'q2', {}), bob: await w.save('bob', 't-bob', 'q3', {}) };
  for (const g of ['g0', 'g1', 'g2']) await w.call('boss', 'POST', '/api/admin/gold', { questionId: g });
  // Attempts made directly (ann and bob are qualified): the routes' ownership rules are what is tested.
  const attempt = {
    ann: (await createAttempt(w.opened.db, 'ann', ['g0'])).id,
    bob: (await createAttempt(w.opened.db, 'bob', ['g0'])).id,
  };
  for (const revisionId of Object.values(rev)) await w.review('rev', revisionId, 'bad_pose');
  return { w, rev, attempt };
}

const worlds: QualityWorld[] = [];
afterAll(async () => {
  for (const w of worlds) await w.close();
});

describe('authorization matrix', () => {
  it('has exactly one row per endpoint of the app', () => {
    const routes = endpoints();
    expect(routes.filter((r) => !(r in MATRIX)), 'endpoints without a row in MATRIX').toEqual([]);
    expect(Object.keys(MATRIX).filter((k) => !routes.includes(k)), 'rows for endpoints that do not exist').toEqual([]);
  });

  const cases = Object.entries(MATRIX).map(([key, row]) => [key, row] as const);
  it.each(cases)('%s: HEAD gets what GET gets, for every actor and a locked annotator', async (key, row) => {
    const f = await fixture();
    worlds.push(f.w);
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const user of [...Object.values(LOGIN), 'newbie']) {
      for (const owner of ['ann', 'bob'] as const) {
        const { path } = row.req(f, owner);
        const get = await f.w.call(user, 'GET', path);
        const head = await f.w.call(user, 'HEAD', path);
        const cell = `${user ?? 'anon'}/${owner} ${key}`;
        // Status and the headers that describe the body; for a content-addressed body also its length.
        const describe = (r: Response) =>
          [r.status, r.headers.get('content-type'), r.headers.get('etag'), r.headers.get('etag') ? r.headers.get('content-length') : ''].join(' | ');
        want[cell] = describe(get);
        got[cell] = describe(head);
        expect((await head.arrayBuffer()).byteLength, `${cell}: HEAD has no body`).toBe(0);
      }
    }
    expect(got).toEqual(want);
  });

  it('HEAD of a locked task and its photo is refused as GET is, and opens when GET does', async () => {
    const f = await fixture();
    worlds.push(f.w);
    for (const path of ['/api/tasks/t-new', '/api/images/img-q2']) {
      for (const method of ['GET', 'HEAD']) expect((await f.w.call('newbie', method, path)).status, `${method} ${path}`).toBe(403);
    }
    expect((await (await f.w.call('newbie', 'GET', '/api/tasks/t-new')).json()) as { error: string }).toMatchObject({ error: 'qualification_required' });
    await f.w.opened.db.updateTable('users').set({ qualified: 1 }).where('id', '=', 'newbie').execute();
    for (const path of ['/api/tasks/t-new', '/api/images/img-q2']) {
      for (const method of ['GET', 'HEAD']) expect((await f.w.call('newbie', method, path)).status, `${method} ${path}`).toBe(200);
    }
  });

  it.each(cases)('%s', async (key, row) => {
    const method = key.split(' ')[0]!;
    const f = await fixture();
    worlds.push(f.w);
    const got: Record<string, Outcome> = {};
    const want: Record<string, Outcome> = {};
    for (const actor of ['annotator', 'reviewer', 'admin', 'anon'] as const) {
      for (const variant of ['own', 'other'] as const) {
        if (actor === 'anon' && variant === 'other') continue;
        const cell = row[actor];
        want[`${actor}/${variant}`] = typeof cell === 'object' ? cell[variant] : cell;
        const { path, body } = row.req(f, variant === 'own' ? 'ann' : 'bob');
        const res = await f.w.call(LOGIN[actor], method, path, body);
        got[`${actor}/${variant}`] = row.outcome ? await row.outcome(res, actor) : res.status;
      }
    }
    expect(got).toEqual(want);
  });
});
