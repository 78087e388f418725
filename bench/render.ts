// Renderer speed in headless Chromium on this machine, through the real client, worker and comlink.
// `render <mesh> <backend> <figure> <value>`, one figure a line:
//   pose_p50_ms / pose_p95_ms   a pose change to its complete frame (render() call → resolved)
//   drag_p50_ms / drag_p95_ms   the same while dragging (`interacting`, level of detail allowed)
//   next_question_*_ms          opening the next question with a warm cache: decode the photo and the
//                               mesh, first complete frame (photo/mesh/frame: its parts)
//   next_question_same_cad_*_ms the same when the mesh is already loaded (same subtype as before)
//   <mode>_pose_p50/p95_ms      complete frames in the silhouette and shaded overlays
//   edges_pose_p50/p95_ms       feature edges (the default overlay), for every fixture mesh, smallest
//                               to microphone/01 (110k faces); edges_1px_*: the same with 1 px lines
//                               (buffers per pixel, not per 2x2 cell), alternated with the default
//   edges_dpr2_*, shaded_dpr2_* the same at devicePixelRatio 2 (a 2400x1600 canvas)
//   edges_with_gallery_*        feature edges while the subtype gallery redraws all of the category's
//                               subtypes at every pose (each run cancelling the one before)
// Each run starts with the load average (other processes share the cores: compare within one run).
// The canvas is 1200x800 CSS px at dpr 1 with a 500x375 photo fitted in it, the model about 70% of the
// photo's height. Backend 'auto' (what the app uses) picks the CPU path here, as software WebGL;
// forced WebGL on the same software GL is printed for comparison.
// Alone: `npx tsx bench/render.ts`; with the others: `npm run bench`.
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeMesh } from '@in3d/shared/mesh/codec';
import type { SceneState } from '../pwa/src/render/contract';
import { boundingRadius } from '../pwa/src/render/worker/view';
import { call, FIXTURES, fixtureMesh, launchChromium, openHarness, serveRenderPage } from './render-page/serve';

// RENDER_BENCH_ONLY=motorbike/02,... limits the meshes; RENDER_BENCH_WEBGL=0 skips the WebGL comparison.
export const needsFixtures = true;
const MESHES = process.env.RENDER_BENCH_ONLY?.split(',') ?? ['chair/01', 'car/01', 'motorbike/02', 'microphone/01'];
// RENDER_BENCH_PART=edges runs only the feature-edge part.
const BACKENDS = process.env.RENDER_BENCH_PART === 'edges' ? [] : process.env.RENDER_BENCH_WEBGL === '0' ? (['auto'] as const) : (['auto', 'webgl'] as const);
const PHOTO = 'images/chair/n03001627_101_00.JPEG';
const PHOTO_SIZE = { width: 500, height: 375 };
const CANVAS = { width: 1200, height: 800 };
const VIEWPORT = 3000;
const POSES = 100;
const OPENS = 10;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

function sceneFor(meshName: string): SceneState {
  const decoded = decodeMesh(fixtureMesh(meshName));
  if (!decoded.ok) throw new Error(`${meshName}: ${decoded.error}`);
  // Distance that makes the bounding sphere about 70% of the photo's height.
  const distance = (VIEWPORT * boundingRadius(decoded.mesh)) / (0.35 * PHOTO_SIZE.height);
  const zoom = Math.min(CANVAS.width / PHOTO_SIZE.width, CANVAS.height / PHOTO_SIZE.height);
  return {
    meshKey: meshName,
    pose: { azimuth: 30, elevation: 15, theta: -5, distance, px: PHOTO_SIZE.width / 2, py: PHOTO_SIZE.height / 2 },
    viewport: VIEWPORT,
    photo: PHOTO_SIZE,
    bbox: [60, 20, 440, 360],
    overlay: { mode: 'wireframe', opacity: 0.7, visible: true, color: '#ff3bd4' },
    view: 'overlay',
    zoom,
    offset: { x: (CANVAS.width - PHOTO_SIZE.width * zoom) / 2, y: (CANVAS.height - PHOTO_SIZE.height * zoom) / 2 },
    interacting: false,
  };
}

const fmt = (x: number) => x.toFixed(1);

/** Every fixture mesh as `category/NN`, fewest triangles first. */
function allFixtureMeshes(): string[] {
  const cad = join(FIXTURES, 'cad');
  const names = readdirSync(cad).flatMap((c) => readdirSync(join(cad, c)).filter((f) => f.endsWith('.off')).map((f) => `${c}/${f.slice(0, -4)}`));
  const size = new Map(names.map((n) => [n, fixtureMesh(n).length]));
  return names.sort((a, b) => size.get(a)! - size.get(b)!);
}

export async function run(): Promise<void> {
  console.log(`render load_average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const site = await serveRenderPage();
  const browser = await launchChromium();
  try {
    const page = await openHarness(browser, site.url);
    for (const backend of BACKENDS) {
      const started = await call(page, 'start', { backend, worker: true, ...CANVAS });
      const b = started.backend;
      await call(page, 'setPhoto', PHOTO);
      for (const name of MESHES) {
        const scene = sceneFor(name);
        const loaded = await call(page, 'loadMesh', name, name);
        if (!loaded.ok) throw new Error(`${name}: ${loaded.error}`);
        const line = (figure: string, value: string | number) => console.log(`render ${name} ${b} ${figure} ${value}`);
        if (backend === 'webgl') {
          // Software WebGL for comparison only: fewer frames, it is slow.
          await call(page, 'runPoses', scene, 5);
          const final = await call(page, 'runPoses', scene, 30);
          line('pose_p50_ms', fmt(percentile(final.times, 50)));
          line('pose_p95_ms', fmt(percentile(final.times, 95)));
          continue;
        }
        line('edges', loaded.edgeCount);
        line('triangles', loaded.triangleCount);
        await call(page, 'runPoses', scene, 20); // warm-up: JIT, buffers
        const final = await call(page, 'runPoses', scene, POSES);
        const drag = await call(page, 'runPoses', { ...scene, interacting: true }, POSES);
        line('pose_p50_ms', fmt(percentile(final.times, 50)));
        line('pose_p95_ms', fmt(percentile(final.times, 95)));
        line('pose_frame_p95_ms', fmt(percentile(final.frameMs, 95)));
        line('drag_p50_ms', fmt(percentile(drag.times, 50)));
        line('drag_p95_ms', fmt(percentile(drag.times, 95)));
        line('drag_drawn_fraction', (drag.drawn.reduce((a, x) => a + x, 0) / final.drawn.reduce((a, x) => a + x, 0)).toFixed(2));
        for (const mode of ['silhouette', 'shaded'] as const) {
          const s = { ...scene, overlay: { ...scene.overlay, mode } };
          await call(page, 'runPoses', s, 5);
          const times = (await call(page, 'runPoses', s, 50)).times;
          line(`${mode}_pose_p50_ms`, fmt(percentile(times, 50)));
          line(`${mode}_pose_p95_ms`, fmt(percentile(times, 95)));
        }
        const opens = await call(page, 'runOpen', scene, name, PHOTO, OPENS);
        line('next_question_p50_ms', fmt(percentile(opens.times, 50)));
        line('next_question_max_ms', fmt(Math.max(...opens.times)));
        line('next_question_photo_p50_ms', fmt(percentile(opens.photoMs, 50)));
        line('next_question_mesh_p50_ms', fmt(percentile(opens.meshMs, 50)));
        line('next_question_frame_p50_ms', fmt(percentile(opens.frameMs, 50)));
        const same = await call(page, 'runOpen', scene, name, PHOTO, OPENS, false);
        line('next_question_same_cad_p50_ms', fmt(percentile(same.times, 50)));
        line('next_question_same_cad_max_ms', fmt(Math.max(...same.times)));
      }
    }
    // Feature edges, the default overlay, on every fixture mesh through the backend the app picks, at
    // devicePixelRatio 1 and 2. At dpr 1 the default line width (sampled on 2x2-pixel cells) alternates
    // with 1 px lines (sampled per pixel) in blocks, so the two figures see the same machine load.
    const only = process.env.RENDER_BENCH_ONLY?.split(',');
    const all = allFixtureMeshes().filter((n) => !only || only.includes(n));
    for (const dpr of [1, 2]) {
      const started = await call(page, 'start', { backend: 'auto', worker: true, ...CANVAS, dpr });
      await call(page, 'setPhoto', PHOTO);
      const tag = dpr === 1 ? '' : `_dpr${dpr}`;
      for (const name of all) {
        const loaded = await call(page, 'loadMesh', name, name);
        if (!loaded.ok) throw new Error(`${name}: ${loaded.error}`);
        const scene = sceneFor(name);
        const s = { ...scene, overlay: { ...scene.overlay, mode: 'edges' as const } };
        const thin = { ...s, overlay: { ...s.overlay, lineWidth: 1 } };
        const line = (figure: string, value: string | number) => console.log(`render ${name} ${started.backend} ${figure} ${value}`);
        await call(page, 'runPoses', s, 10);
        const times: number[] = [], frames: number[] = [], thinTimes: number[] = [];
        for (let block = 0; block < 6; block++) {
          const r = await call(page, 'runPoses', s, 10);
          times.push(...r.times);
          frames.push(...r.frameMs);
          if (dpr === 1) thinTimes.push(...(await call(page, 'runPoses', thin, 10)).times);
        }
        if (dpr === 1) line('triangles', loaded.triangleCount);
        line(`edges${tag}_pose_p50_ms`, fmt(percentile(times, 50)));
        line(`edges${tag}_pose_p95_ms`, fmt(percentile(times, 95)));
        line(`edges${tag}_draw_p50_ms`, fmt(percentile(frames, 50)));
        if (dpr === 1) {
          line('edges_1px_pose_p50_ms', fmt(percentile(thinTimes, 50)));
          line('edges_1px_pose_p95_ms', fmt(percentile(thinTimes, 95)));
        }
        if (dpr === 1 && MESHES.includes(name)) {
          // The subtype gallery redrawing every subtype of the category at each pose, as it does when
          // the rotation settles: the overlay frame should not wait for it.
          const category = name.split('/')[0]!;
          const keys = allFixtureMeshes().filter((n) => n.startsWith(`${category}/`));
          for (const k of keys) await call(page, 'loadMesh', k, k);
          const busy = await call(page, 'runPosesWithGallery', s, 40, keys, 96);
          line('edges_with_gallery_subtypes', keys.length);
          line('edges_with_gallery_pose_p50_ms', fmt(percentile(busy.times, 50)));
          line('edges_with_gallery_pose_p95_ms', fmt(percentile(busy.times, 95)));
        }
        if (MESHES.includes(name)) {
          // Shaded at this dpr (dpr 1 is also in the first part, beside the other modes).
          const shaded = { ...scene, overlay: { ...scene.overlay, mode: 'shaded' as const } };
          await call(page, 'runPoses', shaded, 5);
          const st = (await call(page, 'runPoses', shaded, 50)).times;
          line(`shaded${tag}_pose_p50_ms`, fmt(percentile(st, 50)));
          line(`shaded${tag}_pose_p95_ms`, fmt(percentile(st, 95)));
        }
      }
    }
    console.log(`render load_average_end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    await page.close();
  } finally {
    await browser.close();
    await site.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
