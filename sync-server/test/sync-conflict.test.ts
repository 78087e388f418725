// Two devices of one annotator save the same question from the same base while apart: the real data
// layer (fake-indexeddb) against the real app on a SQLite file, as in the field.
import 'fake-indexeddb/auto';
import type { AnnotationValues } from '@in3d/shared/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalDataStore, createDataStore } from '../../pwa/src/data/store';
import { PASSWORD, createWorld, deviceFetch, type World } from './sync-world';

let w: World;
let tablet: LocalDataStore;
let laptop: LocalDataStore;
let n = 0;

beforeEach(async () => {
  w = await createWorld();
  n++;
  tablet = createDataStore({ baseUrl: 'http://test', fetch: deviceFetch(w), dbName: `conflict-tablet-${n}`, autoSync: false });
  laptop = createDataStore({ baseUrl: 'http://test', fetch: deviceFetch(w), dbName: `conflict-laptop-${n}`, autoSync: false });
  expect((await tablet.login('ann', PASSWORD)).ok).toBe(true);
  expect((await laptop.login('ann', PASSWORD)).ok).toBe(true);
});
afterEach(async () => {
  tablet.dispose();
  laptop.dispose();
  await w.close();
});

const values = (azimuth: number): AnnotationValues => ({
  pose: { azimuth, elevation: 12, theta: -3, distance: 4.5, px: 200, py: 150 },
  subtype: 3,
  objectStatus: 'status_partially',
  dense: 'dense_yes',
  activeMs: 5000,
});

async function serverState(questionId: string) {
  const db = w.opened.db;
  const revisions = await db.selectFrom('annotations').select(['id', 'azimuth']).where('question_id', '=', questionId).orderBy('seq').execute();
  const head = await db.selectFrom('annotation_heads').selectAll().where('question_id', '=', questionId).executeTakeFirstOrThrow();
  return { revisions, head };
}

/** Both devices agree on a first save, then each saves a different pose without seeing the other's. */
async function divergeOn(questionId: string, taskId: string) {
  const base = await tablet.saveAnnotation(taskId, questionId, values(10));
  await tablet.syncNow();
  await laptop.syncNow();
  expect((await laptop.getAnnotation(questionId))?.id).toBe(base.id);
  const mine = await tablet.saveAnnotation(taskId, questionId, values(20));
  const theirs = await laptop.saveAnnotation(taskId, questionId, values(30));
  await laptop.syncNow();
  await tablet.syncNow();
  return { base, mine, theirs };
}

describe('two-device conflict', () => {
  for (const keep of ['theirs', 'mine'] as const) {
    it(`R11/R12: both revisions are kept, the question is flagged, and "keep ${keep}" becomes current on the server and both devices`, async () => {
      const { taskId, questionIds } = w.tasks.ann![0]!;
      const q = questionIds[0]!;
      const { base, mine, theirs } = await divergeOn(q, taskId);

      // The tablet saved last from a stale base: the server keeps both and flags the question.
      const flagged = await serverState(q);
      expect(flagged.revisions.map((r) => r.id)).toEqual([base.id, theirs.id, mine.id]);
      expect(flagged.head).toMatchObject({ revision_id: theirs.id, conflict_revision_id: mine.id });

      const shown = await tablet.getAnnotation(q);
      expect(shown?.id).toBe(mine.id);
      expect(shown?.pose.azimuth).toBe(20);
      expect(shown?.sync).toEqual({ kind: 'conflict', theirs: { ...values(30), revisionId: theirs.id, userId: 'ann' } });
      expect(tablet.status().conflicts).toBe(1);
      // The laptop learns of it too, from its own side.
      await laptop.syncNow();
      const other = await laptop.getAnnotation(q);
      expect(other?.sync.kind).toBe('conflict');
      expect(other?.id).toBe(theirs.id);

      const chosen = (await tablet.resolveConflict(q, keep))!; // not a clear (R51): an annotation
      expect(chosen.pose.azimuth).toBe(keep === 'mine' ? 20 : 30);
      expect(chosen.sync).toEqual({ kind: 'saved-on-device' });
      await tablet.syncNow();
      await laptop.syncNow();

      const settled = await serverState(q);
      expect(settled.revisions.map((r) => r.id)).toEqual([base.id, theirs.id, mine.id, chosen.id]);
      expect(settled.revisions.at(-1)?.azimuth).toBe(keep === 'mine' ? 20 : 30);
      expect(settled.head).toMatchObject({ revision_id: chosen.id, conflict_revision_id: null });
      for (const device of [tablet, laptop]) {
        const a = await device.getAnnotation(q);
        expect(a?.id).toBe(chosen.id);
        expect(a?.sync.kind).toBe('synced');
        expect(device.status()).toMatchObject({ conflicts: 0, pending: 0 });
      }
    });
  }

  it('R14: a pull never overwrites a question with a pending local save', async () => {
    const { taskId, questionIds } = w.tasks.ann![0]!;
    const q = questionIds[1]!;
    await laptop.saveAnnotation(taskId, q, values(40));
    await laptop.syncNow();
    const pending = await tablet.saveAnnotation(taskId, q, values(50));
    // Pull only: push is cut off, so the tablet's save stays pending while the laptop's arrives.
    const cut = createDataStore({ baseUrl: 'http://test', fetch: async (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/sync/push')) throw new TypeError('offline');
      return deviceFetch(w)(input, init);
    }, dbName: `conflict-tablet-${n}`, autoSync: false });
    await cut.login('ann', PASSWORD);
    await cut.syncNow();
    const shown = await cut.getAnnotation(q);
    expect(shown?.id).toBe(pending.id);
    expect(shown?.pose.azimuth).toBe(50);
    expect(shown?.sync.kind).toBe('saved-on-device');
    expect(cut.status().pending).toBe(1);
    cut.dispose();
  });
});
