// An in-memory stand-in for the sync server, for unit tests of the data layer: the same wire shapes
// (validated with the shared schemas) and head rules, plus switches to fail the way networks and
// servers fail. The real server is exercised by sync-server/test/sync-*.test.ts.
import {
  type Mutation,
  type MutationResult,
  type PullResponse,
  type PushResponse,
  type WireHead,
  type WireRevision,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  nextHead,
  pushRequestSchema,
  mutationSchema,
} from '@in3d/shared/protocol';
import type { CadModelInfo, QuestionInfo, SessionUser, TaskSummary } from '@in3d/shared/types';

export type FailureMode = null | 'offline' | 401 | 426 | 500 | 'drop-response';

export interface FakeServer {
  fetch: typeof fetch;
  /** Applied to every request until changed. */
  fail: FailureMode;
  /** Fails only requests whose path contains this. */
  failOnly: string | null;
  revisions: WireRevision[];
  heads: Map<string, WireHead & { clientId: string }>;
  /** Applied mutations of the other kinds (verdicts, picks, answers), once each. */
  others: Mutation[];
  requests: string[];
  /** Every requested path with its query (sized photo URLs). */
  urls: string[];
  /** Questions the user may not save (answered `not_assigned`). */
  forbidden: Set<string>;
  user: SessionUser;
  task: TaskSummary;
  questions: QuestionInfo[];
  cads: CadModelInfo[];
}

export function createFakeServer(): FakeServer {
  const user: SessionUser = { id: 'ann', displayName: 'Ann', role: 'annotator', qualified: true };
  const questions: QuestionInfo[] = Array.from({ length: 6 }, (_, i) => ({
    id: `q${i}`,
    taskId: 't1',
    index: i,
    category: 'chair',
    imageUrl: `/api/images/img${i}?v=e${i}`,
    imageWidth: 640,
    imageHeight: 480,
    bbox: [10, 10, 300, 200],
    viewport: 3000,
    initialPose: { azimuth: 0, elevation: 0, theta: 0, distance: 5, px: 320, py: 240 },
    initialSubtype: 1,
  }));
  const cads: CadModelInfo[] = [1, 2].map((subtype) => ({
    category: 'chair', subtype, name: `chair ${subtype}`, vertexCount: 8, triangleCount: 12, meshUrl: `/api/meshes/mesh${subtype}`, etag: `mesh${subtype}`,
  }));
  const task: TaskSummary = { id: 't1', name: 'Chairs', category: 'chair', total: questions.length, done: 0, firstOpenIndex: 0 };
  const seqByClient = new Map<string, number>();
  let serverSeq = 0;

  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  const server: FakeServer = {
    fail: null,
    failOnly: null,
    revisions: [],
    heads: new Map(),
    others: [],
    requests: [],
    urls: [],
    forbidden: new Set(),
    user,
    task,
    questions,
    cads,
    async fetch(input, init) {
      const req = new Request(input, init);
      const url = new URL(req.url);
      const path = url.pathname;
      server.requests.push(`${req.method} ${path}`);
      server.urls.push(path + url.search);
      const failing = server.fail && (!server.failOnly || path.includes(server.failOnly)) ? server.fail : null;
      if (failing === 'offline') throw new TypeError('Failed to fetch');
      if (failing === 401) return json({ error: 'http_error', message: 'Not logged in' }, 401);
      if (failing === 426) return json({ status: 'protocol_outdated', message: 'update', serverVersion: PROTOCOL_VERSION + 1 }, 426);
      if (failing === 500) return json({ error: 'internal', message: 'Internal server error' }, 500);

      let res: Response;
      if (path === '/api/auth/login') res = json({ user });
      else if (path === '/api/auth/logout') res = json({ ok: true });
      else if (path === '/api/tasks') res = json([server.task]);
      else if (path === '/api/tasks/t1') res = json({ task: server.task, questions: server.questions, cads });
      else if (path === '/api/categories/chair/cads') res = json(cads);
      else if (path.startsWith('/api/meshes/')) res = new Response(new Uint8Array(1000).fill(7), { headers: { 'content-type': 'application/octet-stream' } });
      // A sized copy (?w=N) is N bytes here, so a test can tell which copy it was given.
      else if (path.startsWith('/api/images/')) res = new Response(new Uint8Array(Number(url.searchParams.get('w') ?? 5000)).fill(9), { headers: { 'content-type': 'image/jpeg' } });
      else if (path === '/api/sync/push' || path === '/api/sync/pull') {
        if (req.headers.get(PROTOCOL_HEADER) !== String(PROTOCOL_VERSION)) return json({ status: 'protocol_outdated' }, 426);
        res = path === '/api/sync/push' ? push(await req.json()) : pull(url);
      } else res = json({ error: 'not_found' }, 404);
      if (failing === 'drop-response') throw new TypeError('network error after the request was sent');
      return res;
    },
  };

  function push(body: unknown): Response {
    const parsed = pushRequestSchema.safeParse(body);
    if (!parsed.success) return json({ status: 'invalid', message: parsed.error.message, issues: [] }, 400);
    const { clientId } = parsed.data;
    const results: MutationResult[] = [];
    for (const env of [...parsed.data.mutations].sort((a, b) => a.seq - b.seq)) {
      seqByClient.set(clientId, Math.max(seqByClient.get(clientId) ?? 0, env.seq));
      const existing = server.revisions.find((r) => r.id === env.id);
      const m = mutationSchema.parse(env);
      if (m.kind !== 'annotation.save') {
        // A verdict on a revision listed in `forbidden` is unknown to this server (R19).
        if (m.kind === 'review.verdict' && server.forbidden.has(m.revisionId)) {
          results.push({ id: m.id, seq: m.seq, status: 'rejected', reason: 'unknown_revision', message: 'no such revision' });
          continue;
        }
        const dup = server.others.some((o) => o.id === m.id);
        if (!dup) server.others.push(m);
        results.push({ id: m.id, seq: m.seq, status: 'applied', duplicate: dup });
        continue;
      }
      if (existing) {
        const { clientId: _c, ...head } = server.heads.get(m.questionId)!;
        results.push({ id: m.id, seq: m.seq, status: 'applied', duplicate: true, revisionSeq: existing.seq, head });
        continue;
      }
      if (server.forbidden.has(m.questionId)) {
        results.push({ id: m.id, seq: m.seq, status: 'rejected', reason: 'not_assigned', message: 'not yours' });
        continue;
      }
      const seq = ++serverSeq;
      server.revisions.push({
        ...m.values, id: m.id, questionId: m.questionId, taskId: m.taskId, userId: user.id, clientId, baseRevisionId: m.baseRevisionId,
        seq, clientSavedAt: m.clientSavedAt, serverReceivedAt: new Date().toISOString(), cleared: m.cleared === true,
      });
      const cur = server.heads.get(m.questionId);
      const next = nextHead(cur ?? null, cur?.clientId ?? null, { id: m.id, clientId, baseRevisionId: m.baseRevisionId, supersedes: m.supersedes });
      const writer = server.revisions.find((r) => r.id === next.revisionId)!.clientId;
      const head = { questionId: m.questionId, ...next, updatedSeq: seq };
      server.heads.set(m.questionId, { ...head, clientId: writer });
      results.push({ id: m.id, seq: m.seq, status: 'applied', duplicate: false, revisionSeq: seq, head });
    }
    const answer: PushResponse = { status: 'ok', clientId, ackSeq: seqByClient.get(clientId) ?? 0, results };
    return json(answer);
  }

  function pull(url: URL): Response {
    const cursor = Number(url.searchParams.get('cursor') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 500);
    const rows = server.revisions.filter((r) => r.seq > cursor);
    const page = rows.slice(0, limit);
    const qs = new Set(page.map((r) => r.questionId));
    const heads = [...server.heads.values()].filter((h) => qs.has(h.questionId)).map(({ clientId: _c, ...h }) => h);
    const answer: PullResponse = { status: 'ok', revisions: page, heads, cursor: page.at(-1)?.seq ?? cursor, hasMore: rows.length > limit };
    return json(answer);
  }

  return server;
}
