import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@in3d/shared/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { newSessionToken, SESSION_COOKIE, sessionIdOf } from '../src/auth/tokens';
import { migrateToLatest, type OpenedDb, openDatabase } from '../src/db/connect';
import { exportJsonl } from '../src/exchange/export-jsonl';
import { exportNpz } from '../src/exchange/export-npz';
import { importLegacy } from '../src/exchange/legacy';
import { elements, type NdArray, numberOf, stringOf } from '../src/formats/ndarray';
import { readNpz } from '../src/formats/npz';
import { insertSession } from '../src/repositories/sessions';
import { hasFixtures, IMAGENET3D } from '../../shared/test/fixtures';

const LEGACY = join(IMAGENET3D, 'legacy');
const CAD = join(IMAGENET3D, 'cad');
const SAVED = 'annotations_new/chair/n03001627_101_01.npz';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function imported(): Promise<OpenedDb & { dir: string; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'in3d-export-'));
  const opened = openDatabase(join(dir, 'annotator.sqlite'));
  await migrateToLatest(opened.db);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => opened.close());
  await importLegacy(opened.db, { source: LEGACY, cadDir: CAD, dataDir: dir });
  return { ...opened, dir, out: join(dir, 'out') };
}

function expectSameNpz(actual: Map<string, NdArray>, expected: Map<string, NdArray>) {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [k, e] of expected) {
    const a = actual.get(k)!;
    expect([k, a.descr, a.shape]).toEqual([k, e.descr, e.shape]);
    const av = elements(a), ev = elements(e);
    ev.forEach((v, i) => {
      if (typeof v === 'number') expect(Math.abs((av[i] as number) - v), `${k}[${i}]`).toBeLessThanOrEqual(1e-9);
      else expect(av[i], `${k}[${i}]`).toEqual(v);
    });
  }
}

/** Signs `user` in by storing a session, as the login route would. */
async function cookieFor(o: OpenedDb, user: string): Promise<string> {
  const token = newSessionToken();
  await insertSession(o.db, { id: sessionIdOf(token), userId: user, expiresAt: new Date(Date.now() + 3600_000) });
  return `${SESSION_COOKIE}=${token}`;
}

describe.skipIf(!hasFixtures)('export npz', () => {
  it("reproduces the original tool's saved file: keys, order, dtypes and values to 1e-9", async () => {
    const o = await imported();
    const s = await exportNpz(o.db, { outDir: o.out });
    expect([s.questions, s.written, s.reports]).toEqual([9, 1, []]);
    const files = readdirSync(join(o.out, 'annotations_new/chair'));
    expect(files).toEqual(['n03001627_101_01.npz']);
    expectSameNpz(readNpz(readFileSync(join(o.out, SAVED))), readNpz(readFileSync(join(LEGACY, SAVED))));
  });

  it('round trip: import → an annotator saves through the sync API → export npz and jsonl', async () => {
    const o = await imported();
    const app = createApp({ db: o.db, dataDir: o.dir });
    const device = randomUUID();
    const push = async (user: string, mutation: Record<string, unknown>) => {
      const res = await app.request('/api/sync/push', {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: await cookieFor(o, user), [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
        body: JSON.stringify({ clientId: device, mutations: [mutation] }),
      });
      const body = (await res.json()) as { results: { status: string }[] };
      expect(res.status).toBe(200);
      expect(body.results[0]!.status).toBe('applied');
    };
    const head = o.sqlite.prepare(`SELECT revision_id FROM annotation_heads WHERE question_id = 'objnet3d_chair_n03001627_101_01'`).get() as { revision_id: string };
    const newValues = {
      pose: { azimuth: 60, elevation: -2.5, theta: -10, distance: 6.25, px: 221.5, py: 170 },
      subtype: 3,
      objectStatus: 'status_good',
      dense: 'dense_no',
      activeMs: 42_000,
    };
    // Alice corrects her imported annotation, then annotates a fresh car question on her phone (bob has
    // not passed the qualification test, so the gate would refuse him, as in the original).
    await push('alice', {
      id: randomUUID(), seq: 1, kind: 'annotation.save', questionId: 'objnet3d_chair_n03001627_101_01', taskId: 'objnet3d_chair',
      baseRevisionId: head.revision_id, values: newValues, clientSavedAt: '2026-11-25T10:00:00.000Z',
    });
    const res = await app.request('/api/sync/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: await cookieFor(o, 'alice'), [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      body: JSON.stringify({
        clientId: randomUUID(),
        mutations: [{
          id: randomUUID(), seq: 1, kind: 'annotation.save', questionId: 'objnet3d_car_n02958343_12_00', taskId: 'objnet3d_car',
          baseRevisionId: null, values: { ...newValues, subtype: 2, objectStatus: 'status_bad', dense: 'dense_yes' }, clientSavedAt: '2026-11-25T11:00:00.000Z',
        }],
      }),
    });
    expect(res.status).toBe(200);

    const s = await exportNpz(o.db, { outDir: o.out });
    expect(s.written).toBe(2);
    const chair = readNpz(readFileSync(join(o.out, SAVED)));
    const original = readNpz(readFileSync(join(LEGACY, SAVED)));
    expect([...chair.keys()]).toEqual([...original.keys()]);
    expect(numberOf(chair.get('azimuth'))).toBeCloseTo((60 * Math.PI) / 180, 12);
    expect(numberOf(chair.get('distance'))).toBe(6.25);
    expect([chair.get('cad_index')!.descr, numberOf(chair.get('cad_index'))]).toEqual(['<i8', 3]);
    expect([stringOf(chair.get('annotator')), stringOf(chair.get('object_status')), stringOf(chair.get('dense'))]).toEqual(['alice', 'status_good', 'dense_no']);
    expect(chair.get('object_status')!.descr).toBe('<U11');
    expect(elements(chair.get('bbox')!)).toEqual(elements(original.get('bbox')!));

    const car = readNpz(readFileSync(join(o.out, 'annotations_new/car/n02958343_12_00.npz')));
    const carInitial = readNpz(readFileSync(join(LEGACY, 'annotations/car/n02958343_12_00.npz')));
    expect([...car.keys()]).toEqual([...carInitial.keys(), 'annotator', 'object_status', 'dense']);
    expect([stringOf(car.get('annotator')), numberOf(car.get('cad_index')), stringOf(car.get('class')), stringOf(car.get('dense'))]).toEqual(['alice', 2, 'car', 'dense_yes']);
    expect(car.get('height')).toEqual(carInitial.get('height'));

    // JSONL: every question, the current annotation and the whole history with device and active time.
    const file = join(o.dir, 'all.jsonl');
    const j = await exportJsonl(o.db, { file });
    expect(j.written).toBe(9);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(lines).toHaveLength(9);
    const line = lines.find((l) => l.questionId === 'objnet3d_chair_n03001627_101_01')!;
    expect(line.revisions.map((r: any) => [r.userId, r.clientId, r.source, r.activeMs])).toEqual([
      ['alice', 'legacy-import', 'import', 0],
      ['alice', device, 'app', 42_000],
    ]);
    expect(line.current).toMatchObject({ userId: 'alice', clientId: device, subtype: 3, pose: newValues.pose, clientSavedAt: '2026-11-25T10:00:00.000Z' });
    expect(line.revisions[1].baseRevisionId).toBe(line.revisions[0].id);
    // Importing the same folder again keeps the app's newer save as the head and appends nothing.
    const again = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir });
    expect(again.annotations).toEqual({ found: 1, imported: 0, alreadyPresent: 1 });
    expect(o.sqlite.prepare(`SELECT count(*) AS n FROM annotations`).get()).toEqual({ n: 3 });
    expect(o.sqlite.prepare(`SELECT revision_id FROM annotation_heads WHERE question_id = 'objnet3d_chair_n03001627_101_01'`).get()).toEqual({ revision_id: line.current.id });
    expect(lines.find((l) => l.questionId === 'objnet3d_car_n02958343_77_00')).toMatchObject({ current: null, revisions: [], taskIds: ['objnet3d_car'] });
  });
});
