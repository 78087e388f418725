// What the annotator is editing for one question: the values that get saved, minus active time
// (measured separately so undo never rewinds the clock).
import { CATEGORY_AMBIGUOUS, POSE_PARAM_NAMES, type AnnotationValues, type Dense, type ObjectStatus, type PoseJson, type PoseParamName, type QuestionInfo } from '@in3d/shared/types';
import type { LocalAnnotation } from '../data/contract';
import { deepEqual } from './history';

export interface Draft {
  pose: PoseJson;
  subtype: number;
  objectStatus: ObjectStatus | null;
  dense: Dense | null;
  /** Parameters marked ambiguous (SPEC R40), in POSE_PARAM_NAMES order. */
  ambiguous: PoseParamName[];
}

export function initialDraft(q: QuestionInfo): Draft {
  return { pose: { ...q.initialPose }, subtype: q.initialSubtype, objectStatus: null, dense: null, ambiguous: [...(CATEGORY_AMBIGUOUS[q.category] ?? [])] };
}

export function draftFromAnnotation(a: LocalAnnotation): Draft {
  return { pose: { ...a.pose }, subtype: a.subtype, objectStatus: a.objectStatus, dense: a.dense, ambiguous: [...(a.ambiguous ?? [])] };
}

/** Marks or clears one parameter as ambiguous, keeping the list in its canonical order. */
export function toggleAmbiguous(d: Draft, param: PoseParamName): Draft {
  const on = !d.ambiguous.includes(param);
  return { ...d, ambiguous: POSE_PARAM_NAMES.filter((p) => (p === param ? on : d.ambiguous.includes(p))) };
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
  const values: AnnotationValues = { pose: { ...d.pose }, subtype: d.subtype, objectStatus: d.objectStatus, dense: d.dense, activeMs: Math.round(activeMs) };
  if (d.ambiguous.length > 0) values.ambiguous = [...d.ambiguous];
  return values;
}

export const sameDraft = (a: Draft, b: Draft) => deepEqual(a, b);
