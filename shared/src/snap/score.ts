// How well a pose explains the photo's edges at one edge level. Lower is better; every term is a mean
// of robust (truncated) distances scaled to [0, 1], so the score does not grow with the number of
// edges a mesh or a photo has:
//   - silhouette: the outline of the rasterised (coarse) mesh against photo edges of the same orientation;
//   - features: visible crease and border edges (depth-tested) against photo edges of the same orientation;
//   - photo → model: edge pixels inside the bounding box against the projected model's edges, so that
//     shrinking the model onto a patch of clutter does not pay;
//   - box: the projected extent against the bounding box (a side on the photo border only bounds it).
import { cameraCentre, projectInto, viewRotation, type PoseInput } from '../camera';
import { toRadians, deg } from '../units';
import { chamferDistance } from './distance';
import { orientationBin, type EdgeLevel } from './image-edges';
import type { Mesh } from '../mesh/types';
import type { SnapModel } from './model';

export interface ScoreWeights {
  silhouette: number;
  features: number;
  reverse: number;
  box: number;
}

export const DEFAULT_WEIGHTS: ScoreWeights = { silhouette: 1, features: 0.5, reverse: 0.75, box: 1 };

export interface ScoreParts {
  total: number;
  silhouette: number;
  features: number;
  reverse: number;
  box: number;
  outline: number;
  visibleFeatures: number;
}

/** Buffers reused across evaluations at one level. */
export class ScoreContext {
  readonly depth: Float32Array;
  readonly seeds: Uint8Array;
  readonly verts: Float64Array;
  readonly vdepth: Float64Array;
  readonly sxy: Float64Array;
  readonly axy: Float64Array;
  readonly sdepth: Float64Array;
  readonly dt: Float32Array;
  constructor(
    readonly model: SnapModel,
    readonly level: EdgeLevel,
    readonly viewport: number,
    /** Truncation distance, level pixels. */
    readonly tau: number,
    /** The mesh rasterised for silhouettes and depth (one of the model's simplified meshes). */
    readonly mesh: Mesh = model.coarse,
    /** How far behind that mesh's surface a feature point still counts as visible (object units). */
    readonly depthTolerance: number = model.diagonal * 0.04,
    readonly weights: ScoreWeights = DEFAULT_WEIGHTS,
  ) {
    const n = level.width * level.height;
    this.depth = new Float32Array(n);
    this.dt = new Float32Array(n);
    this.seeds = new Uint8Array(n);
    const nv = mesh.positions.length / 3, ns = model.samples.length / 3;
    this.verts = new Float64Array(2 * nv);
    this.vdepth = new Float64Array(nv);
    this.sxy = new Float64Array(2 * ns);
    this.axy = new Float64Array(2 * ns);
    this.sdepth = new Float64Array(ns);
  }
}

/** Distance along the viewing direction of each point (xyz triples), as `projectInto` computes it. */
function depths(points: ArrayLike<number>, pose: PoseInput, out: Float64Array): void {
  const az = toRadians(deg(pose.azimuth)), el = toRadians(deg(pose.elevation));
  const r = viewRotation(az, el);
  const [cx, cy, cz] = cameraCentre(az, el, pose.distance);
  for (let i = 0; i < out.length; i++) out[i] = -(r[6]! * (points[3 * i]! - cx) + r[7]! * (points[3 * i + 1]! - cy) + r[8]! * (points[3 * i + 2]! - cz));
}

/** The pose in level pixels: scaling the focal length and shifting the principal point maps image → level. */
export function levelPose(pose: PoseInput, level: EdgeLevel): PoseInput {
  return { ...pose, px: (pose.px - level.x0) * level.scale, py: (pose.py - level.y0) * level.scale };
}

/** Nearest-depth rasterisation of the coarse mesh; pixels not covered stay +Infinity. */
function rasterise(ctx: ScoreContext): void {
  const { depth, verts, vdepth, level } = ctx;
  const w = level.width, h = level.height;
  depth.fill(Infinity);
  const t = ctx.mesh.triangles;
  for (let f = 0; f < t.length; f += 3) {
    const a = t[f]!, b = t[f + 1]!, c = t[f + 2]!;
    const ax = verts[2 * a]!, ay = verts[2 * a + 1]!, bx = verts[2 * b]!, by = verts[2 * b + 1]!, cx = verts[2 * c]!, cy = verts[2 * c + 1]!;
    if (!(ax === ax && bx === bx && cx === cx)) continue; // NaN: behind the camera
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (area === 0) continue;
    const x0 = Math.max(0, Math.ceil(Math.min(ax, bx, cx) - 0.5)), x1 = Math.min(w - 1, Math.floor(Math.max(ax, bx, cx) - 0.5));
    const y0 = Math.max(0, Math.ceil(Math.min(ay, by, cy) - 0.5)), y1 = Math.min(h - 1, Math.floor(Math.max(ay, by, cy) - 0.5));
    if (x0 > x1 || y0 > y1) continue;
    // Barycentric weights are affine in (x, y): step them per pixel instead of recomputing.
    const inv = 1 / area;
    const a0 = (by - cy) * inv, a1 = (cy - ay) * inv; // ∂w0/∂x, ∂w1/∂x
    const za = vdepth[a]!, zb = vdepth[b]!, zc = vdepth[c]!;
    const px0 = x0 + 0.5;
    for (let y = y0; y <= y1; y++) {
      const py = y + 0.5;
      let w0 = ((bx - px0) * (cy - py) - (by - py) * (cx - px0)) * inv;
      let w1 = ((cx - px0) * (ay - py) - (cy - py) * (ax - px0)) * inv;
      const row = y * w;
      for (let x = x0; x <= x1; x++, w0 += a0, w1 += a1) {
        const w2 = 1 - w0 - w1;
        if (w0 < 0 || w1 < 0 || w2 < 0) continue;
        const z = w0 * za + w1 * zb + w2 * zc;
        if (z < depth[row + x]!) depth[row + x] = z;
      }
    }
  }
}

export function scorePose(ctx: ScoreContext, pose: PoseInput): ScoreParts {
  const { level, model, depth, seeds, tau, weights } = ctx;
  const w = level.width, h = level.height;
  const lp = levelPose(pose, level);
  const vp = ctx.viewport * level.scale;
  projectInto(ctx.mesh.positions, lp, vp, ctx.verts);
  depths(ctx.mesh.positions, lp, ctx.vdepth);
  rasterise(ctx);
  seeds.fill(0);

  // Silhouette: covered pixels with an uncovered 4-neighbour, away from the level's frame.
  let sil = 0, outline = 0;
  let mx0 = w, my0 = h, mx1 = -1, my1 = -1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (depth[i] === Infinity) continue;
      if (x < mx0) mx0 = x;
      if (x > mx1) mx1 = x;
      if (y < my0) my0 = y;
      if (y > my1) my1 = y;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) continue;
      if (depth[i - 1] !== Infinity && depth[i + 1] !== Infinity && depth[i - w] !== Infinity && depth[i + w] !== Infinity) continue;
      // Mask gradient (Sobel) gives the outline's normal; the edge runs across it.
      const nw = depth[i - w - 1] === Infinity ? 0 : 1, n = depth[i - w] === Infinity ? 0 : 1, ne = depth[i - w + 1] === Infinity ? 0 : 1;
      const we = depth[i - 1] === Infinity ? 0 : 1, ea = depth[i + 1] === Infinity ? 0 : 1;
      const sw = depth[i + w - 1] === Infinity ? 0 : 1, so = depth[i + w] === Infinity ? 0 : 1, se = depth[i + w + 1] === Infinity ? 0 : 1;
      const gx = ne + 2 * ea + se - nw - 2 * we - sw;
      const gy = sw + 2 * so + se - nw - 2 * n - ne;
      const bin = orientationBin(-gy, gx);
      sil += Math.min(level.oriented[bin]![i]!, tau);
      outline++;
      seeds[i] = 1;
    }

  // Feature edges, depth-tested against the simplified mesh (with a tolerance of its cell size).
  const ns = model.samples.length / 3;
  projectInto(model.samples, lp, vp, ctx.sxy);
  projectInto(model.sampleAhead, lp, vp, ctx.axy);
  depths(model.samples, lp, ctx.sdepth);
  const tol = ctx.depthTolerance;
  let feat = 0, visible = 0;
  for (let k = 0; k < ns; k++) {
    const x = ctx.sxy[2 * k]!, y = ctx.sxy[2 * k + 1]!;
    if (!(x >= 0 && y >= 0 && x < w && y < h)) continue;
    const i = Math.floor(y) * w + Math.floor(x);
    if (ctx.sdepth[k]! > depth[i]! + tol) continue;
    const dx = ctx.axy[2 * k]! - x, dy = ctx.axy[2 * k + 1]! - y;
    if (!(dx * dx + dy * dy > 1e-6)) continue;
    feat += Math.min(level.oriented[orientationBin(dx, dy)]![i]!, tau);
    visible++;
    seeds[i] = 1;
  }

  // Photo → model.
  let rev = 0;
  const be = level.boxEdges;
  if (be.length > 0 && (outline > 0 || visible > 0)) {
    // Box edges only read the box; seeds up to `tau` outside it still count.
    const m = Math.ceil(tau) + 1;
    const [bx0, by0, bx1, by1] = level.box;
    const dt = chamferDistance(seeds, w, h, tau, ctx.dt, [Math.floor(bx0) - m, Math.floor(by0) - m, Math.ceil(bx1) + m, Math.ceil(by1) + m]);
    for (let k = 0; k < be.length; k++) rev += Math.min(dt[be[k]!]!, tau);
    rev /= be.length * tau;
  } else rev = 1;

  // Box: each side's offset over the box size, truncated; a truncated side only needs reaching.
  let box = 1;
  if (mx1 >= 0) {
    const [bx0, by0, bx1, by1] = level.box;
    const size = Math.max(bx1 - bx0, by1 - by0, 1);
    const tr = level.truncated;
    const side = (d: number, truncated: boolean, inward: number) => Math.min(0.5, Math.abs(truncated ? Math.max(0, inward * d) : d) / size);
    box = (side(mx0 - bx0, tr[0], 1) + side(my0 - by0, tr[1], 1) + side(mx1 + 1 - bx1, tr[2], -1) + side(my1 + 1 - by1, tr[3], -1)) / 4;
  }

  const silhouette = outline > 0 ? sil / (outline * tau) : 1;
  const features = visible > 0 ? feat / (visible * tau) : silhouette;
  const total = weights.silhouette * silhouette + weights.features * features + weights.reverse * rev + weights.box * box;
  return { total, silhouette, features, reverse: rev, box, outline, visibleFeatures: visible };
}

