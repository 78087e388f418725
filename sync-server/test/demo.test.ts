import { projectPoints, type PoseInput } from '@in3d/shared/camera';
import jpeg from 'jpeg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoDataset, type DemoPlan, type DemoQuestion, generateDemoDataset, planDemoDataset, renderDemoScene } from '../src/demo/generate';
import { encodeJpegRgba } from '../src/demo/jpeg';
import type { Mesh } from '../src/demo/meshes';
import { toRgba } from '../src/demo/raster';

// An independent silhouette rasterizer (pixel centres, either winding), so the pixel checks below do
// not trust the renderer under test: only the camera model, which has its own fixture tests.
function mask(mesh: Mesh, pose: PoseInput, viewport: number, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  const p = projectPoints(mesh.positions, pose, viewport);
  const t = mesh.triangles;
  for (let f = 0; f < t.length; f += 3) {
    const [a, b, c] = [t[f]!, t[f + 1]!, t[f + 2]!];
    const ax = p[2 * a]!, ay = p[2 * a + 1]!, bx = p[2 * b]!, by = p[2 * b + 1]!, cx = p[2 * c]!, cy = p[2 * c + 1]!;
    const area = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
    if (!Number.isFinite(area) || area === 0) continue;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx))), x1 = Math.min(w - 1, Math.ceil(Math.max(ax, bx, cx)));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy))), y1 = Math.min(h - 1, Math.ceil(Math.max(ay, by, cy)));
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        const px = x + 0.5, py = y + 0.5;
        const e0 = ((bx - px) * (cy - py) - (cx - px) * (by - py)) / area;
        const e1 = ((cx - px) * (ay - py) - (ax - px) * (cy - py)) / area;
        if (e0 >= 0 && e1 >= 0 && 1 - e0 - e1 >= 0) out[y * w + x] = 1;
      }
  }
  return out;
}

function dilate(m: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const out = new Uint8Array(m.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (!m[y * w + x]) continue;
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) out.fill(1, yy * w + Math.max(0, x - r), yy * w + Math.min(w - 1, x + r) + 1);
    }
  return out;
}

function iou(a: Uint8Array, b: Uint8Array, ignore?: Uint8Array): number {
  let i = 0, u = 0;
  for (let k = 0; k < a.length; k++) {
    if (ignore?.[k]) continue;
    if (a[k] && b[k]) i++;
    if (a[k] || b[k]) u++;
  }
  return u === 0 ? 0 : i / u;
}

/** Pixels within `r` of the mask's outline: antialiased edges and sub-pixel parts (thin legs) live there. */
function outline(m: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const grown = dilate(m, w, h, r);
  const shrunk = dilate(m.map((v) => 1 - v), w, h, r);
  return grown.map((g, i) => g & shrunk[i]!);
}

const wrap = (d: number) => ((((d + 180) % 360) + 360) % 360) - 180;

let ds: DemoDataset;
let plan: DemoPlan;
const meshOf = (category: string, subtype: number) => ds.cads.find((c) => c.category === category && c.subtype === subtype)!.mesh;

beforeAll(() => {
  ds = generateDemoDataset({ seed: 7 });
  plan = planDemoDataset({ seed: 7 });
}, 120_000);

describe('demo dataset', () => {
  it('is deterministic: same seed, byte-identical photos; another seed, other photos', () => {
    const again = generateDemoDataset({ seed: 7 });
    expect(again.images.length).toBe(ds.images.length);
    again.images.forEach((im, i) => expect(Buffer.from(im.jpeg).equals(Buffer.from(ds.images[i]!.jpeg))).toBe(true));
    expect(again.questions).toEqual(ds.questions);
    again.cads.forEach((c, i) => {
      expect(c.mesh.positions).toEqual(ds.cads[i]!.mesh.positions);
      expect(c.mesh.triangles).toEqual(ds.cads[i]!.mesh.triangles);
    });
    const other = generateDemoDataset({ seed: 8, photosPerCategory: 2 });
    expect(Buffer.from(other.images[0]!.jpeg).equals(Buffer.from(ds.images[0]!.jpeg))).toBe(false);
    expect(other.images.length).toBe(6);
  }, 120_000);

  it('has enough categories, subtypes, photos, questions and tasks, all consistent', () => {
    const cats = new Map<string, number[]>();
    for (const c of ds.cads) cats.set(c.category, [...(cats.get(c.category) ?? []), c.subtype]);
    expect(cats.size).toBeGreaterThanOrEqual(3);
    for (const subs of cats.values()) {
      expect(subs.length).toBeGreaterThanOrEqual(3);
      expect(subs).toEqual(subs.map((_, i) => i + 1));
    }
    expect(ds.images.length).toBeGreaterThanOrEqual(24);
    expect(ds.questions.length).toBeGreaterThanOrEqual(ds.images.length);
    expect(ds.tasks.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ds.images.map((i) => i.id)).size).toBe(ds.images.length);
    expect(new Set(ds.questions.map((q) => q.id)).size).toBe(ds.questions.length);
    const inTasks = ds.tasks.flatMap((t) => t.questionIds);
    expect([...inTasks].sort()).toEqual(ds.questions.map((q) => q.id).sort());
    for (const q of ds.questions) {
      const im = ds.images.find((i) => i.id === q.imageId)!;
      expect(im.category).toBe(q.category);
      expect(cats.get(q.category)).toContain(q.goldSubtype);
      expect(cats.get(q.category)).toContain(q.initialSubtype);
    }
    // Some photos show two objects (two questions on one image).
    expect(ds.questions.length).toBeGreaterThan(ds.images.length);
    expect(plan.questions).toEqual(ds.questions);
  });

  it('has valid closed meshes: indices in range, finite, outward-wound solids, unit-sized and centred', () => {
    for (const cad of ds.cads) {
      const { positions: p, triangles: t } = cad.mesh;
      const n = p.length / 3;
      expect(p.length % 3).toBe(0);
      expect(t.length % 3).toBe(0);
      expect(t.length / 3).toBeLessThanOrEqual(3000);
      expect(p.every(Number.isFinite)).toBe(true);
      expect(t.every((i) => i < n)).toBe(true);
      // Every directed edge is matched by exactly one reverse edge: closed and consistently oriented.
      const edges = new Map<number, number>();
      for (let f = 0; f < t.length; f += 3)
        for (let k = 0; k < 3; k++) {
          const key = t[f + k]! * n + t[f + ((k + 1) % 3)]!;
          edges.set(key, (edges.get(key) ?? 0) + 1);
        }
      for (const [key, count] of edges) {
        expect(count, `${cad.name}: duplicated edge`).toBe(1);
        const a = Math.floor(key / n), b = key % n;
        expect(edges.get(b * n + a), `${cad.name}: open edge ${a}-${b}`).toBe(1);
      }
      // Each connected part encloses positive volume (outward winding).
      const parent = Array.from({ length: n }, (_, i) => i);
      const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
      for (let f = 0; f < t.length; f += 3) {
        parent[find(t[f]!)] = find(t[f + 1]!);
        parent[find(t[f]!)] = find(t[f + 2]!);
      }
      const volume = new Map<number, number>();
      for (let f = 0; f < t.length; f += 3) {
        const [a, b, c] = [t[f]!, t[f + 1]!, t[f + 2]!].map((i) => [p[3 * i]!, p[3 * i + 1]!, p[3 * i + 2]!] as const);
        const v = (a![0] * (b![1] * c![2] - b![2] * c![1]) - a![1] * (b![0] * c![2] - b![2] * c![0]) + a![2] * (b![0] * c![1] - b![1] * c![0])) / 6;
        const root = find(t[f]!);
        volume.set(root, (volume.get(root) ?? 0) + v);
      }
      for (const v of volume.values()) expect(v, cad.name).toBeGreaterThan(0);
      const lo = [0, 1, 2].map((k) => Math.min(...p.filter((_, i) => i % 3 === k)));
      const hi = [0, 1, 2].map((k) => Math.max(...p.filter((_, i) => i % 3 === k)));
      expect(Math.hypot(hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!)).toBeCloseTo(1, 4);
      for (let k = 0; k < 3; k++) expect(Math.abs(lo[k]! + hi[k]!)).toBeLessThan(1e-5);
    }
  });

  it('has subtypes that look clearly different from each other', () => {
    const cats = [...new Set(ds.cads.map((c) => c.category))];
    for (const cat of cats) {
      const subs = ds.cads.filter((c) => c.category === cat);
      for (let i = 0; i < subs.length; i++)
        for (let j = i + 1; j < subs.length; j++) {
          let sum = 0;
          const views = [0, 45, 90, 135, 200, 270];
          for (const azimuth of views) {
            const pose = { azimuth, elevation: 15, theta: 0, distance: 6, px: 200, py: 200 };
            sum += iou(mask(subs[i]!.mesh, pose, 1500, 400, 400), mask(subs[j]!.mesh, pose, 1500, 400, 400));
          }
          expect(sum / views.length, `${cat}: ${subs[i]!.name} vs ${subs[j]!.name}`).toBeLessThan(0.8);
        }
    }
  });

  it('poses the gold objects all round, inside the photo, at the required sizes', () => {
    for (const q of ds.questions) {
      const im = ds.images.find((i) => i.id === q.imageId)!;
      const g = q.gold;
      expect(g.azimuth).toBeGreaterThanOrEqual(0);
      expect(g.azimuth).toBeLessThan(360);
      expect(g.elevation).toBeGreaterThanOrEqual(-10);
      expect(g.elevation).toBeLessThanOrEqual(45);
      expect(Math.abs(g.theta)).toBeLessThanOrEqual(20);
      expect([2000, 3000]).toContain(q.viewport);
      // bbox = projected gold mesh, clipped to the image.
      const p = projectPoints(meshOf(q.category, q.goldSubtype).positions, g, q.viewport);
      const xs = p.filter((_, i) => i % 2 === 0), ys = p.filter((_, i) => i % 2 === 1);
      const e = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
      const clipped = [Math.max(0, e[0]!), Math.max(0, e[1]!), Math.min(im.width - 1, e[2]!), Math.min(im.height - 1, e[3]!)];
      clipped.forEach((v, i) => expect(q.bbox[i]).toBeCloseTo(v, 6));
      const fill = Math.max((e[2]! - e[0]!) / im.width, (e[3]! - e[1]!) / im.height);
      const onImage = ds.questions.filter((o) => o.imageId === q.imageId);
      if (onImage.length === 1) {
        expect(fill).toBeGreaterThanOrEqual(0.4);
        expect(fill).toBeLessThanOrEqual(0.8);
        expect(Math.abs(g.px - im.width / 2)).toBeLessThan(0.25 * im.width);
        expect(Math.abs(g.py - im.height / 2)).toBeLessThan(0.25 * im.height);
      } else {
        expect(fill).toBeGreaterThanOrEqual(0.25);
        for (const o of onImage)
          if (o !== q) expect(o.bbox[0] > q.bbox[2] || o.bbox[2] < q.bbox[0] || o.bbox[1] > q.bbox[3] || o.bbox[3] < q.bbox[1]).toBe(true);
      }
    }
    for (const cat of new Set(ds.questions.map((q) => q.category))) {
      const quadrants = new Set(ds.questions.filter((q) => q.category === cat).map((q) => Math.floor(q.gold.azimuth / 90)));
      expect(quadrants.size, cat).toBe(4);
    }
  });

  it('starts every question from the gold pose perturbed by the required amounts', () => {
    let wrongSubtype = 0;
    for (const q of ds.questions) {
      const g = q.gold, s = q.initial;
      for (const d of [wrap(s.azimuth - g.azimuth), s.elevation - g.elevation, s.theta - g.theta, s.px - g.px, s.py - g.py]) {
        expect(Math.abs(d)).toBeGreaterThanOrEqual(10 - 1e-9);
        expect(Math.abs(d)).toBeLessThanOrEqual(40 + 1e-9);
      }
      const ratio = s.distance / g.distance;
      expect(Math.abs(ratio - 1)).toBeGreaterThanOrEqual(0.05 - 1e-9);
      expect(Math.abs(ratio - 1)).toBeLessThanOrEqual(0.15 + 1e-9);
      if (q.initialSubtype !== q.goldSubtype) wrongSubtype++;
    }
    expect(wrongSubtype).toBeGreaterThan(0);
    expect(wrongSubtype).toBeLessThan(ds.questions.length);
  });

  it('draws each photo so the object is exactly where the gold pose puts it, and not where the initial pose does', () => {
    const goldIous: number[] = [], initialIous: number[] = [];
    ds.images.forEach((im, idx) => {
      const scene = plan.scenes[idx]!;
      expect(scene.imageId).toBe(im.id);
      const photo = jpeg.decode(im.jpeg, { useTArray: true });
      expect([photo.width, photo.height]).toEqual([im.width, im.height]);
      // The same photo with the objects left out: background, floor, shadows, grain and vignette.
      const bg = toRgba(renderDemoScene(scene, { objects: false }));
      const w = im.width, h = im.height;
      const changed = new Uint8Array(w * h);
      for (let i = 0; i < w * h; i++) {
        const d = Math.abs(photo.data[4 * i]! - bg[4 * i]!) + Math.abs(photo.data[4 * i + 1]! - bg[4 * i + 1]!) + Math.abs(photo.data[4 * i + 2]! - bg[4 * i + 2]!);
        changed[i] = d > 45 ? 1 : 0;
      }
      const qs = ds.questions.filter((q) => q.imageId === im.id);
      const golds = qs.map((q) => mask(meshOf(q.category, q.goldSubtype), q.gold, q.viewport, w, h));
      qs.forEach((q: DemoQuestion, k) => {
        // This object's changed pixels: leave out the other objects of the photo.
        const mine = changed.slice();
        golds.forEach((m, j) => {
          if (j === k) return;
          const near = dilate(m, w, h, 3);
          for (let i = 0; i < mine.length; i++) if (near[i]) mine[i] = 0;
        });
        const gold = golds[k]!;
        const initial = mask(meshOf(q.category, q.initialSubtype), q.initial, q.viewport, w, h);
        const edge = outline(gold, w, h, 1);
        const gi = iou(mine, gold, edge), ii = iou(mine, initial, edge);
        goldIous.push(gi);
        initialIous.push(ii);
        expect(gi, `${q.id}: photo vs gold silhouette`).toBeGreaterThan(0.95);
        expect(ii, `${q.id}: photo vs initial silhouette`).toBeLessThan(Math.min(0.8, gi - 0.15));
      });
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    console.log(`silhouette IoU, photo vs gold: mean ${mean(goldIous).toFixed(3)} min ${Math.min(...goldIous).toFixed(3)}; vs initial: mean ${mean(initialIous).toFixed(3)} max ${Math.max(...initialIous).toFixed(3)}`);
  }, 120_000);
});

describe('demo JPEG encoder', () => {
  it('writes baseline JPEGs that jpeg-js decodes back to the same picture, at any size', () => {
    for (const [w, h] of [[1, 1], [37, 23], [64, 48], [250, 17]] as const) {
      const data = new Uint8Array(w * h * 4);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const o = 4 * (y * w + x);
          data[o] = (x * 255) / Math.max(1, w - 1);
          data[o + 1] = (y * 255) / Math.max(1, h - 1);
          data[o + 2] = 128 + 100 * Math.sin(x / 5 + y / 7);
          data[o + 3] = 255;
        }
      const bytes = encodeJpegRgba({ width: w, height: h, data }, 95);
      expect([bytes[0], bytes[1], bytes[bytes.length - 2], bytes[bytes.length - 1]]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
      const back = jpeg.decode(bytes, { useTArray: true });
      expect([back.width, back.height]).toEqual([w, h]);
      let se = 0;
      for (let i = 0; i < w * h * 4; i++) if (i % 4 !== 3) se += (back.data[i]! - data[i]!) ** 2;
      const psnr = 10 * Math.log10((255 * 255) / (se / (w * h * 3) || 1e-9));
      expect(psnr, `${w}x${h}`).toBeGreaterThan(30);
    }
  });
});
