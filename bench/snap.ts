// Snap to photo, from the initial (model-predicted) poses: median rotation error (degrees), centre
// error (pixels between projected origins) and distance ratio before and after, on the fixture legacy
// photos and on the generated demo questions, plus the time per Snap (p50/p95, in node; the worker
// adds one image transfer). Alone: `npx tsx bench/snap.ts [legacy|demo]`.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { rotationErrorDegrees } from '@in3d/shared/camera';
import { parseOff } from '@in3d/shared/mesh/off';
import type { Mesh } from '@in3d/shared/mesh/types';
import { prepareSnapModel, type SnapModel } from '@in3d/shared/snap/model';
import { snapPose } from '@in3d/shared/snap/search';
import type { RgbaImage } from '@in3d/shared/snap/image-edges';
import type { PoseJson } from '@in3d/shared/types';
import { generateDemoDataset } from '../sync-server/src/demo/generate';
import { hasFixtures, IMAGENET3D, missingFixturesLine } from '../shared/test/fixtures';

const legacyDir = `${IMAGENET3D}/legacy/`;
const cadDir = `${IMAGENET3D}/cad/`;

export interface SnapCase {
  name: string;
  image: RgbaImage;
  bbox: [number, number, number, number];
  viewport: number;
  initial: PoseJson;
  gold: PoseJson;
  model: SnapModel;
}

interface GoldEntry {
  gold_pose_degrees: PoseJson;
  initial_pose_degrees: PoseJson;
  viewport: number;
  cad_index: number;
  bbox: [number, number, number, number];
  image: string | null;
}

// The app's wall-clock safety valve would cut the search short on a busy machine and make the figures
// depend on the load; the bench measures the whole search.
const UNBOUNDED = { budgetMs: Infinity };

const decode = (bytes: Uint8Array): RgbaImage => jpeg.decode(bytes, { useTArray: true });

export function legacyCases(): SnapCase[] {
  const gold = JSON.parse(readFileSync(`${legacyDir}gold.json`, 'utf8')) as Record<string, GoldEntry | { objects: unknown }>;
  const models = new Map<string, SnapModel>();
  const out: SnapCase[] = [];
  for (const [id, q] of Object.entries(gold)) {
    if (!('image' in q) || !q.image) continue;
    const category = id.split('_')[1]!;
    const key = `${category}/${String(q.cad_index).padStart(2, '0')}`;
    let model = models.get(key);
    if (!model) {
      const off = parseOff(readFileSync(`${cadDir}${key}.off`, 'utf8'));
      if (!off.ok) throw new Error(`${key}: ${off.error.message}`);
      models.set(key, (model = prepareSnapModel(off.mesh)));
    }
    out.push({ name: id, image: decode(readFileSync(`${legacyDir}${q.image}`)), bbox: q.bbox, viewport: q.viewport, initial: q.initial_pose_degrees, gold: q.gold_pose_degrees, model });
  }
  return out;
}

/**
 * The demo questions, each with the mesh it was drawn with (Snap refines the pose, not the subtype),
 * or with `subtype: 'initial'` the question's initial subtype, which is wrong for about a third.
 */
export function demoCases(subtype: 'gold' | 'initial' = 'gold'): SnapCase[] {
  const ds = generateDemoDataset();
  const models = new Map<string, SnapModel>();
  const modelOf = (category: string, subtype: number) => {
    const key = `${category}/${subtype}`;
    let m = models.get(key);
    if (!m) models.set(key, (m = prepareSnapModel(ds.cads.find((c) => c.category === category && c.subtype === subtype)!.mesh as Mesh)));
    return m;
  };
  const images = new Map(ds.images.map((im) => [im.id, im]));
  return ds.questions.map((q) => ({
    name: q.id,
    image: decode(images.get(q.imageId)!.jpeg),
    bbox: q.bbox,
    viewport: q.viewport,
    initial: q.initial,
    gold: q.gold,
    model: modelOf(q.category, subtype === 'gold' ? q.goldSubtype : q.initialSubtype),
  }));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;

function errors(p: PoseJson, g: PoseJson) {
  return { rot: rotationErrorDegrees(p, g), centre: Math.hypot(p.px - g.px, p.py - g.py), ratio: Math.max(p.distance / g.distance, g.distance / p.distance) };
}

export function evaluate(label: string, cases: SnapCase[], verbose = false): void {
  const before: ReturnType<typeof errors>[] = [], after: ReturnType<typeof errors>[] = [], ms: number[] = [], cpu: number[] = [];
  // One warm-up Snap, not counted, so the JIT has compiled the hot loops (as after the first Snap in the app).
  const w = cases[0];
  if (w) snapPose({ image: w.image, bbox: w.bbox, viewport: w.viewport, pose: w.initial, model: w.model }, UNBOUNDED);
  for (const c of cases) {
    const u0 = process.cpuUsage();
    const r = snapPose({ image: c.image, bbox: c.bbox, viewport: c.viewport, pose: c.initial, model: c.model }, UNBOUNDED);
    const u = process.cpuUsage(u0);
    cpu.push((u.user + u.system) / 1000);
    if (!r.ok) throw new Error(`${c.name}: ${r.error}`);
    const b = errors(c.initial, c.gold), a = errors(r.pose, c.gold);
    before.push(b);
    after.push(a);
    ms.push(r.ms);
    if (verbose) console.log(`  ${c.name} rot ${b.rot.toFixed(1)} -> ${a.rot.toFixed(1)}  centre ${b.centre.toFixed(1)} -> ${a.centre.toFixed(1)}  ratio ${b.ratio.toFixed(3)} -> ${a.ratio.toFixed(3)}  score ${r.scoreBefore.toFixed(3)} -> ${r.scoreAfter.toFixed(3)}  ${r.ms.toFixed(0)} ms (cpu ${cpu[cpu.length - 1]!.toFixed(0)}) ${r.evaluations} evals`);
  }
  const med = (xs: ReturnType<typeof errors>[], k: 'rot' | 'centre' | 'ratio') => median(xs.map((x) => x[k]));
  console.log(`snap ${label} questions ${cases.length}`);
  console.log(`snap ${label} rotation_error_deg_median before ${med(before, 'rot').toFixed(1)} after ${med(after, 'rot').toFixed(1)}`);
  console.log(`snap ${label} centre_error_px_median before ${med(before, 'centre').toFixed(1)} after ${med(after, 'centre').toFixed(1)}`);
  console.log(`snap ${label} distance_ratio_median before ${med(before, 'ratio').toFixed(3)} after ${med(after, 'ratio').toFixed(3)}`);
  console.log(`snap ${label} within_10deg before ${before.filter((e) => e.rot < 10).length} after ${after.filter((e) => e.rot < 10).length}`);
  console.log(`snap ${label} time_ms p50 ${quantile(ms, 0.5).toFixed(0)} p95 ${quantile(ms, 0.95).toFixed(0)}`);
  // CPU time of this process per Snap: what the search costs, whatever else the machine is running.
  console.log(`snap ${label} cpu_ms p50 ${quantile(cpu, 0.5).toFixed(0)} p95 ${quantile(cpu, 0.95).toFixed(0)}`);
}

/** Time only: the densest fixture meshes snapped against a legacy photo (the fit itself means nothing). */
function timeLargeMeshes(photoCase: SnapCase): void {
  for (const name of ['motorbike/02', 'microphone/01']) {
    const off = parseOff(readFileSync(`${cadDir}${name}.off`, 'utf8'));
    if (!off.ok) throw new Error(`${name}: ${off.error.message}`);
    let t = process.cpuUsage();
    const model = prepareSnapModel(off.mesh);
    const prep = process.cpuUsage(t);
    const cpu: number[] = [];
    for (let k = 0; k < 3; k++) {
      t = process.cpuUsage();
      snapPose({ image: photoCase.image, bbox: photoCase.bbox, viewport: photoCase.viewport, pose: photoCase.initial, model }, UNBOUNDED);
      const u = process.cpuUsage(t);
      cpu.push((u.user + u.system) / 1000);
    }
    console.log(`snap mesh ${name} triangles ${off.mesh.triangles.length / 3} prepare_cpu_ms ${((prep.user + prep.system) / 1000).toFixed(0)} snap_cpu_ms_median ${median(cpu).toFixed(0)}`);
  }
}

export async function run(): Promise<void> {
  const which = process.argv.slice(2).filter((a) => a === 'legacy' || a === 'demo');
  const verbose = process.env.SNAP_VERBOSE === '1';
  // Wall time depends on what else runs; CPU time much less so. Both are printed, with the load.
  console.log(`snap machine load_1min ${loadavg()[0]!.toFixed(1)} cores ${availableParallelism()}`);
  if (which.length === 0 || which.includes('legacy')) {
    if (hasFixtures) {
      const cases = legacyCases();
      evaluate('legacy', cases, verbose);
      timeLargeMeshes(cases[0]!);
    }
    else console.log(`snap legacy skipped: ${missingFixturesLine}`);
  }
  if (which.length === 0 || which.includes('demo')) {
    evaluate('demo', demoCases(), verbose);
    // In the app Snap uses the subtype shown; starting from the initial one shows what a wrong mesh costs.
    evaluate('demo_initial_subtype', demoCases('initial'), verbose);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
