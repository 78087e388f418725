// Snap to photo, piece by piece and whole: exact distances against brute force, feature edges of a box
// whatever its winding or vertex sharing, oriented edge maps of a drawn rectangle, and the search
// recovering a known pose of an asymmetric object from a photo drawn here (with clutter and noise).
import { describe, expect, it } from 'vitest';
import { cameraCentre, projectPoints, rotationErrorDegrees } from '../src/camera';
import { deg, toRadians } from '../src/units';
import type { Mesh } from '../src/mesh/types';
import type { PoseJson } from '../src/types';
import { chamferDistance, distanceTransform } from '../src/snap/distance';
import { buildEdgeLevel, orientationBin, type RgbaImage } from '../src/snap/image-edges';
import { featureEdges, prepareSnapModel } from '../src/snap/model';
import { snapPose } from '../src/snap/search';
/** The whole search, as bench/snap.ts runs it: the app's wall-clock safety valve would make results depend on the machine's load. */
const NO_VALVE = { budgetMs: Number.POSITIVE_INFINITY };

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Box [x0,x1]×[y0,y1]×[z0,z1] as 12 triangles on 8 shared vertices, outward winding. */
function box(x0: number, x1: number, y0: number, y1: number, z0: number, z1: number, base = 0): { p: number[]; t: number[] } {
  const p: number[] = [];
  for (let i = 0; i < 8; i++) p.push(i & 1 ? x1 : x0, i & 2 ? y1 : y0, i & 4 ? z1 : z0);
  const q = [[0, 2, 3, 1], [4, 5, 7, 6], [0, 1, 5, 4], [2, 6, 7, 3], [0, 4, 6, 2], [1, 3, 7, 5]];
  const t = q.flatMap(([a, b, c, d]) => [a!, b!, c!, a!, c!, d!].map((v) => v + base));
  return { p, t };
}

function meshOf(parts: { p: number[]; t: number[] }[]): Mesh {
  const p: number[] = [], t: number[] = [];
  for (const part of parts) {
    const base = p.length / 3;
    p.push(...part.p);
    t.push(...part.t.map((v) => v + base));
  }
  return { positions: Float32Array.from(p), triangles: Uint32Array.from(t) };
}

/** An L-shaped chair-like object: a seat, a back on one side and one thick leg, no symmetry. */
const chair = meshOf([box(-0.3, 0.3, -0.3, 0.3, -0.05, 0.05), box(-0.3, 0.3, 0.2, 0.3, 0.05, 0.55), box(-0.3, -0.15, -0.3, -0.15, -0.5, -0.05)]);

/** Draws `mesh` at `pose` flat-shaded (one grey per face direction) over a cluttered, noisy background. */
function photo(mesh: Mesh, pose: PoseJson, viewport: number, width: number, height: number, seed: number): RgbaImage {
  const r = rng(seed);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.fill(110, 4 * i, 4 * i + 3), (data[4 * i + 3] = 255);
  // Clutter: random rectangles in other colours.
  for (let k = 0; k < 25; k++) {
    const x = Math.floor(r() * width), y = Math.floor(r() * height), w = 5 + Math.floor(r() * 40), h = 5 + Math.floor(r() * 40), c = [r() * 255, r() * 255, r() * 255];
    for (let yy = y; yy < Math.min(height, y + h); yy++) for (let xx = x; xx < Math.min(width, x + w); xx++) for (let ch = 0; ch < 3; ch++) data[4 * (yy * width + xx) + ch] = c[ch]!;
  }
  const xy = projectPoints(mesh.positions, pose, viewport);
  const eye = cameraCentre(toRadians(deg(pose.azimuth)), toRadians(deg(pose.elevation)), pose.distance);
  const depth = new Float32Array(width * height).fill(Infinity);
  const t = mesh.triangles, P = mesh.positions;
  for (let f = 0; f < t.length; f += 3) {
    const [a, b, c] = [t[f]!, t[f + 1]!, t[f + 2]!];
    const n = [0, 1, 2].map((k) => (P[3 * b + ((k + 1) % 3)]! - P[3 * a + ((k + 1) % 3)]!) * (P[3 * c + ((k + 2) % 3)]! - P[3 * a + ((k + 2) % 3)]!) - (P[3 * b + ((k + 2) % 3)]! - P[3 * a + ((k + 2) % 3)]!) * (P[3 * c + ((k + 1) % 3)]! - P[3 * a + ((k + 1) % 3)]!));
    const len = Math.hypot(n[0]!, n[1]!, n[2]!) || 1;
    const shade = 120 + 120 * Math.abs((0.3 * n[0]! + 0.5 * n[1]! + 0.8 * n[2]!) / len);
    // One depth per face (its centre's distance from the camera): enough for an object of boxes.
    const z = Math.hypot(...[0, 1, 2].map((k) => (P[3 * a + k]! + P[3 * b + k]! + P[3 * c + k]!) / 3 - eye[k]!));
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const px = x + 0.5, py = y + 0.5;
        const e = (i: number, j: number) => (xy[2 * j]! - xy[2 * i]!) * (py - xy[2 * i + 1]!) - (xy[2 * j + 1]! - xy[2 * i + 1]!) * (px - xy[2 * i]!);
        const e0 = e(a, b), e1 = e(b, c), e2 = e(c, a);
        if (!((e0 >= 0 && e1 >= 0 && e2 >= 0) || (e0 <= 0 && e1 <= 0 && e2 <= 0))) continue;
        const i = y * width + x;
        if (z > depth[i]!) continue;
        depth[i] = z;
        data[4 * i] = shade;
        data[4 * i + 1] = shade * 0.55;
        data[4 * i + 2] = 40;
      }
  }
  for (let i = 0; i < width * height * 4; i++) if (i % 4 !== 3) data[i] = data[i]! + (r() - 0.5) * 16;
  return { width, height, data };
}

describe('distance transforms', () => {
  it('are the exact Euclidean distance, and chamfer stays within 8% of it under the cap', () => {
    const r = rng(7);
    const w = 37, h = 23;
    const seed = new Uint8Array(w * h);
    for (let k = 0; k < 9; k++) seed[Math.floor(r() * w * h)] = 1;
    const exact = distanceTransform(seed, w, h);
    const cham = chamferDistance(seed, w, h, 6, new Float32Array(w * h));
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let best = Infinity;
        for (let j = 0; j < seed.length; j++) if (seed[j]) best = Math.min(best, Math.hypot((j % w) - x, Math.floor(j / w) - y));
        expect(exact[y * w + x]).toBeCloseTo(best, 4);
        expect(Math.abs(cham[y * w + x]! - Math.min(best, 6))).toBeLessThanOrEqual(0.09 * Math.min(best, 6) + 1e-6);
      }
  });
});

describe('feature edges', () => {
  const cube = box(0, 1, 0, 1, 0, 1);
  it('are the 12 sides of a box, not its face diagonals', () => {
    expect(featureEdges(Float32Array.from(cube.p), Uint32Array.from(cube.t), 35).length / 2).toBe(12);
  });
  it('do not depend on winding: a flipped triangle changes nothing', () => {
    const t = [...cube.t];
    [t[0], t[1]] = [t[1]!, t[0]!];
    expect(featureEdges(Float32Array.from(cube.p), Uint32Array.from(t), 35).length / 2).toBe(12);
  });
  it('survive a mesh that repeats vertices per triangle (welded first)', () => {
    const p: number[] = [], t: number[] = [];
    cube.t.forEach((v, i) => (p.push(cube.p[3 * v]!, cube.p[3 * v + 1]!, cube.p[3 * v + 2]!), t.push(i)));
    const m = prepareSnapModel({ positions: Float32Array.from(p), triangles: Uint32Array.from(t) });
    expect(m.featureEdges).toBe(12);
    expect(m.samples.length / 3).toBeGreaterThan(100);
  });
  it('find no crease on a finely tessellated smooth surface', () => {
    const p: number[] = [], t: number[] = [];
    const n = 48;
    for (let i = 0; i <= n; i++) for (let j = 0; j < n; j++) {
      const u = (i / n) * Math.PI - Math.PI / 2, v = (j / n) * 2 * Math.PI;
      p.push(Math.cos(u) * Math.cos(v), Math.cos(u) * Math.sin(v), Math.sin(u));
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const a = i * n + j, b = i * n + ((j + 1) % n), c = a + n, d = b + n;
      t.push(a, b, d, a, d, c);
    }
    const model = prepareSnapModel({ positions: Float32Array.from(p), triangles: Uint32Array.from(t) });
    expect(model.featureEdges).toBe(0);
  });
});

describe('edge map', () => {
  it('puts oriented edges on the sides of a drawn rectangle', () => {
    const w = 120, h = 90;
    const data = new Uint8ClampedArray(w * h * 4).fill(255);
    for (let y = 30; y < 60; y++) for (let x = 40; x < 90; x++) data.fill(0, 4 * (y * w + x), 4 * (y * w + x) + 3);
    const lv = buildEdgeLevel({ width: w, height: h, data }, { bbox: [40, 30, 90, 60], size: 200 });
    expect(lv.scale).toBe(1);
    const at = (x: number, y: number) => (y - lv.y0) * lv.width + (x - lv.x0);
    const vertical = orientationBin(0, 1), horizontal = orientationBin(1, 0);
    // The left side (x ≈ 40) is a vertical edge: near in the vertical map, far in the horizontal one.
    expect(lv.oriented[vertical]![at(40, 45)]!).toBeLessThanOrEqual(1);
    expect(lv.oriented[horizontal]![at(40, 45)]!).toBeGreaterThan(10);
    expect(lv.oriented[horizontal]![at(65, 30)]!).toBeLessThanOrEqual(1);
    expect(lv.truncated).toEqual([false, false, false, false]);
  });
});

describe('snapPose', () => {
  const viewport = 1500, width = 320, height = 240;
  const gold: PoseJson = { azimuth: 35, elevation: 20, theta: 5, distance: 5, px: 165, py: 118 };
  const image = photo(chair, gold, viewport, width, height, 3);
  const model = prepareSnapModel(chair);
  const xy = projectPoints(chair.positions, gold, viewport);
  const xs = Array.from({ length: xy.length / 2 }, (_, i) => xy[2 * i]!), ys = Array.from({ length: xy.length / 2 }, (_, i) => xy[2 * i + 1]!);
  const bbox: [number, number, number, number] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];

  it('recovers a pose 30° off from the photo alone, and keeps a pose that already fits', () => {
    const start: PoseJson = { azimuth: 60, elevation: 5, theta: -8, distance: 5.6, px: 150, py: 128 };
    const r = snapPose({ image, bbox, viewport, pose: start, model }, NO_VALVE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(rotationErrorDegrees(start, gold)).toBeGreaterThan(25);
    expect(r.improved).toBe(true);
    expect(r.scoreAfter).toBeLessThan(r.scoreBefore);
    expect(rotationErrorDegrees(r.pose, gold)).toBeLessThan(6);
    expect(Math.hypot(r.pose.px - gold.px, r.pose.py - gold.py)).toBeLessThan(6);

    const again = snapPose({ image, bbox, viewport, pose: gold, model }, NO_VALVE);
    expect(again.ok && rotationErrorDegrees(again.pose, gold)).toBeLessThan(3);
  });

  it('still lands near the pose with a quarter of the object hidden and heavy noise', () => {
    const hard = photo(chair, gold, viewport, width, height, 11);
    const d = hard.data as Uint8ClampedArray;
    const r = rng(5);
    // An occluder over the lower right quarter of the box, then strong pixel noise everywhere.
    const [x0, y0, x1, y1] = bbox;
    for (let y = Math.floor((y0 + y1) / 2); y < Math.min(height, Math.ceil(y1)); y++)
      for (let x = Math.floor((x0 + x1) / 2); x < Math.min(width, Math.ceil(x1)); x++) d.set([60, 150, 200], 4 * (y * width + x));
    for (let i = 0; i < d.length; i++) if (i % 4 !== 3) d[i] = d[i]! + (r() - 0.5) * 50;
    const start: PoseJson = { azimuth: 15, elevation: 32, theta: 12, distance: 4.6, px: 175, py: 110 };
    const res = snapPose({ image: hard, bbox, viewport, pose: start, model }, NO_VALVE);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(rotationErrorDegrees(res.pose, gold)).toBeLessThan(rotationErrorDegrees(start, gold) / 2);
  });

  it('returns expected failures as results', () => {
    expect(snapPose({ image, bbox: [400, 300, 500, 400], viewport, pose: gold, model })).toEqual({ ok: false, error: 'bbox: outside the photo' });
    expect(snapPose({ image, bbox, viewport, pose: { ...gold, distance: Number.NaN }, model }).ok).toBe(false);
  });
});
