// What the annotator is editing for one question: the values that get saved, minus active time
// (measured separately so undo never rewinds the clock).
import type { AnnotationValues, Dense, ObjectStatus, PoseJson, QuestionInfo } from '@in3d/shared/types';
import type { LocalAnnotation } from '../data/contract';
import { deepEqual } from './history';

export interface Draft {
  pose: PoseJson;
  subtype: number;
  objectStatus: ObjectStatus | null;
  dense: Dense | null;
}

export function initialDraft(q: QuestionInfo): Draft {
  return { pose: { ...q.initialPose }, subtype: q.initialSubtype, objectStatus: null, dense: null };
}

export function draftFromAnnotation(a: LocalAnnotation): Draft {
  return { pose: { ...a.pose }, subtype: a.subtype, objectStatus: a.objectStatus, dense: a.dense };
}

export type SaveCheck = { ok: true } | { ok: false; missing: ('objectStatus' | 'dense')[] };

/** Both labels are required; the pose never is (a "bad quality / no object" answer skips it). */
export function checkSavable(d: Draft): SaveCheck {
  const missing: ('objectStatus' | 'dense')[] = [];
  if (d.objectStatus === null) missing.push('objectStatus');
  if (d.dense === null) missing.push('dense');
  return missing.length === 0 ? { ok: true } : { ok: false, missing };
}

export function toValues(d: Draft, activeMs: number): AnnotationValues | null {
  if (d.objectStatus === null || d.dense === null) return null;
  return { pose: { ...d.pose }, subtype: d.subtype, objectStatus: d.objectStatus, dense: d.dense, activeMs: Math.round(activeMs) };
}

export const sameDraft = (a: Draft, b: Draft) => deepEqual(a, b);
