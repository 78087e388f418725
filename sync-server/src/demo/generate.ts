// The generated demo dataset: procedural CAD models, photos rendered at known gold poses with the
// app's own camera model, questions whose initial pose is the gold one perturbed, and tasks. Nothing
// binary is stored anywhere: the same seed always gives byte-identical output.
import type { Dense, ObjectStatus, PoseJson } from '@in3d/shared/types';
import { demoCategoryId } from './category-ids';
import { demoCategories, type Mesh } from './meshes';
import {
  type BackgroundKind,
  type BackgroundSpec,
  type Rgb,
  type Rng,
  type SceneObject,
  RgbImage,
  canDrawFloor,
  drawObjects,
  drawShadow,
  encodeJpeg,
  finish,
  hash2,
  mulberry32,
  paintBackground,
  projectedBBox,
  projectedExtent,
  silhouetteMask,
} from './raster';

export interface DemoCad {
  category: string;
  /** 1-based. */
  subtype: number;
  name: string;
  mesh: Mesh;
}
/** Degrees / object units / pixels: the wire pose of shared/src/types.ts. */
export type DemoPose = PoseJson;
export interface DemoQuestion {
  id: string;
  category: string;
  imageId: string;
  /** x1, y1, x2, y2 in pixels: the projected gold mesh clipped to [0, width-1] x [0, height-1]. */
  bbox: [number, number, number, number];
  viewport: number;
  gold: DemoPose;
  goldSubtype: number;
  /** The true labels: partially visible when the object runs off the photo; demo photos are never dense. */
  goldObjectStatus: ObjectStatus;
  goldDense: Dense;
  initial: DemoPose;
  initialSubtype: number;
}
export interface DemoImage {
  id: string;
  category: string;
  /** `<id>.JPEG`, as ImageNet photos are named. */
  fileName: string;
  width: number;
  height: number;
  jpeg: Uint8Array;
}
export interface DemoTask {
  id: string;
  name: string;
  questionIds: string[];
}
export interface DemoDataset {
  cads: DemoCad[];
  images: DemoImage[];
  questions: DemoQuestion[];
  tasks: DemoTask[];
}

export interface DemoOptions {
  seed?: number;
  photosPerCategory?: number;
}

/** Everything needed to draw one photo; `renderDemoScene` turns it into pixels. */
export interface DemoScene {
  imageId: string;
  category: string;
  width: number;
  height: number;
  background: BackgroundSpec;
  objects: SceneObject[];
  /** Floor height (lowest mesh z) per object, used for the floor and shadows. */
  floorZ: number[];
  shadows: boolean;
  grainSeed: number;
  grain: number;
  vignette: number;
}

export interface DemoPlan {
  cads: DemoCad[];
  images: Omit<DemoImage, 'jpeg'>[];
  questions: DemoQuestion[];
  tasks: DemoTask[];
  scenes: DemoScene[];
}

export const DEFAULT_SEED = 20240611;
const SUPERSAMPLE = 2;
const JPEG_QUALITY = 90;
/** Largest silhouette IoU allowed between a question's initial and gold poses. */
const MAX_INITIAL_IOU = 0.7;

interface CategoryStyle {
  sizes: ReadonlyArray<readonly [number, number]>;
  elevation: readonly [number, number];
  backgrounds: ReadonlyArray<readonly [BackgroundKind, number]>;
  /** Every n-th photo (n > 0) shows two objects side by side; 0 = never. */
  pairEvery: number;
  colours: readonly Rgb[];
}

const LANDSCAPE = [[640, 480], [480, 360], [500, 375], [600, 450], [640, 427], [512, 384], [560, 420], [500, 333]] as const;

const STYLES: Record<string, CategoryStyle> = {
  chair: {
    sizes: [...LANDSCAPE, [375, 500], [360, 480]],
    elevation: [-10, 45],
    backgrounds: [['room', 4], ['studio', 2], ['clutter', 2], ['texture', 1], ['stripes', 1]],
    pairEvery: 4,
    colours: [[205, 118, 52], [176, 52, 44], [58, 92, 178], [66, 140, 72], [214, 178, 64], [226, 222, 210], [140, 88, 52], [120, 70, 150], [40, 142, 146], [222, 92, 40]],
  },
  car: {
    sizes: LANDSCAPE,
    elevation: [-5, 40],
    backgrounds: [['outdoor', 5], ['studio', 2], ['clutter', 1], ['texture', 1]],
    pairEvery: 5,
    colours: [[196, 40, 36], [44, 84, 176], [224, 224, 218], [200, 170, 40], [205, 118, 52], [60, 150, 90], [170, 176, 184], [30, 150, 170], [232, 122, 30], [40, 110, 215], [236, 204, 40]],
  },
  tvmonitor: {
    sizes: LANDSCAPE,
    elevation: [-10, 40],
    backgrounds: [['room', 4], ['studio', 2], ['stripes', 2], ['clutter', 2], ['texture', 1]],
    pairEvery: 0,
    colours: [[205, 118, 52], [60, 96, 180], [215, 215, 210], [176, 60, 50], [70, 150, 90], [200, 176, 70], [140, 90, 160], [40, 110, 215], [226, 96, 40]],
  },
};

const uniform = (r: Rng, a: number, b: number) => a + (b - a) * r();
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const signed = (r: Rng, a: number, b: number) => (r() < 0.5 ? -1 : 1) * uniform(r, a, b);

function weighted<T>(r: Rng, xs: ReadonlyArray<readonly [T, number]>): T {
  const total = xs.reduce((s, [, w]) => s + w, 0);
  let u = r() * total;
  for (const [x, w] of xs) {
    u -= w;
    if (u < 0) return x;
  }
  return xs[xs.length - 1]![0];
}

/** A muted colour: random hue, low saturation. */
function muted(r: Rng, vLo = 0.35, vHi = 0.85, sHi = 0.3): Rgb {
  const h = r() * 6, s = uniform(r, 0.05, sHi), v = uniform(r, vLo, vHi) * 255;
  const i = Math.floor(h), f = h - i;
  const p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  const table: Rgb[] = [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]];
  return table[i % 6]!;
}

function backgroundSpec(r: Rng, kind: BackgroundKind, seed: number): BackgroundSpec {
  switch (kind) {
    case 'studio': {
      const top = muted(r, 0.6, 0.9, 0.12);
      const k = uniform(r, 0.45, 0.7);
      return { kind, seed, palette: [top, [top[0] * k, top[1] * k, top[2] * k]] };
    }
    case 'texture':
      return { kind, seed, palette: [muted(r, 0.3, 0.7), muted(r, 0.4, 0.8)], scale: uniform(r, 25, 110) };
    case 'stripes': {
      const a = muted(r, 0.55, 0.85, 0.25);
      const k = uniform(r, 0.7, 0.88);
      return { kind, seed, palette: [a, [a[0] * k, a[1] * k, a[2] * k]], scale: uniform(r, 14, 60), angle: r() < 0.6 ? 0 : uniform(r, -50, 50) };
    }
    case 'clutter':
      return { kind, seed, palette: [muted(r, 0.55, 0.85), muted(r, 0.3, 0.6), muted(r, 0.3, 0.8), muted(r, 0.3, 0.8), muted(r, 0.2, 0.7)] };
    case 'room': {
      const floor = pick(r, ['checker', 'planks', 'carpet'] as const);
      const floorCols: [Rgb, Rgb] =
        floor === 'planks'
          ? [[uniform(r, 120, 170), uniform(r, 80, 110), uniform(r, 45, 70)], [uniform(r, 90, 120), uniform(r, 58, 75), uniform(r, 32, 45)]]
          : floor === 'checker'
            ? [muted(r, 0.7, 0.9, 0.1), muted(r, 0.25, 0.45, 0.15)]
            : [muted(r, 0.35, 0.6), muted(r, 0.25, 0.45)];
      const wall = muted(r, 0.65, 0.92, 0.18);
      return {
        kind,
        seed,
        floor,
        palette: [...floorCols, wall, [wall[0] * 0.9, wall[1] * 0.9, wall[2] * 0.88]],
        scale: floor === 'carpet' ? uniform(r, 0.1, 0.4) : uniform(r, 0.3, 0.6),
        wall: r() < 0.85 ? { yaw: uniform(r, -35, 35), distance: uniform(r, 0.9, 2.5) } : null,
      };
    }
    case 'outdoor': {
      const floor = r() < 0.7 ? 'asphalt' : 'grass';
      const ground: [Rgb, Rgb] =
        floor === 'asphalt'
          ? [[uniform(r, 85, 115), uniform(r, 85, 115), uniform(r, 88, 120)], [uniform(r, 55, 70), uniform(r, 55, 70), uniform(r, 58, 75)]]
          : [[uniform(r, 80, 110), uniform(r, 120, 150), uniform(r, 50, 70)], [uniform(r, 45, 65), uniform(r, 80, 100), uniform(r, 30, 45)]];
      const sky: Rgb = [uniform(r, 130, 175), uniform(r, 170, 200), uniform(r, 215, 240)];
      return { kind, seed, floor, palette: [...ground, sky, [uniform(r, 70, 100), uniform(r, 85, 110), uniform(r, 75, 95)]], scale: 0.5 };
    }
  }
}

const colourDistance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/**
 * An object colour from the category's list that stands out from every background colour, in both its
 * lit and its shadowed shades.
 */
function objectColour(r: Rng, style: CategoryStyle, bg: BackgroundSpec, avoid: Rgb | null): Rgb {
  const shade = (c: Rgb, k: number): Rgb => [Math.min(255, c[0] * k), Math.min(255, c[1] * k), Math.min(255, c[2] * k)];
  // Faces range from ambient-only to fully lit; backgrounds vary around their palette (light spots, noise).
  const score = (c: Rgb) => Math.min(...[0.4, 0.75, 1.1].flatMap((k) => bg.palette.flatMap((p) => [0.9, 1.15].map((b) => colourDistance(shade(c, k), shade(p, b))))));
  const ok = style.colours.filter((c) => score(c) > 60 && c !== avoid);
  if (ok.length > 0) return pick(r, ok);
  return [...style.colours].sort((a, b) => score(b) - score(a))[0]!;
}

function maskIou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0, union = 0;
  for (let i = 0; i < a.length; i++) {
    inter += a[i]! & b[i]!;
    union += a[i]! | b[i]!;
  }
  return union === 0 ? 0 : inter / union;
}

function lowestZ(mesh: Mesh): number {
  let z = Infinity;
  for (let i = 2; i < mesh.positions.length; i += 3) z = Math.min(z, mesh.positions[i]!);
  return z;
}

/** Distance at which the projected extent is `fill` times the given box (px = py = 0 while solving). */
function solveDistance(mesh: Mesh, pose: DemoPose, viewport: number, boxW: number, boxH: number, fill: number): number {
  let d = 6;
  for (let it = 0; it < 6; it++) {
    const e = projectedExtent(mesh, { ...pose, distance: d, px: 0, py: 0 }, viewport);
    const s = Math.max((e[2] - e[0]) / boxW, (e[3] - e[1]) / boxH);
    d *= s / fill;
  }
  return d;
}

/** A principal point that puts the projected extent inside [lo, hi] with some freedom (`jitter` of the slack). */
function place(r: Rng, eLo: number, eHi: number, lo: number, hi: number, jitter: number): number {
  const a = lo - eLo, b = hi - eHi;
  if (a >= b) return (a + b) / 2;
  return (a + b) / 2 + (r() - 0.5) * (b - a) * jitter;
}

function perturb(r: Rng, g: DemoPose): DemoPose {
  return {
    azimuth: (((g.azimuth + signed(r, 10, 40)) % 360) + 360) % 360,
    elevation: Math.max(-80, Math.min(80, g.elevation + signed(r, 10, 40))),
    theta: g.theta + signed(r, 10, 40),
    distance: g.distance * (1 + signed(r, 0.05, 0.15)),
    px: g.px + signed(r, 10, 40),
    py: g.py + signed(r, 10, 40),
  };
}

/** Plans the whole dataset (poses, backgrounds, colours) without drawing anything. */
export function planDemoDataset(opts: DemoOptions = {}): DemoPlan {
  const seed = (opts.seed ?? DEFAULT_SEED) >>> 0;
  const perCategory = Math.max(1, Math.floor(opts.photosPerCategory ?? 8));
  const categories = demoCategories();
  const cads: DemoCad[] = categories.flatMap((c) => c.subtypes.map((s) => ({ category: demoCategoryId(c.category), subtype: s.subtype, name: s.name, mesh: s.mesh })));
  const images: Omit<DemoImage, 'jpeg'>[] = [];
  const questions: DemoQuestion[] = [];
  const scenes: DemoScene[] = [];
  const tasks: DemoTask[] = [];

  categories.forEach((cat, ci) => {
    const style = STYLES[cat.category]!;
    const catRng = mulberry32(Math.floor(hash2(seed, ci, 0x51ed) * 2 ** 32));
    // Azimuths stratified all round the object, in a shuffled order.
    const azimuths = Array.from({ length: perCategory }, (_, k) => ((k + catRng()) * 360) / perCategory);
    for (let k = azimuths.length - 1; k > 0; k--) {
      const j = Math.floor(catRng() * (k + 1));
      [azimuths[k], azimuths[j]] = [azimuths[j]!, azimuths[k]!];
    }
    const task: DemoTask = { id: `demo-${cat.category}`, name: `Demo: ${cat.category}`, questionIds: [] };
    tasks.push(task);

    for (let k = 0; k < perCategory; k++) {
      const r = mulberry32(Math.floor(hash2(seed, ci * 1000 + k, 0x1a6e) * 2 ** 32));
      const imageId = `demo_${cat.category}_${String(k + 1).padStart(4, '0')}`;
      const pair = style.pairEvery > 0 && k % style.pairEvery === style.pairEvery - 2;
      const [width, height] = pick(r, pair ? LANDSCAPE : style.sizes);
      let viewport = r() < 0.75 ? 3000 : 2000;
      const elevation = uniform(r, style.elevation[0], style.elevation[1]);
      const theta = (r() + r() - 1) * 20;
      const subtypes = pair ? [pick(r, cat.subtypes), pick(r, cat.subtypes)] : [pick(r, cat.subtypes)];
      const az = [azimuths[k]!, uniform(r, 0, 360)];
      const boxW = pair ? width / 2 : width;
      const fill = pair ? uniform(r, 0.6, 0.8) : uniform(r, 0.45, 0.78);
      const base = subtypes.map((s, i) => ({ azimuth: az[i]!, elevation, theta, distance: 0, px: 0, py: 0, mesh: s.mesh }));
      // One distance for all objects of a photo: they stand side by side at the same range.
      const solve = () => Math.max(...base.map((b) => solveDistance(b.mesh, b, viewport, boxW, height, fill)));
      let distance = solve();
      // Keep the distance in the usual ImageNet3D range (about 4-10) by switching focal length.
      if (distance > 10.5 && viewport === 3000) viewport = 2000;
      else if (distance < 4 && viewport === 2000) viewport = 3000;
      distance = solve();
      const golds: DemoPose[] = [];
      if (!pair) {
        const b = base[0]!;
        const e = projectedExtent(b.mesh, { ...b, distance }, viewport);
        const mx = 0.03 * width, my = 0.03 * height;
        golds.push({ azimuth: b.azimuth, elevation, theta, distance, px: place(r, e[0], e[2], mx, width - mx, 0.7), py: place(r, e[1], e[3], my, height - my, 0.7) });
      } else {
        // Side by side, standing on a common baseline.
        const ext = base.map((b) => projectedExtent(b.mesh, { ...b, distance }, viewport));
        const my = 0.03 * height;
        const tallest = Math.max(...ext.map((e) => e[3] - e[1]));
        const baseline = place(r, -tallest, 0, my, height - my, 0.6);
        base.forEach((b, i) => {
          const e = ext[i]!;
          const lo = i === 0 ? 0.03 * width : width / 2 + 0.02 * width;
          const hi = i === 0 ? width / 2 - 0.02 * width : width - 0.03 * width;
          golds.push({ azimuth: b.azimuth, elevation, theta, distance, px: place(r, e[0], e[2], lo, hi, 0.6), py: baseline - e[3] });
        });
      }

      // Background: floor scenes need the camera above the floor.
      const floorZ = subtypes.map((s) => lowestZ(s.mesh));
      const ground = { pose: golds[0]!, viewport, floorZ: floorZ[0]! };
      let kind = weighted(r, style.backgrounds);
      if ((kind === 'room' || kind === 'outdoor') && !canDrawFloor(ground)) kind = r() < 0.5 ? 'studio' : 'clutter';
      const background = backgroundSpec(r, kind, Math.floor(r() * 2 ** 31));
      const light = { azimuth: signed(r, 25, 110), elevation: uniform(r, 35, 70) };
      let prev: Rgb | null = null;
      const objects: SceneObject[] = golds.map((g, i) => {
        const color = objectColour(r, style, background, prev);
        prev = color;
        return { mesh: subtypes[i]!.mesh, pose: g, viewport, color, light };
      });

      images.push({ id: imageId, category: demoCategoryId(cat.category), fileName: `${imageId}.JPEG`, width, height });
      scenes.push({
        imageId,
        category: demoCategoryId(cat.category),
        width,
        height,
        background,
        objects,
        floorZ,
        shadows: kind === 'room' || kind === 'outdoor',
        grainSeed: Math.floor(r() * 2 ** 31),
        grain: uniform(r, 3, 8),
        vignette: uniform(r, 0.05, 0.22),
      });

      golds.forEach((gold, i) => {
        const sub = subtypes[i]!;
        let initialSubtype = sub.subtype;
        if (r() < 0.35) {
          const others = cat.subtypes.filter((s) => s.subtype !== sub.subtype);
          initialSubtype = pick(r, others).subtype;
        }
        const bbox = projectedBBox(sub.mesh, gold, viewport, width, height);
        if (!bbox) throw new Error(`demo: ${imageId} object ${i} is off the image`);
        const extent = projectedExtent(sub.mesh, gold, viewport);
        const clipped = extent[0] < 0 || extent[1] < 0 || extent[2] > width - 1 || extent[3] > height - 1;
        // The initial pose must visibly miss: redraw the perturbation while the silhouettes still overlap a lot.
        // (Checked at half resolution: halving the focal length and principal point halves every pixel coordinate.)
        const half = (p: DemoPose, m: Mesh) => silhouetteMask(m, { ...p, px: p.px / 2, py: p.py / 2 }, viewport / 2, Math.ceil(width / 2), Math.ceil(height / 2));
        const goldMask = half(gold, sub.mesh);
        const initialMesh = cat.subtypes.find((s) => s.subtype === initialSubtype)!.mesh;
        let initial = perturb(r, gold);
        for (let tries = 0; tries < 20 && maskIou(goldMask, half(initial, initialMesh)) > MAX_INITIAL_IOU; tries++) initial = perturb(r, gold);
        const id = `${imageId}_${String(i).padStart(2, '0')}`;
        questions.push({
          id, category: demoCategoryId(cat.category), imageId, bbox, viewport, gold, goldSubtype: sub.subtype,
          goldObjectStatus: clipped ? 'status_partially' : 'status_good', goldDense: 'dense_no', initial, initialSubtype,
        });
        task.questionIds.push(id);
      });
    }
  });
  return { cads, images, questions, tasks, scenes };
}

/** Draws one planned photo; without `objects` it is the same photo with the objects left out. */
export function renderDemoScene(scene: DemoScene, opts: { objects?: boolean } = {}): RgbImage {
  const img = new RgbImage(scene.width, scene.height);
  const first = scene.objects[0]!;
  paintBackground(img, scene.background, { pose: first.pose, viewport: first.viewport, floorZ: scene.floorZ[0]! });
  if (scene.shadows) scene.objects.forEach((o, i) => drawShadow(img, o, scene.floorZ[i]!));
  if (opts.objects !== false) drawObjects(img, scene.objects, SUPERSAMPLE);
  finish(img, scene.grainSeed, scene.grain, scene.vignette);
  return img;
}

/** The demo dataset: CAD models, JPEG photos, questions and tasks, all derived from `seed`. */
export function generateDemoDataset(opts: DemoOptions = {}): DemoDataset {
  const plan = planDemoDataset(opts);
  const images: DemoImage[] = plan.images.map((im, i) => ({ ...im, jpeg: encodeJpeg(renderDemoScene(plan.scenes[i]!), JPEG_QUALITY) }));
  return { cads: plan.cads, images, questions: plan.questions, tasks: plan.tasks };
}
