// A long export lets the server's other requests in: SQLite (better-sqlite3) and file writes are
// synchronous, so without turns of the event loop an npz export of 7,500 answers held every request
// (the health check, annotators' sync pushes) for 12 s. Checked by order, not by time: while each
// layout of the browser's export zip is made, the event loop must turn (a setImmediate ticker runs).
// The pacer turns after every item here (PACE.ms 0), so a fast machine cannot finish before its 20 ms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACE } from '../src/event-loop';
import { exportZip, ZIP_LAYOUTS } from '../src/exchange/export-zip';
import { createQualityWorld, INITIAL, type QualityWorld } from './quality-world';

const N = 600;
let w: QualityWorld;
beforeAll(async () => {
  PACE.ms = 0;
  w = await createQualityWorld();
  const now = new Date().toISOString();
  const sq = w.opened.sqlite;
  sq.exec(`INSERT INTO tasks (id, name, created_at) VALUES ('t-big', 't-big', '${now}')`);
  const question = sq.prepare(`INSERT INTO questions (id, image_id, category_id, bbox_x1, bbox_y1, bbox_x2, bbox_y2, viewport, init_azimuth, init_elevation, init_theta, init_distance, init_px, init_py, init_subtype, source_json, created_at)
    VALUES (?, 'img-q0', 'chair', 10, 10, 600, 400, 3000, 0, 10, 0, 5, 320, 240, 1, NULL, ?)`);
  const member = sq.prepare(`INSERT INTO task_questions (task_id, question_id, position) VALUES ('t-big', ?, ?)`);
  sq.transaction(() => {
    for (let i = 0; i < N; i++) {
      question.run(`big${String(i).padStart(5, '0')}`, now);
      member.run(`big${String(i).padStart(5, '0')}`, i);
    }
  })();
  sq.exec(`INSERT INTO assignments (task_id, user_id, assigned_at) VALUES ('t-big', 'ann', '${now}')`);
  for (let start = 0; start < N; start += 200) {
    const mutations = Array.from({ length: Math.min(200, N - start) }, (_, i) => ({
      id: crypto.randomUUID(), kind: 'annotation.save', questionId: `big${String(start + i).padStart(5, '0')}`, taskId: 't-big', baseRevisionId: null,
      clientSavedAt: now, values: { pose: { ...INITIAL, azimuth: (start + i) % 360 }, subtype: 1, objectStatus: 'status_good', dense: 'dense_no', activeMs: 1000 },
    }));
    expect((await w.pushMutations('ann', mutations)).every((r) => r.status === 'applied')).toBe(true);
  }
}, 120_000);
afterAll(async () => {
  PACE.ms = 20;
  await w.close();
});

describe('exports', () => {
  it.each(ZIP_LAYOUTS)('let the event loop turn while the %s export zip is made', async (layout) => {
    let turns = 0, done = false;
    const tick = () => {
      if (done) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    let bytes = 0;
    for await (const chunk of exportZip(w.opened.db, layout)) bytes += chunk.byteLength;
    done = true;
    expect(bytes).toBeGreaterThan(1000);
    expect(turns).toBeGreaterThan(0);
  }, 60_000);
});
