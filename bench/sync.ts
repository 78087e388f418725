// Sync benchmark: server push throughput and latency with 200 concurrent clients over loopback HTTP
// (the server runs in a child process, SQLite on disk with WAL + synchronous=FULL, as in production),
// and the local save commit time (annotation + outbox row in one transaction) in Chromium's IndexedDB
// and, for comparison only, in fake-indexeddb under Node.
// `npx tsx bench/sync.ts` (or `npm run bench -- sync`). One figure a line.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, type PushResponse } from '@in3d/shared/protocol';
import type { AnnotationValues } from '@in3d/shared/types';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const CLIENTS = Number(process.env.SYNC_BENCH_CLIENTS ?? 200);
const PUSHES_PER_CLIENT = Number(process.env.SYNC_BENCH_PUSHES ?? 10);
const QUESTIONS = 50;
const SAVES = 200;

const values = (i: number): AnnotationValues => ({
  pose: { azimuth: i % 360, elevation: 10, theta: 0, distance: 5, px: 320, py: 240 },
  subtype: 1 + (i % 3),
  objectStatus: 'status_good',
  dense: 'dense_no',
  activeMs: 1000 + i,
});

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));

// ---- the server child ---------------------------------------------------------------------------

async function serveChild(): Promise<void> {
  const { serve } = await import('@hono/node-server');
  const { createApp } = await import('../sync-server/src/app');
  const { migrateToLatest, openDatabase } = await import('../sync-server/src/db/connect');
  const { insertUser } = await import('../sync-server/src/repositories/users');
  const { insertSession } = await import('../sync-server/src/repositories/sessions');
  const { newSessionToken, sessionIdOf, SESSION_COOKIE } = await import('../sync-server/src/auth/tokens');
  const dir = process.env.SYNC_BENCH_DIR!;
  const { db } = openDatabase(join(dir, 'annotator.sqlite'));
  await migrateToLatest(db);
  const now = new Date().toISOString();
  const cookies: string[] = [];
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('categories').values({ id: 'chair', name: 'chair' }).execute();
    await trx.insertInto('images').values({ id: 'img', category_id: 'chair', file_path: null, width: 640, height: 480, etag: null, bytes: null }).execute();
    await trx.insertInto('tasks').values({ id: 'bench', name: 'bench', created_at: now }).execute();
    for (let i = 0; i < QUESTIONS; i++) {
      await trx.insertInto('questions').values({
        id: `q${i}`, image_id: 'img', category_id: 'chair', bbox_x1: 0, bbox_y1: 0, bbox_x2: 100, bbox_y2: 100, viewport: 3000,
        init_azimuth: 0, init_elevation: 0, init_theta: 0, init_distance: 5, init_px: 320, init_py: 240, init_subtype: 1, source_json: null, created_at: now,
      }).execute();
      await trx.insertInto('task_questions').values({ task_id: 'bench', question_id: `q${i}`, position: i }).execute();
    }
    for (let u = 0; u < CLIENTS; u++) {
      const id = `bench-${u}`;
      await insertUser(trx, { id, role: 'annotator', passwordHash: 'unused', qualified: true });
      await trx.insertInto('assignments').values({ task_id: 'bench', user_id: id, assigned_at: now }).execute();
      const token = newSessionToken();
      await insertSession(trx, { id: sessionIdOf(token), userId: id, expiresAt: new Date(Date.now() + 3_600_000) });
      cookies.push(`${SESSION_COOKIE}=${token}`);
    }
  });
  const app = createApp({ db, dataDir: dir });
  let requests = 0;
  let cpu = process.cpuUsage();
  // GET /__bench/cpu answers the CPU spent per request since the last ask, which does not depend on how
  // busy the rest of the machine is. Everything else goes to the real app.
  const fetch = (req: Request) => {
    if (new URL(req.url).pathname !== '/__bench/cpu') {
      requests++;
      return app.fetch(req);
    }
    const used = process.cpuUsage(cpu);
    const body = { cpuMs: (used.user + used.system) / 1000, requests };
    cpu = process.cpuUsage();
    requests = 0;
    return Response.json(body);
  };
  const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
    process.stdout.write(`${JSON.stringify({ port: info.port, cookies })}\n`);
  });
  process.on('SIGTERM', () => server.close(() => void db.destroy().then(() => process.exit(0))));
}

interface BenchServer {
  url: string;
  cookies: string[];
  /** CPU ms the server used, and requests it served, since the last call. */
  cpu(): Promise<{ cpuMs: number; requests: number }>;
  stop(): Promise<void>;
}

async function startChild(dir: string): Promise<BenchServer> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), SELF], {
    cwd: ROOT,
    env: { ...process.env, SYNC_BENCH_ROLE: 'server', SYNC_BENCH_DIR: dir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const { port, cookies } = JSON.parse(first) as { port: number; cookies: string[] };
  const cpu = async () => (await (await fetch(`http://127.0.0.1:${port}/__bench/cpu`)).json()) as { cpuMs: number; requests: number };
  return {
    url: `http://127.0.0.1:${port}`,
    cookies,
    cpu,
    stop: () => new Promise((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}

// ---- server push throughput ---------------------------------------------------------------------

/** One device = one keep-alive connection, as 200 tablets would have (not one shared client pool). */
function post(url: string, agent: Agent, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function benchPush(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'in3d-bench-sync-'));
  const server = await startChild(dir);
  try {
    const agents = Array.from({ length: CLIENTS }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    const devices = Array.from({ length: CLIENTS }, () => ({ clientId: crypto.randomUUID(), seq: 0, heads: new Map<string, string>() }));
    /** One device pushing one save at a time; `everyMs` > 0 paces pushes start to start, like annotators do. */
    const client = async (c: number, pushes: number, sink: number[] | null, everyMs = 0) => {
      const d = devices[c]!;
      if (everyMs) await new Promise((r) => setTimeout(r, Math.random() * everyMs));
      for (let p = 0; p < pushes; p++) {
        const started = performance.now();
        const questionId = `q${(c * 7 + d.seq) % QUESTIONS}`;
        const id = crypto.randomUUID();
        const body = {
          clientId: d.clientId,
          mutations: [{ id, seq: ++d.seq, kind: 'annotation.save', questionId, taskId: 'bench', baseRevisionId: d.heads.get(questionId) ?? null, supersedes: [], values: values(p), clientSavedAt: new Date().toISOString() }],
        };
        const res = await post(`${server.url}/api/sync/push`, agents[c]!, { 'content-type': 'application/json', cookie: server.cookies[c]!, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) }, JSON.stringify(body));
        const ms = performance.now() - started;
        const answer = JSON.parse(res.body) as PushResponse;
        if (res.status !== 200 || answer.results[0]?.status !== 'applied') throw new Error(`push failed: ${res.status} ${res.body}`);
        d.heads.set(questionId, id);
        sink?.push(ms);
        if (everyMs) await new Promise((r) => setTimeout(r, Math.max(0, everyMs - ms)));
      }
    };
    const report = (label: string, latencies: number[], seconds: number) => {
      latencies.sort((a, b) => a - b);
      console.log(`sync push ${label} mutations_per_s ${fmt(latencies.length / seconds)}`);
      console.log(`sync push ${label} p50_ms ${fmt(quantile(latencies, 0.5))}`);
      console.log(`sync push ${label} p99_ms ${fmt(quantile(latencies, 0.99))}`);
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c, 1, null))); // warm-up: every device connected once

    // Saturation: every device pushes back to back, no pause: the most the server can take.
    const flat: number[] = [];
    await server.cpu();
    let t0 = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c, PUSHES_PER_CLIENT, flat)));
    const used = await server.cpu();
    report(`${CLIENTS}_clients_saturated`, flat, (performance.now() - t0) / 1000);
    // Throughput on a busy shared machine says little alone; the server's own CPU per push says what it costs.
    console.log(`sync push server_cpu_ms_per_push ${fmt(used.cpuMs / Math.max(1, used.requests))}`);

    // Paced: each device pushes every 2 s (100 pushes/s offered), a very busy day for 200 annotators.
    const paced: number[] = [];
    t0 = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c, 5, paced, 2000)));
    report(`${CLIENTS}_clients_every_2s`, paced, (performance.now() - t0) / 1000);
    for (const a of agents) a.destroy();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- local save commit --------------------------------------------------------------------------

// The same loop runs in Chromium (bundled as plain JS below) and in Node: N saves, each timed to its commit.
const SAVE_LOOP = `
  async function timeSaves(createDataStore, n, dbName) {
    const user = { id: 'bench', displayName: 'bench', role: 'annotator', qualified: true };
    const fakeFetch = async () => new Response(JSON.stringify({ user }), { status: 200, headers: { 'content-type': 'application/json' } });
    const store = createDataStore({ baseUrl: 'http://localhost', fetch: fakeFetch, dbName, autoSync: false });
    await store.login('bench', 'x');
    const times = [];
    for (let i = 0; i < n; i++) {
      const v = { pose: { azimuth: i % 360, elevation: 10, theta: 0, distance: 5, px: 320, py: 240 }, subtype: 1, objectStatus: 'status_good', dense: 'dense_no', activeMs: i };
      const t0 = performance.now();
      await store.saveAnnotation('t', 'q' + (i % 50), v);
      times.push(performance.now() - t0);
    }
    store.dispose();
    return times.slice(10).sort((a, b) => a - b); // the first saves open the database
  }
`;
type TimeSaves = (createDataStore: unknown, n: number, dbName: string) => Promise<number[]>;

async function benchSaveNode(): Promise<void> {
  const fakeIdb = 'fake-indexeddb/auto'; // a side-effect module without typings for dynamic import
  await import(fakeIdb);
  const { createDataStore } = await import('../pwa/src/data/store');
  const timeSaves = new Function(`${SAVE_LOOP}; return timeSaves;`)() as TimeSaves;
  const t = await timeSaves(createDataStore, SAVES, `bench-${Date.now()}`);
  console.log(`sync save fake-indexeddb-node commit_p50_ms ${fmt(quantile(t, 0.5))}`);
  console.log(`sync save fake-indexeddb-node commit_p95_ms ${fmt(quantile(t, 0.95))}`);
}

async function benchSaveChromium(): Promise<void> {
  const { build } = await import('esbuild');
  const { launchChromium } = await import('../e2e/chromium');
  const entry = `
    import { createDataStore } from ${JSON.stringify(join(ROOT, 'pwa/src/data/store.ts'))};
    ${SAVE_LOOP}
    window.runBench = (n) => timeSaves(createDataStore, n, 'bench-' + Date.now());
  `;
  const bundle = await build({ stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' }, bundle: true, format: 'iife', write: false, target: 'es2022', logLevel: 'silent' });
  const script = bundle.outputFiles[0]!.text;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // A real origin (IndexedDB needs one) served from memory; localhost is a secure context.
    await page.route('http://localhost/**', (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><script>${script.replace(/<\/script/g, '<\\/script')}</script>` }));
    await page.goto('http://localhost/bench');
    const t = (await page.evaluate((n) => (window as unknown as { runBench(n: number): Promise<number[]> }).runBench(n), SAVES)) as number[];
    console.log(`sync save chromium commit_p50_ms ${fmt(quantile(t, 0.5))}`);
    console.log(`sync save chromium commit_p95_ms ${fmt(quantile(t, 0.95))}`);
  } finally {
    await browser.close();
  }
}

export async function run(): Promise<void> {
  await benchPush();
  if (process.env.SYNC_BENCH_ONLY === 'push') return;
  try {
    await benchSaveChromium();
  } catch (err) {
    console.log(`# chromium save bench skipped: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  await benchSaveNode();
}

if (process.env.SYNC_BENCH_ROLE === 'server') await serveChild();
else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
