// The undo history leaves the input's task: a step is written a moment later, a burst at most every
// 100 ms; hiding the page (flush) puts it on the device at once; a reload finds it and undoes to the same pose; a failed
// write is reported once and written again by the next flush.
import 'fake-indexeddb/auto';
import type { QuestionInfo } from '@in3d/shared/types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataStore } from '../src/data/contract';
import { reportedErrors } from '../src/app/report-error';
import { type LocalDataStore, createDataStore } from '../src/data/store';
import { QuestionEditor } from '../src/state/editor';
import { type FakeServer, createFakeServer } from './data-fake-server';

const question: QuestionInfo = {
  id: 'q1', taskId: 't1', index: 0, category: 'chair', imageUrl: '/img', imageWidth: 640, imageHeight: 480,
  bbox: [0, 0, 10, 10], viewport: 3000, initialPose: { azimuth: 0, elevation: 0, theta: 0, distance: 5, px: 320, py: 240 }, initialSubtype: 1,
};

let server: FakeServer;
let dbName: string;
let n = 0;
const open: LocalDataStore[] = [];
/** A page load: a new store on the same IndexedDB database. */
function load(): LocalDataStore {
  const s = createDataStore({ baseUrl: 'http://fake', fetch: server.fetch, dbName, autoSync: false });
  open.push(s);
  return s;
}
/** The store with its history writes counted. */
function counted(store: DataStore) {
  const writes = vi.fn(store.storeHistory.bind(store));
  return { store: { ...store, storeHistory: writes } as DataStore, writes };
}
const step = (ed: QuestionEditor, azimuth: number) => ed.change((d) => ({ ...d, pose: { ...d.pose, azimuth } }));

beforeEach(async () => {
  server = createFakeServer();
  dbName = `editor-history-${++n}`;
  reportedErrors.value = [];
  expect((await load().login('ann', 'pw')).ok).toBe(true);
});
afterEach(() => {
  vi.useRealTimers();
  for (const s of open.splice(0)) s.dispose();
});

describe('writing the undo history', () => {
  it('a burst of 12 steps (one every 50 ms) is written out of the steps\' tasks, at most once per 100 ms, the last write holding the last step', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { store, writes } = counted(load());
    const ed = new QuestionEditor(store, question);
    await ed.load();
    for (let i = 1; i <= 12; i++) {
      const before = writes.mock.calls.length;
      step(ed, i);
      expect(writes.mock.calls.length).toBe(before); // none in the step's own task
      await vi.advanceTimersByTimeAsync(50);
      await new Promise((r) => setImmediate(r)); // the background task after the timer
    }
    await vi.advanceTimersByTimeAsync(200);
    await new Promise((r) => setImmediate(r));
    await ed.flush(); // nothing left to write: waits for the last write
    const made = writes.mock.calls.length;
    expect(made).toBeGreaterThanOrEqual(2);
    expect(made).toBeLessThanOrEqual(7); // 600 ms of steps, one write per 100 ms at most
    await vi.advanceTimersByTimeAsync(5000);
    expect(writes).toHaveBeenCalledTimes(made);
    const stored = await load().loadHistory<{ history: { past: unknown[]; present: { pose: { azimuth: number } } } }>('q1');
    expect(stored?.history.present.pose.azimuth).toBe(12);
    expect(stored?.history.past).toHaveLength(12);
  });

  it('the first step of a burst is on the device a moment later, without waiting for the page to go', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { store, writes } = counted(load());
    const ed = new QuestionEditor(store, question);
    await ed.load();
    step(ed, 7);
    expect(writes).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(0);
    await new Promise((r) => setImmediate(r));
    expect(writes).toHaveBeenCalledTimes(1);
    expect((writes.mock.calls[0]![1] as { history: { present: { pose: { azimuth: number } } } }).history.present.pose.azimuth).toBe(7);
  });

  it('is on the device once the page is hidden (flush), and a reload undoes to the same pose', async () => {
    const ed = new QuestionEditor(load(), question);
    await ed.load();
    step(ed, 10);
    step(ed, 20);
    const before = ed.history.value.past.at(-1)!.pose;
    await ed.flush(); // what pagehide and visibilitychange call, without waiting for the scheduled write
    const again = new QuestionEditor(load(), question);
    await again.load();
    expect(again.draft.value.pose.azimuth).toBe(20);
    again.undo();
    expect(again.draft.value.pose).toEqual(before);
    again.undo();
    expect(again.draft.value.pose).toEqual(question.initialPose);
    expect(again.canUndo.value).toBe(false);
    await again.dispose(); // its undo steps are written before the store closes
  });

  it('leaving the question (dispose) writes its last steps', async () => {
    const ed = new QuestionEditor(load(), question);
    await ed.load();
    step(ed, 33);
    await ed.dispose();
    const again = new QuestionEditor(load(), question);
    await again.load();
    expect(again.draft.value.pose.azimuth).toBe(33);
    expect(again.canUndo.value).toBe(true);
  });

  it('a save writes the unwritten steps before its own commit (a save that never commits loses none)', async () => {
    const { store: real, writes } = counted(load());
    const store = { ...real, saveAnnotation: () => new Promise<never>(() => undefined) } as DataStore;
    const ed = new QuestionEditor(store, question);
    await ed.load();
    ed.change((d) => ({ ...d, pose: { ...d.pose, azimuth: 42 }, objectStatus: 'status_good', dense: 'dense_no' }));
    expect(writes).not.toHaveBeenCalled();
    void ed.save(0);
    expect(writes).toHaveBeenCalledTimes(1);
    await ed.flush(); // nothing unwritten any more: waits for the write the save started
    const stored = await load().loadHistory<{ history: { present: { pose: { azimuth: number } } } }>('q1');
    expect(stored?.history.present.pose.azimuth).toBe(42);
  });

  it('a failed write is reported once, and the next flush writes the steps again', async () => {
    const real = load();
    let fail = true;
    const store = { ...real, storeHistory: (id: string, h: unknown) => (fail ? Promise.reject(new Error('quota exceeded')) : real.storeHistory(id, h)) } as DataStore;
    const ed = new QuestionEditor(store, question);
    await ed.load();
    step(ed, 5);
    await ed.flush();
    step(ed, 6);
    await ed.flush();
    expect(reportedErrors.value.map((e) => e.where)).toEqual(['editor: store undo history']);
    expect(reportedErrors.value[0]!.message).toBe('quota exceeded');
    fail = false;
    await ed.flush();
    const stored = await load().loadHistory<{ history: { present: { pose: { azimuth: number } } } }>('q1');
    expect(stored?.history.present.pose.azimuth).toBe(6);
  });
});
