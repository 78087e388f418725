// The dashboard's throughput counts a save on the day the annotator made it, by the same rule as the
// review page's "saved" time: the device's time, unless that is after the server got it (a clock ahead).
// A save made offline ten days ago, or imported from the original tool, is not today's work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardStats } from '@in3d/shared/quality';
import { createQualityWorld, INITIAL, json, type QualityWorld } from './quality-world';

let w: QualityWorld;
beforeAll(async () => {
  w = await createQualityWorld();
});
afterAll(() => w.close());

const DAY = 86_400_000;
const save = (user: string, taskId: string, questionId: string, clientSavedAt: string) =>
  w.mutate(user, {
    kind: 'annotation.save', questionId, taskId, baseRevisionId: null, clientSavedAt,
    values: { pose: INITIAL, subtype: 1, objectStatus: 'status_good', dense: 'dense_no', activeMs: 1000 },
  });

describe('dashboard throughput', () => {
  it("counts each save on its device's day (written with an offset too), or on the day the server got it when the device clock ran ahead", async () => {
    const now = Date.now();
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    // ten days ago at 23:30 in UTC+02:00 is 21:30 UTC that day
    const tenDaysAgo = new Date(now - 10 * DAY);
    const local = `${day(tenDaysAgo.getTime())}T23:30:00+02:00`;
    expect((await save('ann', 't-ann', 'q2', local)).status).toBe('applied');
    expect((await save('bob', 't-bob', 'q3', new Date(now + 2 * DAY).toISOString())).status).toBe('applied');
    const s = await json<DashboardStats>(w.call('boss', 'GET', '/api/admin/stats'));
    expect(s.throughput).toEqual([
      { day: day(Date.parse(local)), revisions: 1, newAnnotations: 1 },
      { day: day(now), revisions: 1, newAnnotations: 1 },
    ]);
  });
});
