import { describe, expect, it } from 'vitest';
import { poseRotation, type PoseInput } from '../src/camera';
import {
  accuracyAt, centreErrorPx, cohensKappa, compare, DEFAULT_THRESHOLDS, distanceRatio, median, rotationError,
  rotationPasses, score, scoreAttempt,
} from '../src/metrics';

const base: PoseInput = { azimuth: 37, elevation: 12, theta: -8, distance: 6, px: 320, py: 240 };
const at = (p: Partial<PoseInput>): PoseInput => ({ ...base, ...p });

/** The axis, in the camera frame, of R2R1ᵀ (the relative rotation), from its skew-symmetric part. */
function relativeAxis(a: PoseInput, b: PoseInput): [number, number, number] {
  const r1 = poseRotation(a), r2 = poseRotation(b);
  const m = (i: number, j: number) => r2[3 * i]! * r1[3 * j]! + r2[3 * i + 1]! * r1[3 * j + 1]! + r2[3 * i + 2]! * r1[3 * j + 2]!;
  const v: [number, number, number] = [m(2, 1) - m(1, 2), m(0, 2) - m(2, 0), m(1, 0) - m(0, 1)];
  const n = Math.hypot(...v);
  return v.map((x) => x / n) as [number, number, number];
}

describe('geodesic rotation error', () => {
  it('is 0 for identical poses, whatever the centre and distance', () => {
    expect(rotationError(base, base)).toBeCloseTo(0, 10);
    expect(rotationError(base, at({ px: 10, py: 900, distance: 40 }))).toBeCloseTo(0, 10);
  });

  it('is 0 for the same rotation written with angles one turn apart', () => {
    expect(rotationError(base, at({ azimuth: 37 + 360, theta: -8 - 720 }))).toBeCloseTo(0, 9);
  });

  // At elevation 0 and theta 0 the object's z axis is the camera's up axis, so azimuth, elevation and
  // theta rotate about the camera's y, x and z axes respectively.
  const front: PoseInput = { azimuth: 0, elevation: 0, theta: 0, distance: 5, px: 0, py: 0 };
  it.each([
    ['camera y (azimuth)', { ...front, azimuth: 90 }, 1],
    ['camera x (elevation)', { ...front, elevation: 90 }, 0],
    ['camera z (theta)', { ...front, theta: 90 }, 2],
  ] as const)('is 90° for a quarter turn about %s', (_name, other, axis) => {
    expect(rotationError(front, other)).toBeCloseTo(90, 10);
    const v = relativeAxis(front, other);
    expect(Math.abs(v[axis])).toBeCloseTo(1, 10);
  });

  it.each([
    ['azimuth', at({ azimuth: 37 + 90 })],
    ['elevation', at({ elevation: 12 - 90 })],
    ['theta', at({ theta: -8 + 90 })],
  ])('is 90° for a quarter turn of %s from an arbitrary pose', (_n, other) => {
    expect(rotationError(base, other)).toBeCloseTo(90, 9);
  });

  it('is symmetric and 180° for a half turn', () => {
    const other = at({ theta: 172 });
    expect(rotationError(base, other)).toBeCloseTo(180, 6);
    const b = at({ azimuth: 80, elevation: -20 });
    expect(rotationError(base, b)).toBeCloseTo(rotationError(b, base), 12);
  });

  it('passes exactly at 30° (π/6) and fails just above', () => {
    const e30 = rotationError(base, at({ theta: -8 + 30 }));
    expect(e30).toBeCloseTo(30, 10);
    expect(rotationPasses(e30)).toBe(true);
    const e30az = rotationError(base, at({ azimuth: 37 - 30 }));
    expect(e30az).toBeCloseTo(30, 10);
    expect(rotationPasses(e30az)).toBe(true);
    const above = rotationError(base, at({ theta: -8 + 30.001 }));
    expect(above).toBeGreaterThan(30);
    expect(rotationPasses(above)).toBe(false);
    expect(rotationPasses(above, 31)).toBe(true);
    const s = (pose: PoseInput) => ({ pose, subtype: 1 });
    expect(score(s(at({ theta: 22 })), s(base)).failed).toEqual([]);
    expect(score(s(at({ theta: 22.001 })), s(base)).failed).toEqual(['rotation']);
  });
});

describe('centre, distance, subtype and labels', () => {
  it('centre error is the pixel distance between principal points', () => {
    expect(centreErrorPx(base, at({ px: 323, py: 244 }))).toBe(5);
  });

  it('distance ratio is symmetric and ≥ 1', () => {
    expect(distanceRatio(base, at({ distance: 12 }))).toBe(2);
    expect(distanceRatio(at({ distance: 12 }), base)).toBe(2);
    expect(distanceRatio(base, at({ distance: 0 }))).toBe(Infinity);
  });

  it('compares subtype and labels, null where a label is missing', () => {
    const c = compare(
      { pose: base, subtype: 2, objectStatus: 'status_good', dense: 'dense_no' },
      { pose: base, subtype: 3, objectStatus: 'status_good', dense: null },
    );
    expect(c).toMatchObject({ subtypeMatch: false, objectStatusMatch: true, denseMatch: null });
  });

  it('score lists every failed criterion', () => {
    const s = score(
      { pose: at({ azimuth: 120, px: 400, distance: 9 }), subtype: 1, objectStatus: 'status_bad', dense: 'dense_yes' },
      { pose: base, subtype: 2, objectStatus: 'status_good', dense: 'dense_no' },
    );
    expect(s.passed).toBe(false);
    expect(s.failed).toEqual(['rotation', 'centre', 'distance', 'subtype', 'objectStatus', 'dense']);
    const lenient = score(
      { pose: base, subtype: 1, objectStatus: 'status_bad' },
      { pose: base, subtype: 2, objectStatus: 'status_good' },
      { ...DEFAULT_THRESHOLDS, requireSubtype: false, requireLabels: false },
    );
    expect(lenient.passed).toBe(true);
  });
});

describe('set figures', () => {
  it('Acc@π/6 counts the boundary as a pass', () => {
    expect(accuracyAt([0, 10, 30, 30.5, 90])).toBe(3 / 5);
    expect(accuracyAt([])).toBeNull();
    expect(median([5, 1, 3, 100])).toBe(4);
  });

  it('an attempt passes at the minimum share of passing questions', () => {
    const p = { passed: true }, f = { passed: false };
    expect(scoreAttempt([p, p, p, p, f]).passed).toBe(true); // 0.8
    expect(scoreAttempt([p, p, p, f, f]).passed).toBe(false);
    expect(scoreAttempt([]).passed).toBe(false);
  });
});

describe("Cohen's kappa", () => {
  const table = (cells: Array<[string, string, number]>) =>
    cells.flatMap(([a, b, n]) => Array.from({ length: n }, () => [a, b] as const));

  it('matches a hand-computed 2×2 table', () => {
    // yes/yes 20, yes/no 5, no/yes 10, no/no 15: pₒ = 35/50 = 0.7,
    // pₑ = 0.5·0.6 + 0.5·0.4 = 0.5, κ = (0.7 − 0.5) / 0.5 = 0.4
    const pairs = table([['yes', 'yes', 20], ['yes', 'no', 5], ['no', 'yes', 10], ['no', 'no', 15]]);
    expect(cohensKappa(pairs)).toBeCloseTo(0.4, 12);
  });

  it('matches a hand-computed 3×3 table', () => {
    // rows A, columns B: good {good 10, part 2, bad 0}, part {1, 5, 2}, bad {0, 1, 9}; n = 30
    // pₒ = 24/30 = 0.8; A marginals 12, 8, 10; B marginals 11, 8, 11
    // pₑ = (12·11 + 8·8 + 10·11) / 900 = 306/900 = 0.34; κ = 0.46 / 0.66
    const pairs = table([
      ['good', 'good', 10], ['good', 'part', 2],
      ['part', 'good', 1], ['part', 'part', 5], ['part', 'bad', 2],
      ['bad', 'part', 1], ['bad', 'bad', 9],
    ]);
    expect(cohensKappa(pairs)).toBeCloseTo(0.46 / 0.66, 12);
  });

  it('is 1 for perfect agreement, ≤ 0 for systematic disagreement, null for nothing', () => {
    expect(cohensKappa([['a', 'a'], ['b', 'b'], ['a', 'a']])).toBe(1);
    expect(cohensKappa([['a', 'a'], ['a', 'a']])).toBe(1);
    expect(cohensKappa([['a', 'b'], ['b', 'a']])).toBe(-1);
    expect(cohensKappa([])).toBeNull();
  });
});
