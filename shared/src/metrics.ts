// ImageNet3D scoring: how far one annotation is from another (a reference, or a second annotator).
// The headline metric is the geodesic rotation error and Acc@π/6, the share of objects within 30°.
import { type PoseInput, rotationErrorDegrees } from './camera';
import { type Degrees, type Pixels, deg, px } from './units';

/** π/6, the ImageNet3D pass mark for rotation, in degrees. */
export const ACC_THRESHOLD_DEG = deg(30);

/**
 * Float slack for "exactly at the threshold": a pose built as 30° off comes back as 30 ± 1e-14 from
 * the matrix log, and the rule is ≤ 30°, so we compare with a tolerance far below any real difference.
 */
const EPS_DEG = 1e-9;

export interface Scorable {
  pose: PoseInput;
  subtype: number;
  objectStatus?: string | null;
  dense?: string | null;
  /** Pose parameters this side could not judge (SPEC R40). */
  ambiguous?: readonly string[] | null;
}

const POSE_KEYS = ['azimuth', 'elevation', 'theta', 'distance', 'px', 'py'] as const;

/**
 * R40: the candidate's pose with every parameter either side marks ambiguous taken from the reference,
 * so the errors measure only what could be judged.
 */
export function withoutAmbiguous(candidate: Scorable, reference: Scorable): PoseInput {
  const marked = new Set([...(candidate.ambiguous ?? []), ...(reference.ambiguous ?? [])]);
  if (marked.size === 0) return candidate.pose;
  const pose: Record<(typeof POSE_KEYS)[number], number> = { ...candidate.pose };
  for (const k of POSE_KEYS) if (marked.has(k)) pose[k] = reference.pose[k];
  return pose;
}

export interface Thresholds {
  /** Largest rotation error that passes, degrees (30 = π/6). */
  rotationDeg: number;
  /** Largest distance between the two principal points that passes, pixels. */
  centrePx: number;
  /** Largest max(d1/d2, d2/d1) that passes (≥ 1). */
  distanceRatio: number;
  /** The CAD subtype must be the reference's. */
  requireSubtype: boolean;
  /** Object quality and dense labels must be the reference's (when the reference has them). */
  requireLabels: boolean;
  /** Share of questions that must pass for a qualification attempt to pass (0..1). */
  minPassShare: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  rotationDeg: 30,
  centrePx: 20,
  distanceRatio: 1.25,
  requireSubtype: true,
  requireLabels: true,
  minPassShare: 0.8,
};

/** Geodesic rotation error between two poses, degrees in [0, 180]. */
export function rotationError(a: PoseInput, b: PoseInput): Degrees {
  return rotationErrorDegrees(a, b);
}

/** True when the rotation error is within the threshold (default π/6); the boundary passes. */
export function rotationPasses(errorDeg: number, thresholdDeg: number = ACC_THRESHOLD_DEG): boolean {
  return errorDeg <= thresholdDeg + EPS_DEG;
}

/** Distance between the two projected object centres, pixels. */
export function centreErrorPx(a: PoseInput, b: PoseInput): Pixels {
  return px(Math.hypot(a.px - b.px, a.py - b.py));
}

/** Symmetric distance ratio max(a/b, b/a): 1 is perfect; Infinity when a distance is not positive. */
export function distanceRatio(a: PoseInput, b: PoseInput): number {
  if (!(a.distance > 0) || !(b.distance > 0)) return Infinity;
  return Math.max(a.distance / b.distance, b.distance / a.distance);
}

export interface Comparison {
  rotationDeg: number;
  centrePx: number;
  distanceRatio: number;
  subtypeMatch: boolean;
  /** null when either side has no object-quality label. */
  objectStatusMatch: boolean | null;
  /** null when either side has no dense label. */
  denseMatch: boolean | null;
}

export function compare(candidate: Scorable, reference: Scorable): Comparison {
  const label = (x?: string | null, y?: string | null) => (x == null || y == null ? null : x === y);
  const pose = withoutAmbiguous(candidate, reference);
  return {
    rotationDeg: rotationError(pose, reference.pose),
    centrePx: centreErrorPx(pose, reference.pose),
    distanceRatio: distanceRatio(pose, reference.pose),
    subtypeMatch: candidate.subtype === reference.subtype,
    objectStatusMatch: label(candidate.objectStatus, reference.objectStatus),
    denseMatch: label(candidate.dense, reference.dense),
  };
}

export type Criterion = 'rotation' | 'centre' | 'distance' | 'subtype' | 'objectStatus' | 'dense';

export interface Score extends Comparison {
  passed: boolean;
  /** The criteria that failed, in a fixed order, for the annotator's feedback. */
  failed: Criterion[];
}

/** Scores a candidate against a reference: passes when every enabled criterion passes. */
export function score(candidate: Scorable, reference: Scorable, t: Thresholds = DEFAULT_THRESHOLDS): Score {
  const c = compare(candidate, reference);
  const failed: Criterion[] = [];
  if (!rotationPasses(c.rotationDeg, t.rotationDeg)) failed.push('rotation');
  if (!(c.centrePx <= t.centrePx)) failed.push('centre');
  if (!(c.distanceRatio <= t.distanceRatio)) failed.push('distance');
  if (t.requireSubtype && !c.subtypeMatch) failed.push('subtype');
  if (t.requireLabels && c.objectStatusMatch === false) failed.push('objectStatus');
  if (t.requireLabels && c.denseMatch === false) failed.push('dense');
  return { ...c, passed: failed.length === 0, failed };
}

/** Acc@threshold: the share of rotation errors within it (π/6 by default); null for an empty set. */
export function accuracyAt(errorsDeg: readonly number[], thresholdDeg: number = ACC_THRESHOLD_DEG): number | null {
  if (errorsDeg.length === 0) return null;
  return errorsDeg.filter((e) => rotationPasses(e, thresholdDeg)).length / errorsDeg.length;
}

/** Median of a set (the other ImageNet3D summary figure); null for an empty set. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface AttemptScore {
  passed: boolean;
  passedCount: number;
  total: number;
  share: number;
}

/** A qualification attempt passes when the share of passing questions reaches `minPassShare`. */
export function scoreAttempt(scores: readonly Pick<Score, 'passed'>[], t: Thresholds = DEFAULT_THRESHOLDS): AttemptScore {
  const passedCount = scores.filter((s) => s.passed).length;
  const total = scores.length;
  const share = total === 0 ? 0 : passedCount / total;
  return { passed: total > 0 && share + 1e-12 >= t.minPassShare, passedCount, total, share };
}

/**
 * Cohen's κ for two raters' categorical labels on the same items: (pₒ − pₑ) / (1 − pₑ).
 * null for no items. When chance agreement is total (both raters used one and the same label
 * throughout) κ is 0/0; we answer 1, since the raters agree on every item.
 */
export function cohensKappa(pairs: ReadonlyArray<readonly [string, string]>): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const a = new Map<string, number>(), b = new Map<string, number>();
  let agree = 0;
  for (const [x, y] of pairs) {
    if (x === y) agree++;
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
  }
  const po = agree / n;
  let pe = 0;
  for (const [label, ca] of a) pe += (ca / n) * ((b.get(label) ?? 0) / n);
  if (1 - pe < 1e-12) return po === 1 ? 1 : 0;
  return (po - pe) / (1 - pe);
}
