// The editor never reads a failed local read as "not annotated" (the next save would go out with no
// base and come back as a spurious conflict), reports a lost undo history, and follows saves made
// elsewhere (another tab, a sync) without overwriting unsaved edits; "Saving…" only for a slow commit;
// a double Enter makes one revision.
import type { QuestionInfo } from '@in3d/shared/types';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataStore, LocalAnnotation } from '../src/data/contract';
import { reportedErrors } from '../src/app/report-error';
import { QuestionEditor, readQuestionState } from '../src/state/editor';

const question: QuestionInfo = {
  id: 'q1', taskId: 't1', index: 0, category: 'chair', imageUrl: '/img', imageWidth: 640, imageHeight: 480,
  bbox: [0, 0, 10, 10], viewport: 3000, initialPose: { azimuth: 0, elevation: 0, theta: 0, distance: 5, px: 320, py: 240 }, initialSubtype: 1,
};

const annotation = (id: string, azimuth: number): LocalAnnotation => ({
  id, questionId: 'q1', taskId: 't1', savedAt: '2026-01-01T00:00:00.000Z', sync: { kind: 'synced', seq: 1 },
  pose: { azimuth, elevation: 0, theta: 0, distance: 5, px: 320, py: 240 }, subtype: 1, objectStatus: 'status_good', dense: 'dense_no', activeMs: 0,
});

function fakeStore(over: Partial<DataStore>): DataStore {
  return {
    getAnnotation: async () => null,
    loadHistory: async () => undefined,
    storeHistory: async () => undefined,
    ...over,
  } as DataStore;
}

beforeEach(() => {
  reportedErrors.value = [];
});

describe('editor reads', () => {
  it('a failed annotation read rejects instead of reading as "not annotated"', async () => {
    const store = fakeStore({ getAnnotation: () => Promise.reject(new Error('IndexedDB is broken')) });
    await expect(readQuestionState(store, 'q1', 't1')).rejects.toThrow('IndexedDB is broken');
    await expect(new QuestionEditor(store, question).load()).rejects.toThrow('IndexedDB is broken');
  });

  it('a failed history read opens the question without undo steps, and says so', async () => {
    const store = fakeStore({ getAnnotation: async () => annotation('r1', 40), loadHistory: () => Promise.reject(new Error('history gone')) });
    const state = await readQuestionState(store, 'q1', 't1');
    expect(state.annotation?.id).toBe('r1');
    expect(state.stored).toBeUndefined();
    expect(reportedErrors.value.map((e) => e.message)).toEqual(['history gone']);
  });
});

describe('saves made elsewhere', () => {
  it('without unsaved edits, the values on screen follow the new save', async () => {
    const ed = new QuestionEditor(fakeStore({ getAnnotation: async () => annotation('r1', 40) }), question);
    await ed.load();
    ed.applyExternal(annotation('r2', 90));
    expect(ed.annotation.value?.id).toBe('r2');
    expect(ed.draft.value.pose.azimuth).toBe(90);
    expect(ed.dirty.value).toBe(false);
    await ed.dispose();
  });

  it('with unsaved edits, the edits stay and only the saved state moves', async () => {
    const ed = new QuestionEditor(fakeStore({ getAnnotation: async () => annotation('r1', 40) }), question);
    await ed.load();
    ed.change((d) => ({ ...d, pose: { ...d.pose, azimuth: 55 } }));
    ed.applyExternal(annotation('r2', 90));
    expect(ed.annotation.value?.id).toBe('r2');
    expect(ed.draft.value.pose.azimuth).toBe(55);
    expect(ed.dirty.value).toBe(true);
    await ed.dispose();
  });
});

describe('the save line while a save commits', () => {
  it('says "Saving…" only for a commit slower than 100 ms, and never once it committed', async () => {
    vi.useFakeTimers();
    try {
      let commit: (a: LocalAnnotation) => void = () => {};
      const ed = new QuestionEditor(fakeStore({ saveAnnotation: () => new Promise<LocalAnnotation>((done) => (commit = done)) }), question);
      await ed.load();
      ed.change((d) => ({ ...d, objectStatus: 'status_good', dense: 'dense_no' }));
      const slow = ed.save(0);
      vi.advanceTimersByTime(99);
      expect(ed.saving.value).toBe(false); // "Unsaved changes" until then: nothing is committed yet
      vi.advanceTimersByTime(1);
      expect(ed.saving.value).toBe(true);
      commit(annotation('r1', 0));
      expect((await slow).ok).toBe(true);
      expect(ed.saving.value).toBe(false);

      ed.change((d) => ({ ...d, pose: { ...d.pose, azimuth: 5 } }));
      const fast = ed.save(0);
      commit(annotation('r2', 5));
      expect((await fast).ok).toBe(true);
      vi.advanceTimersByTime(500);
      expect(ed.saving.value).toBe(false); // the timer of a committed save never fires
      expect(ed.dirty.value).toBe(false);
      await ed.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a double Enter while a save commits makes one revision; an edit in between is saved after it', async () => {
    const commits: ((a: LocalAnnotation) => void)[] = [];
    const saved: number[] = [];
    const ed = new QuestionEditor(
      fakeStore({
        saveAnnotation: (_t, _q, values) => {
          saved.push(values.pose.azimuth);
          return new Promise<LocalAnnotation>((done) => commits.push(done));
        },
      }),
      question,
    );
    await ed.load();
    ed.change((d) => ({ ...d, objectStatus: 'status_good', dense: 'dense_no', pose: { ...d.pose, azimuth: 5 } }));
    const first = ed.save(0);
    const again = ed.save(0);
    await Promise.resolve();
    expect(saved).toEqual([5]);
    commits[0]!(annotation('r1', 5));
    expect((await first).ok && (await again).ok).toBe(true);
    expect(saved).toEqual([5]); // the second press found nothing new to save

    const third = ed.save(0);
    ed.change((d) => ({ ...d, pose: { ...d.pose, azimuth: 9 } }));
    const fourth = ed.save(0);
    await vi.waitFor(() => expect(commits).toHaveLength(2));
    commits[1]!(annotation('r2', 5));
    await vi.waitFor(() => expect(commits).toHaveLength(3));
    expect(saved).toEqual([5, 5, 9]);
    commits[2]!(annotation('r3', 9));
    expect((await third).ok && (await fourth).ok).toBe(true);
    expect(ed.dirty.value).toBe(false);
    await ed.dispose();
  });
});
