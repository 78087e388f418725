// Quality workflows at dataset scale: the admin dashboard's statistics (agreement over every shared
// object, gold Acc@π/6), the reviewer's queue, the next A/B pair, and the task list with the
// qualification gate and rework counts. In-process app.request on a temp SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp } from '../sync-server/src/app';
import { newSessionToken, SESSION_COOKIE, sessionIdOf } from '../sync-server/src/auth/tokens';
import { migrateToLatest, openDatabase } from '../sync-server/src/db/connect';
import { nextAbCandidate } from '../sync-server/src/repositories/ab';
import { reviewQueue } from '../sync-server/src/repositories/reviews';
import { dashboardStats } from '../sync-server/src/repositories/stats';
import { insertSession } from '../sync-server/src/repositories/sessions';

const QUESTIONS = 3000;
const ANNOTATORS = ['a1', 'a2', 'a3'];
const GOLD = 50;
const REVIEWS = 500;

async function time(fn: () => Promise<unknown>, runs = 5): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'in3d-bench-quality-'));
  const { db, sqlite, close } = openDatabase(join(dir, 'annotator.sqlite'));
  await migrateToLatest(db);
  const now = new Date().toISOString();
  sqlite.exec(`INSERT INTO categories VALUES ('chair','chair'); INSERT INTO images VALUES ('img','chair',NULL,640,480,NULL,NULL);
    INSERT INTO tasks (id, name, created_at) VALUES ('t','t','${now}');`);
  const users = sqlite.prepare(`INSERT INTO users VALUES (?, ?, ?, 'x', 1, 0, ?)`);
  for (const u of [...ANNOTATORS, 'rev']) users.run(u, u, u === 'rev' ? 'reviewer' : 'annotator', now);
  const q = sqlite.prepare(`INSERT INTO questions VALUES (?, 'img', 'chair', 0, 0, 600, 400, 3000, 0, 10, 0, 5, 320, 240, 1, ?, ?)`);
  const tq = sqlite.prepare(`INSERT INTO task_questions VALUES ('t', ?, ?)`);
  const ann = sqlite.prepare(`INSERT INTO annotations (id, question_id, user_id, task_id, client_id, azimuth, elevation, theta, distance, px, py, subtype,
    object_status, dense, active_ms, client_saved_at, server_received_at) VALUES (?, ?, ?, 't', 'c', ?, ?, 0, ?, ?, 240, 1, ?, ?, ?, ?, ?)`);
  const head = sqlite.prepare(`INSERT INTO annotation_heads VALUES (?, ?, ?, NULL, ?)`);
  let seq = 0;
  sqlite.transaction(() => {
    for (let i = 0; i < QUESTIONS; i++) {
      const id = `q${i}`;
      q.run(id, JSON.stringify({ gold: { azimuth: i % 360, elevation: 10, theta: 0, distance: 5, px: 320, py: 240 }, goldSubtype: 1 }), now);
      tq.run(id, i);
      for (const [k, u] of ANNOTATORS.entries()) {
        const day = new Date(Date.UTC(2026, 10, 1 + (i % 20))).toISOString();
        ann.run(`${u}-${id}`, id, u, (i + 7 * k * (i % 9)) % 360, 10 + k, 5 + 0.1 * k, 320 + k, k && i % 5 === 0 ? 'status_partially' : 'status_good', i % 3 ? 'dense_no' : 'dense_yes', 20_000 + (i % 90) * 1000, day, day);
        head.run(id, u, `${u}-${id}`, ++seq);
      }
    }
    for (const u of ANNOTATORS) sqlite.prepare(`INSERT INTO assignments VALUES ('t', ?, ?)`).run(u, now);
    for (let i = 0; i < GOLD; i++) sqlite.prepare(`INSERT INTO gold_questions VALUES (?, ?, 10, 0, 5, 320, 240, 1, NULL, NULL, NULL, ?)`).run(`q${i * 7}`, (i * 7) % 360, now);
    for (let i = 0; i < REVIEWS; i++)
      sqlite.prepare(`INSERT INTO reviews VALUES (?, ?, ?, ?, 'a1', 't', 'rev', 'bad_pose', NULL, 1, ?)`).run(`r${i}`, `q${i}`, `a1-q${i}`, i * 3 + 1, now);
  })();

  const token = newSessionToken();
  await insertSession(db, { id: sessionIdOf(token), userId: 'a1', expiresAt: new Date(Date.now() + 3600_000) });
  const app = createApp({ db, dataDir: dir });
  const tasks = () => Promise.resolve(app.request('/api/tasks', { headers: { cookie: `${SESSION_COOKIE}=${token}` } })).then((r) => r.json());

  const objects = QUESTIONS, heads = QUESTIONS * ANNOTATORS.length;
  console.log(`quality dashboard_stats_ms ${(await time(() => dashboardStats(db), 3)).toFixed(0)} (${heads} annotations, ${objects} shared objects, ${GOLD} gold)`);
  console.log(`quality review_queue_50_ms ${(await time(() => reviewQueue(db, 'rev', 50))).toFixed(1)}`);
  console.log(`quality ab_next_pair_ms ${(await time(() => nextAbCandidate(db, 'rev'))).toFixed(1)}`);
  console.log(`quality tasks_list_with_gate_ms ${(await time(tasks, 9)).toFixed(1)} (rework counted over ${REVIEWS} reviews)`);
  await close();
  rmSync(dir, { recursive: true, force: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
