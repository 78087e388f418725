// "Snap to photo" for the annotate page: runs the Snap worker on the current pose and applies the
// result as one undo step. The status says what the page shows: the previous pose as a ghost with a
// toast (Undo / Dismiss) after a snap, or why nothing changed.
import { signal } from '@preact/signals';
import { rotationErrorDegrees } from '@in3d/shared/camera';
import type { CadModelInfo, PoseJson } from '@in3d/shared/types';
import type { DataStore } from '../data/contract';
import { snapper as defaultSnapper, type Snapper } from '../snap/client';
import type { QuestionEditor } from './editor';
import { deepEqual } from './history';

export type SnapStatus =
  | { kind: 'idle' }
  | { kind: 'running'; questionId: string }
  | { kind: 'snapped'; questionId: string; before: PoseJson; after: PoseJson; rotationDeg: number; centrePx: number; ms: number }
  | { kind: 'unchanged'; questionId: string; reason: 'noBetter' | 'stale' }
  | { kind: 'failed'; questionId: string; error: string };

const IDLE: SnapStatus = { kind: 'idle' };
export const snapStatus = signal<SnapStatus>(IDLE);

export interface SnapArgs {
  editor: QuestionEditor;
  store: DataStore;
  cad: CadModelInfo;
  photo: ImageBitmap;
  snapper?: Snapper;
}

export async function snapToPhoto({ editor, store, cad, photo, snapper = defaultSnapper }: SnapArgs): Promise<void> {
  const q = editor.question;
  if (snapStatus.value.kind === 'running') return;
  const before = editor.draft.value.pose;
  snapStatus.value = { kind: 'running', questionId: q.id };
  let status: SnapStatus;
  try {
    const r = await snapper.snap({ meshKey: cad.etag, meshBytes: () => store.getMesh(cad), photoKey: q.id, photo, bbox: q.bbox, viewport: q.viewport, pose: before });
    if (!r.ok) status = { kind: 'failed', questionId: q.id, error: r.error };
    else if (!deepEqual(editor.draft.value.pose, before) || editor.draft.value.subtype !== cad.subtype) status = { kind: 'unchanged', questionId: q.id, reason: 'stale' };
    else if (!r.improved) status = { kind: 'unchanged', questionId: q.id, reason: 'noBetter' };
    else {
      // No coalescing key: the whole snap is one undo step of its own.
      editor.change((d) => ({ ...d, pose: r.pose }), null);
      status = {
        kind: 'snapped',
        questionId: q.id,
        before,
        after: r.pose,
        rotationDeg: rotationErrorDegrees(before, r.pose),
        centrePx: Math.hypot(r.pose.px - before.px, r.pose.py - before.py),
        ms: r.ms,
      };
    }
  } catch (e) {
    status = { kind: 'failed', questionId: q.id, error: e instanceof Error ? e.message : String(e) };
  }
  // A question left while snapping keeps its own status out of the next one.
  snapStatus.value = status;
}

export function dismissSnap(): void {
  if (snapStatus.value.kind !== 'running') snapStatus.value = IDLE;
}

/**
 * The status for question `id` while it still describes the draft (a later edit retires it). Always the
 * same object for the same status, so a computed over it does not wake its readers on every pose step.
 */
export function snapStatusFor(id: string | undefined, pose: PoseJson | undefined): SnapStatus {
  const s = snapStatus.value;
  if (s.kind === 'idle' || s.questionId !== id) return IDLE;
  if (s.kind === 'snapped' && (!pose || !deepEqual(pose, s.after))) return IDLE;
  return s;
}
