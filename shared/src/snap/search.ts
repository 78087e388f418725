// Snap to photo: from the current pose, find the nearby pose whose projected silhouette and feature
// edges best match the photo's edges (see score.ts). Coarse to fine: a grid of rotations around the
// current one, each placed on the bounding box, scored on a small edge map; then a local pattern
// search over all six parameters on finer and finer maps from the best few. The result is kept only
// if it scores better than the starting pose on the finest map.
import { projectInto, type PoseInput } from '../camera';
import type { PoseJson } from '../types';
import { buildEdgeLevel, type EdgeLevel, type RgbaImage } from './image-edges';
import type { SnapModel } from './model';
import { DEFAULT_WEIGHTS, ScoreContext, scorePose, type ScoreWeights } from './score';

export interface SnapRequest {
  image: RgbaImage;
  bbox: readonly [number, number, number, number];
  viewport: number;
  pose: PoseJson;
  model: SnapModel;
}

export interface SnapOptions {
  /** Half-width of the rotation grid around the starting pose, degrees. */
  range?: { azimuth: number; elevation: number; theta: number };
  /** Working sizes (level pixels across the region) of the coarse, middle and fine edge maps. */
  sizes?: readonly [number, number, number];
  /** Weights of the score's terms (see score.ts). */
  weights?: ScoreWeights;
  /** A safety valve on a starved CPU (ms): refining stops, the best pose so far is still checked and returned. */
  budgetMs?: number;
}

export type SnapResult =
  | {
      ok: true;
      pose: PoseJson;
      /** False when nothing scored better than the starting pose (then `pose` is the starting pose). */
      improved: boolean;
      scoreBefore: number;
      scoreAfter: number;
      evaluations: number;
      ms: number;
    }
  | { ok: false; error: string };

type Vec = [number, number, number, number, number, number];
const toVec = (p: PoseInput): Vec => [p.azimuth, p.elevation, p.theta, Math.log(p.distance), p.px, p.py];
const toPose = (v: Vec): PoseJson => ({
  azimuth: (((v[0] % 360) + 360) % 360),
  elevation: Math.max(-89.9, Math.min(89.9, v[1])),
  theta: v[2],
  distance: Math.exp(v[3]),
  px: v[4],
  py: v[5],
});

function validate(r: SnapRequest): string | null {
  const { image, bbox, viewport, pose, model } = r;
  if (!(image.width > 2 && image.height > 2) || image.data.length < image.width * image.height * 4) return 'image: no pixels';
  if (!bbox.every(Number.isFinite) || !(bbox[2] - bbox[0] >= 4 && bbox[3] - bbox[1] >= 4)) return 'bbox: too small or not finite';
  if (bbox[2] <= 0 || bbox[3] <= 0 || bbox[0] >= image.width || bbox[1] >= image.height) return 'bbox: outside the photo';
  if (!(viewport > 0) || !Number.isFinite(viewport)) return 'viewport: not a positive number';
  if (!Object.values(pose).every(Number.isFinite) || !(pose.distance > 0)) return 'pose: not finite';
  if (model.coarse.triangles.length === 0) return 'mesh: no triangles';
  return null;
}

/**
 * Moves the principal point and distance so the projected extent lands on the bounding box (weak
 * perspective, least squares over the box sides that are not on the photo border).
 */
export function placeOnBox(model: SnapModel, pose: PoseJson, viewport: number, level: EdgeLevel, scratch: Float64Array): PoseJson {
  let p = pose;
  const [bx0, by0, bx1, by1] = level.box.map((v, i) => v / level.scale + (i % 2 === 0 ? level.x0 : level.y0)) as [number, number, number, number];
  const tr = level.truncated;
  for (let it = 0; it < 2; it++) {
    projectInto(model.coarse.positions, p, viewport, scratch);
    let l = Infinity, r = -Infinity, t = Infinity, b = -Infinity;
    for (let i = 0; i < scratch.length; i += 2) {
      const x = scratch[i]!, y = scratch[i + 1]!;
      if (!(x === x)) return pose; // part of the mesh behind the camera: leave the pose alone
      if (x < l) l = x;
      if (x > r) r = x;
      if (y < t) t = y;
      if (y > b) b = y;
    }
    // Unknowns (px, py, k): a side s moves to p + (s − p0)·k.
    const rows: [number, number, number, number][] = [];
    if (!tr[0]) rows.push([1, 0, l - p.px, bx0]);
    if (!tr[2]) rows.push([1, 0, r - p.px, bx1]);
    if (!tr[1]) rows.push([0, 1, t - p.py, by0]);
    if (!tr[3]) rows.push([0, 1, b - p.py, by1]);
    // A weak pull to the current values keeps the system solvable when sides are missing.
    const size = Math.max(bx1 - bx0, by1 - by0);
    const lam = 1e-3;
    rows.push([Math.sqrt(lam), 0, 0, Math.sqrt(lam) * p.px], [0, Math.sqrt(lam), 0, Math.sqrt(lam) * p.py], [0, 0, Math.sqrt(lam) * size, Math.sqrt(lam) * size]);
    const a = [0, 0, 0, 0, 0, 0, 0, 0, 0], y = [0, 0, 0];
    for (const row of rows) for (let i = 0; i < 3; i++) {
      y[i]! += row[i]! * row[3];
      for (let j = 0; j < 3; j++) a[3 * i + j]! += row[i]! * row[j]!;
    }
    const sol = solve3(a, y);
    if (!sol) return p;
    const k = Math.max(0.5, Math.min(2, sol[2]));
    p = { ...p, px: sol[0], py: sol[1], distance: p.distance / k };
  }
  return p;
}

function solve3(a: number[], y: number[]): [number, number, number] | null {
  const det = (m: number[]) => m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
  const d = det(a);
  if (!(Math.abs(d) > 1e-12)) return null;
  const col = (k: number) => a.map((v, i) => (i % 3 === k ? y[Math.floor(i / 3)]! : v));
  return [det(col(0)) / d, det(col(1)) / d, det(col(2)) / d];
}

interface Candidate {
  v: Vec;
  score: number;
}

/** Pattern search: try ± each step, keep improvements, halve the steps when none helps. */
function refine(ctx: ScoreContext, start: Candidate, steps: Vec, minStep: number, maxEvals: number, count: { n: number }, deadline: number): Candidate {
  let best = start;
  const s = [...steps] as Vec;
  let evals = 0;
  while (evals < maxEvals && performance.now() < deadline) {
    let moved = false;
    for (let k = 0; k < 6 && evals < maxEvals; k++) {
      for (const dir of [1, -1]) {
        const v = [...best.v] as Vec;
        v[k] = v[k]! + dir * s[k]!;
        const score = scorePose(ctx, toPose(v)).total;
        evals++;
        count.n++;
        if (score < best.score) {
          best = { v, score };
          moved = true;
          break;
        }
      }
    }
    if (!moved) {
      for (let k = 0; k < 6; k++) s[k]! /= 2;
      if (s[0]! < minStep) break;
    }
  }
  return best;
}

export function snapPose(req: SnapRequest, opts: SnapOptions = {}): SnapResult {
  const t0 = performance.now();
  const bad = validate(req);
  if (bad) return { ok: false, error: bad };
  const range = opts.range ?? { azimuth: 60, elevation: 30, theta: 20 };
  const sizes = opts.sizes ?? [64, 112, 176];
  const { image, bbox, viewport, model } = req;
  const deadline = t0 + (opts.budgetMs ?? 3000);
  const levels = sizes.map((size) => buildEdgeLevel(image, { bbox, size }));
  // Truncation: a fraction of the box size, tighter on finer maps.
  const ctxs = levels.map((lv, i) => {
    const boxSize = Math.max(lv.box[2] - lv.box[0], lv.box[3] - lv.box[1]);
    return new ScoreContext(model, lv, viewport, Math.max(2, boxSize * [0.1, 0.07, 0.05][i]!), [model.rough, model.middle, model.coarse][i], model.diagonal * [0.08, 0.05, 0.04][i]!, opts.weights ?? DEFAULT_WEIGHTS);
  });
  const count = { n: 0 };
  const scratch = new Float64Array((model.coarse.positions.length / 3) * 2);
  const start = toVec(req.pose);
  const c0 = ctxs[0]!;

  // Stage 1: rotation grid, each placed on the box, plus the starting pose as it is.
  const cands: Candidate[] = [{ v: start, score: scorePose(c0, req.pose).total }];
  count.n++;
  const stepsOf = (r: number) => Array.from({ length: 2 * Math.round(r / 15) + 1 }, (_, i) => (i - Math.round(r / 15)) * (r / Math.max(1, Math.round(r / 15))));
  for (const da of stepsOf(range.azimuth))
    for (const de of stepsOf(range.elevation))
      for (const dt of stepsOf(range.theta)) {
        const p = placeOnBox(model, toPose([start[0] + da, start[1] + de, start[2] + dt, start[3], start[4], start[5]]), viewport, levels[0]!, scratch);
        cands.push({ v: toVec(p), score: scorePose(c0, p).total });
        count.n++;
      }
  cands.sort((a, b) => a.score - b.score);

  // Stage 2: local search from the best few on the coarse map, then the middle one.
  const boxSize = Math.max(bbox[2] - bbox[0], bbox[3] - bbox[1]);
  const steps = (deg: number, frac: number): Vec => [deg, deg, deg, frac, frac * boxSize, frac * boxSize];
  let pool = cands.slice(0, 4).map((c) => refine(c0, c, steps(8, 0.04), 2, 40, count, deadline));
  const c1 = ctxs[1]!;
  pool = pool
    .map((c) => ({ v: c.v, score: scorePose(c1, toPose(c.v)).total }))
    .sort((a, b) => a.score - b.score)
    .slice(0, 2)
    .map((c) => refine(c1, c, steps(3, 0.015), 0.7, 40, count, deadline));
  count.n += 4;

  // Stage 3: the best on the fine map; accept only an improvement over the start there.
  const c2 = ctxs[2]!;
  const best = pool.map((c) => ({ v: c.v, score: scorePose(c2, toPose(c.v)).total })).sort((a, b) => a.score - b.score)[0]!;
  const fine = refine(c2, best, steps(1, 0.005), 0.2, 36, count, deadline);
  const before = scorePose(c2, req.pose).total;
  count.n += 3;
  const improved = fine.score < before;
  return {
    ok: true,
    pose: improved ? toPose(fine.v) : { ...req.pose },
    improved,
    scoreBefore: before,
    scoreAfter: improved ? fine.score : before,
    evaluations: count.n,
    ms: performance.now() - t0,
  };
}
