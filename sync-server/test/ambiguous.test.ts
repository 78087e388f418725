// SPEC R40 on the server: a save's ambiguous parameters are validated, stored with the revision,
// pulled back, exported (npz key `ambiguous`, jsonl) and left out of scoring.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, score } from '@in3d/shared/metrics';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, type PullResponse, type PushResponse } from '@in3d/shared/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { newSessionToken, SESSION_COOKIE, sessionIdOf } from '../src/auth/tokens';
import { migrateToLatest, type OpenedDb, openDatabase } from '../src/db/connect';
import { exportJsonl } from '../src/exchange/export-jsonl';
import { exportNpz } from '../src/exchange/export-npz';
import { importLegacy } from '../src/exchange/legacy';
import { elements } from '../src/formats/ndarray';
import { readNpz } from '../src/formats/npz';
import { insertSession } from '../src/repositories/sessions';
import { hasFixtures, IMAGENET3D } from '../../shared/test/fixtures';

const LEGACY = join(IMAGENET3D, 'legacy');
const CAD = join(IMAGENET3D, 'cad');
const QUESTION = 'objnet3d_chair_n03001627_101_01';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0).reverse()) f();
});

async function world() {
  const dir = mkdtempSync(join(tmpdir(), 'in3d-ambiguous-'));
  const opened: OpenedDb = openDatabase(join(dir, 'annotator.sqlite'));
  await migrateToLatest(opened.db);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => opened.close());
  await importLegacy(opened.db, { source: LEGACY, cadDir: CAD, dataDir: dir });
  const app = createApp({ db: opened.db, dataDir: dir });
  const token = newSessionToken();
  await insertSession(opened.db, { id: sessionIdOf(token), userId: 'alice', expiresAt: new Date(Date.now() + 3600_000) });
  const headers = { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
  const head = opened.sqlite.prepare(`SELECT revision_id FROM annotation_heads WHERE question_id = ?`).get(QUESTION) as { revision_id: string };
  const clientId = randomUUID();
  let seq = 0;
  const push = async (ambiguous: unknown) => {
    const values = { pose: { azimuth: 60, elevation: 5, theta: -10, distance: 6, px: 220.5, py: 170 }, subtype: 3, objectStatus: 'status_good', dense: 'dense_no', activeMs: 1000, ambiguous };
    const res = await app.request('/api/sync/push', {
      method: 'POST',
      headers,
      body: JSON.stringify({ clientId, mutations: [{ id: randomUUID(), seq: ++seq, kind: 'annotation.save', questionId: QUESTION, taskId: 'objnet3d_chair', baseRevisionId: head.revision_id, values, clientSavedAt: new Date().toISOString() }] }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as PushResponse).results[0]!;
  };
  const pull = async () => (await (await app.request('/api/sync/pull?cursor=0', { headers })).json()) as PullResponse;
  return { dir, opened, push, pull };
}

describe.skipIf(!hasFixtures)('ambiguous parameters', () => {
  it('R40: a save with ambiguous azimuth is stored, pulled back and exported to npz and jsonl', async () => {
    const w = await world();
    expect((await w.push(['azimuth'])).status).toBe('applied');
    const pulled = await w.pull();
    const mine = pulled.revisions.find((r) => r.questionId === QUESTION && r.clientId !== 'legacy-import')!;
    expect(mine.ambiguous).toEqual(['azimuth']);

    const out = join(w.dir, 'out');
    await exportNpz(w.opened.db, { outDir: out });
    const npz = readNpz(readFileSync(join(out, 'annotations_new/chair/n03001627_101_01.npz')));
    expect(npz.get('ambiguous')?.shape).toEqual([1]);
    expect(elements(npz.get('ambiguous')!)).toEqual(['azimuth']);

    const file = join(w.dir, 'all.jsonl');
    await exportJsonl(w.opened.db, { file });
    const line = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { questionId: string; current: { ambiguous: string[] } | null })
      .find((l) => l.questionId === QUESTION)!;
    expect(line.current?.ambiguous).toEqual(['azimuth']);
  });

  it('R40: without flags the npz keeps the original keys and pulls carry no field', async () => {
    const w = await world();
    expect((await w.push([])).status).toBe('applied');
    const out = join(w.dir, 'out');
    await exportNpz(w.opened.db, { outDir: out });
    expect(readNpz(readFileSync(join(out, 'annotations_new/chair/n03001627_101_01.npz'))).has('ambiguous')).toBe(false);
    expect((await w.pull()).revisions.every((r) => r.ambiguous === undefined)).toBe(true);
  });

  it('R40: an unknown or repeated parameter makes the save invalid', async () => {
    const w = await world();
    for (const bad of [['yaw'], ['azimuth', 'azimuth'], 'azimuth']) {
      const r = await w.push(bad);
      expect(r.status, JSON.stringify(bad)).toBe('rejected');
    }
  });

  it('R40: scoring ignores a parameter either side marks ambiguous', () => {
    const reference = { pose: { azimuth: 0, elevation: 10, theta: 0, distance: 5, px: 100, py: 100 }, subtype: 1 };
    const answer = { pose: { ...reference.pose, azimuth: 120, px: 130 }, subtype: 1 };
    expect(score(answer, reference).failed).toEqual(['rotation', 'centre']);
    const flagged = score({ ...answer, ambiguous: ['azimuth'] }, reference);
    expect([flagged.rotationDeg, flagged.failed]).toEqual([0, ['centre']]);
    expect(compare(answer, { ...reference, ambiguous: ['azimuth', 'px'] }).centrePx).toBe(0);
    // Only the marked parameter is ignored: elevation still counts.
    expect(compare({ ...answer, pose: { ...answer.pose, elevation: 50 }, ambiguous: ['azimuth'] }, reference).rotationDeg).toBeCloseTo(40, 6);
  });
});
