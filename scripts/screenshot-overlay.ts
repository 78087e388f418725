// README images of the feature-edge overlay on real CAD meshes from the fixtures, drawn by the real
// renderer (worker, CPU backend as the app picks here): a fixture photo at its gold pose, and the
// dense motorbike/02 (64k faces) with feature edges next to every edge.
// `npx tsx scripts/screenshot-overlay.ts [outDir]` → docs/screenshots/overlay-*.png.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PoseJson } from '@in3d/shared/types';
import type { SceneState } from '../pwa/src/render/contract';
import { boundingRadius } from '../pwa/src/render/worker/view';
import { decodeMesh } from '@in3d/shared/mesh/codec';
import { call, FIXTURES, fixtureMesh, launchChromium, openHarness, serveRenderPage } from '../bench/render-page/serve';
import { ROOT } from '../e2e/harness';

const outDir = resolve(process.argv[2] ?? resolve(ROOT, 'docs/screenshots'));
mkdirSync(outDir, { recursive: true });

const QUESTION = 'objnet3d_car_n02958343_77_00';
const gold = JSON.parse(readFileSync(join(FIXTURES, 'legacy/gold.json'), 'utf8')) as Record<string, { gold_pose_degrees: PoseJson; viewport: number; cad_index: number; bbox: [number, number, number, number]; image: string }>;

const site = await serveRenderPage();
const browser = await launchChromium();
try {
  const page = await openHarness(browser, site.url);
  const shot = async (name: string) => {
    const path = join(outDir, `${name}.png`);
    writeFileSync(path, await page.locator('#c').screenshot());
    console.log(path);
  };

  // 1. The car photo zoomed on its box, the overlay at the gold pose.
  const q = gold[QUESTION]!;
  const mesh = `car/${String(q.cad_index).padStart(2, '0')}`;
  const W = 900, H = 520;
  await call(page, 'start', { backend: 'auto', worker: true, width: W, height: H });
  await call(page, 'loadMesh', mesh, mesh);
  await call(page, 'setPhoto', q.image);
  const [x1, y1, x2, y2] = q.bbox;
  const zoom = Math.min(W / ((x2 - x1) * 1.3), H / ((y2 - y1) * 1.3));
  const base: SceneState = {
    meshKey: mesh,
    pose: q.gold_pose_degrees,
    viewport: q.viewport,
    photo: { width: 500, height: 375 },
    bbox: q.bbox,
    overlay: { mode: 'edges', opacity: 0.95, visible: true, color: '#5eead4', lineWidth: 1.5 },
    view: 'overlay',
    zoom,
    offset: { x: W / 2 - ((x1 + x2) / 2) * zoom, y: H / 2 - ((y1 + y2) / 2) * zoom },
    interacting: false,
  };
  await call(page, 'render', base);
  await shot('overlay-edges-car');
  await call(page, 'render', { ...base, overlay: { ...base.overlay, mode: 'wireframe' } });
  await shot('overlay-all-edges-car');

  // 2. motorbike/02 alone on the dark background: feature edges, then every edge.
  const bike = 'motorbike/02';
  const decoded = await decodeMesh(fixtureMesh(bike));
  if (!decoded.ok) throw new Error(decoded.error);
  const S = 520;
  await call(page, 'start', { backend: 'auto', worker: true, width: S, height: S });
  await call(page, 'setPhoto', null);
  await call(page, 'loadMesh', bike, bike);
  const viewport = 3000;
  const scene: SceneState = {
    ...base,
    meshKey: bike,
    bbox: null,
    photo: { width: S, height: S },
    zoom: 1,
    offset: { x: 0, y: 0 },
    viewport,
    pose: { azimuth: 40, elevation: 12, theta: 0, distance: (viewport * boundingRadius(decoded.mesh)) / (0.75 * S), px: S / 2, py: S / 2 },
  };
  await call(page, 'render', scene);
  await shot('overlay-edges-motorbike');
  await call(page, 'render', { ...scene, overlay: { ...scene.overlay, mode: 'wireframe' } });
  await shot('overlay-all-edges-motorbike');
} finally {
  await browser.close();
  await site.close();
}
