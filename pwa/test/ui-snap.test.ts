// Snap's page state: a result lands as one undo step with the previous pose kept for the ghost; a pose
// changed meanwhile, no better fit, or a worker failure leave the draft alone and say so.
import { describe, expect, it } from 'vitest';
import type { CadModelInfo, PoseJson, QuestionInfo } from '@in3d/shared/types';
import type { SnapResult } from '@in3d/shared/snap/search';
import type { DataStore } from '../src/data/contract';
import type { SnapCall, Snapper } from '../src/snap/client';
import { QuestionEditor } from '../src/state/editor';
import { dismissSnap, snapStatus, snapStatusFor, snapToPhoto } from '../src/state/snap';

const initial: PoseJson = { azimuth: 30, elevation: 10, theta: 0, distance: 5, px: 200, py: 150 };
const question: QuestionInfo = {
  id: 'q1', taskId: 't', index: 0, category: 'chair', imageUrl: '/x.jpg', imageWidth: 400, imageHeight: 300,
  bbox: [100, 50, 300, 250], viewport: 3000, initialPose: initial, initialSubtype: 2,
};
const cad: CadModelInfo = { category: 'chair', subtype: 2, name: 'chair 2', vertexCount: 8, triangleCount: 12, meshUrl: '/m', etag: 'e2' };
const store = {
  getMesh: async () => new ArrayBuffer(8),
  storeHistory: async () => undefined,
} as unknown as DataStore;
const photo = {} as ImageBitmap;

function fakeSnapper(result: SnapResult, during?: () => void): Snapper & { calls: SnapCall[] } {
  const calls: SnapCall[] = [];
  return {
    calls,
    async snap(c) {
      calls.push(c);
      during?.();
      return result;
    },
  };
}

const snapped = (pose: PoseJson): SnapResult => ({ ok: true, pose, improved: true, scoreBefore: 1, scoreAfter: 0.5, evaluations: 10, ms: 5 });

describe('snapToPhoto', () => {
  it('applies the snapped pose as one undo step and keeps the previous pose for the ghost', async () => {
    dismissSnap();
    const ed = new QuestionEditor(store, question);
    const target = { ...initial, azimuth: 52.5, px: 210.25 };
    const s = fakeSnapper(snapped(target));
    await snapToPhoto({ editor: ed, store, cad, photo, snapper: s });
    expect(s.calls[0]).toMatchObject({ meshKey: 'e2', photoKey: 'q1', bbox: question.bbox, viewport: 3000, pose: initial });
    expect(ed.draft.value.pose).toEqual(target);
    const st = snapStatusFor('q1', ed.draft.value.pose);
    expect(st.kind).toBe('snapped');
    if (st.kind === 'snapped') {
      expect(st.before).toEqual(initial);
      expect(st.rotationDeg).toBeCloseTo(22.5, 6);
    }
    ed.undo();
    expect(ed.draft.value.pose).toEqual(initial);
    // The status retires once the draft moved off the snapped pose, and never shows on another question.
    expect(snapStatusFor('q1', ed.draft.value.pose).kind).toBe('idle');
    expect(snapStatusFor('q2', target).kind).toBe('idle');
    await ed.dispose();
  });

  it('drops a result when the pose changed while snapping', async () => {
    dismissSnap();
    const ed = new QuestionEditor(store, question);
    const s = fakeSnapper(snapped({ ...initial, azimuth: 90 }), () => ed.change((d) => ({ ...d, pose: { ...d.pose, elevation: 11 } })));
    await snapToPhoto({ editor: ed, store, cad, photo, snapper: s });
    expect(ed.draft.value.pose).toEqual({ ...initial, elevation: 11 });
    expect(snapStatus.value).toEqual({ kind: 'unchanged', questionId: 'q1', reason: 'stale' });
    await ed.dispose();
  });

  it('changes nothing when no better fit was found, and reports failures', async () => {
    dismissSnap();
    const ed = new QuestionEditor(store, question);
    await snapToPhoto({ editor: ed, store, cad, photo, snapper: fakeSnapper({ ok: true, pose: initial, improved: false, scoreBefore: 1, scoreAfter: 1, evaluations: 3, ms: 1 }) });
    expect(snapStatus.value).toMatchObject({ kind: 'unchanged', reason: 'noBetter' });
    expect(ed.canUndo.value).toBe(false);
    await snapToPhoto({ editor: ed, store, cad, photo, snapper: fakeSnapper({ ok: false, error: 'bbox: outside the photo' }) });
    expect(snapStatus.value).toEqual({ kind: 'failed', questionId: 'q1', error: 'bbox: outside the photo' });
    const throwing: Snapper = { snap: async () => Promise.reject(new Error('worker crashed')) };
    await snapToPhoto({ editor: ed, store, cad, photo, snapper: throwing });
    expect(snapStatus.value).toMatchObject({ kind: 'failed', error: 'worker crashed' });
    expect(ed.draft.value.pose).toEqual(initial);
    await ed.dispose();
  });
});
