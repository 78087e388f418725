// The overlay is pixel-exact: for every fixture question with a photo, the silhouette the renderer
// draws at the gold pose covers the object drawn in the photo (IoU ≥ 0.9), and at the initial pose
// it clearly does not. Real Chromium, the real worker bundle, both backends and the main-thread
// fallback; the pixels compared are a screenshot of the canvas, i.e. what an annotator sees.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoseJson } from '@in3d/shared/types';
import type { SceneState } from '../pwa/src/render/contract';
import { call, FIXTURES, launchChromium, openHarness, serveRenderPage, type RenderPage } from '../bench/render-page/serve';
import { hasFixtures } from '../shared/test/fixtures';

interface GoldEntry {
  gold_pose_degrees: PoseJson;
  initial_pose_degrees: PoseJson;
  viewport: number;
  cad_index: number;
  bbox: [number, number, number, number];
  image: string | null;
}

const gold = (hasFixtures ? JSON.parse(readFileSync(join(FIXTURES, 'legacy/gold.json'), 'utf8')) : {}) as Record<string, GoldEntry | { objects: unknown }>;
const questions = Object.entries(gold)
  .filter((e): e is [string, GoldEntry] => 'image' in e[1] && e[1].image !== null)
  .map(([id, q]) => ({ id, category: id.split('_')[1]!, ...q, image: q.image! }));

const BACKGROUND = [17, 24, 39]; // the renderer's #111827

/**
 * The object's pixels in the photo. The photos show the orange CAD model on a grey, noisy gradient:
 * saturation separates them (grey ≈ 0.05, the model's lit and shaded sides 0.6 to 0.9); 0.45 is the
 * midpoint, which also splits the pixels JPEG's half-resolution chroma smears across the border.
 */
function objectMask(path: string): { width: number; height: number; mask: Uint8Array } {
  const img = jpeg.decode(readFileSync(join(FIXTURES, 'legacy', path)), { useTArray: true });
  const mask = new Uint8Array(img.width * img.height);
  for (let i = 0; i < mask.length; i++) {
    const r = img.data[4 * i]!, g = img.data[4 * i + 1]!, b = img.data[4 * i + 2]!;
    const max = Math.max(r, g, b), min = Math.min(r, g, b);
    mask[i] = max > 0 && (max - min) / max > 0.45 ? 1 : 0;
  }
  return { width: img.width, height: img.height, mask };
}

function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0, union = 0;
  for (let i = 0; i < a.length; i++) {
    inter += a[i]! & b[i]!;
    union += a[i]! | b[i]!;
  }
  return union === 0 ? 0 : inter / union;
}

/** Screenshot of the canvas → 1 where the overlay tinted the background. */
async function overlayMask(page: Page): Promise<{ width: number; height: number; mask: Uint8Array }> {
  const png = await page.locator('#c').screenshot();
  const { width, height, rgba } = await call(page, 'pngPixels', png.toString('base64'));
  const px = Buffer.from(rgba, 'base64');
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) {
    const d = Math.abs(px[4 * i]! - BACKGROUND[0]!) + Math.abs(px[4 * i + 1]! - BACKGROUND[1]!) + Math.abs(px[4 * i + 2]! - BACKGROUND[2]!);
    mask[i] = d > 30 ? 1 : 0;
  }
  return { width, height, mask };
}

function scene(q: (typeof questions)[number], pose: PoseJson, meshKey: string, over: Partial<SceneState> = {}): SceneState {
  const { width, height } = objectMask(q.image);
  return {
    meshKey,
    pose,
    viewport: q.viewport,
    photo: { width, height },
    bbox: null,
    overlay: { mode: 'silhouette', opacity: 1, visible: true, color: '#ff00ff' },
    view: 'overlay',
    zoom: 1,
    offset: { x: 0, y: 0 },
    interacting: false,
    ...over,
  };
}

const configs = [
  { name: 'auto backend in the worker (CPU here: software WebGL)', backend: 'auto', worker: true, expect: { backend: 'cpu', inWorker: true } },
  { name: 'WebGL backend in the worker', backend: 'webgl', worker: true, expect: { backend: 'webgl', inWorker: true } },
  { name: 'main-thread fallback', backend: 'cpu', worker: false, expect: { backend: 'cpu', inWorker: false } },
] as const;

let site: RenderPage;
let browser: Browser;

beforeAll(async () => {
  if (!hasFixtures) return; // every test below skips: no page to build, no browser to start
  site = await serveRenderPage();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

it.skipIf(!hasFixtures)('has fixture questions to check', () => {
  expect(questions.length).toBeGreaterThanOrEqual(8);
});

for (const config of configs) {
  describe.skipIf(!hasFixtures)(config.name, () => {
    let page: Page;

    beforeAll(async () => {
      page = await openHarness(browser, site.url);
    });

    afterAll(async () => {
      await page?.close();
    });

    it.each(questions.map((q) => [q.id, q] as const))('%s: the gold-pose silhouette covers the object, the initial one does not', async (_id, q) => {
      const photo = objectMask(q.image);
      const started = await call(page, 'start', { backend: config.backend, worker: config.worker, width: photo.width, height: photo.height });
      expect({ backend: started.backend, inWorker: started.inWorker }).toEqual(config.expect);
      const key = `${q.category}/${String(q.cad_index).padStart(2, '0')}`;
      const loaded = await call(page, 'loadMesh', key, key);
      expect(loaded.ok).toBe(true);

      await call(page, 'render', scene(q, q.gold_pose_degrees, key));
      const atGold = await overlayMask(page);
      expect([atGold.width, atGold.height]).toEqual([photo.width, photo.height]);
      await call(page, 'render', scene(q, q.initial_pose_degrees, key));
      const atInitial = await overlayMask(page);

      const goldIou = iou(atGold.mask, photo.mask), initialIou = iou(atInitial.mask, photo.mask);
      expect(goldIou, `IoU at the gold pose`).toBeGreaterThanOrEqual(0.9);
      expect(initialIou, `IoU at the initial pose (gold ${goldIou.toFixed(3)})`).toBeLessThan(goldIou - 0.15);
    });

    it('shows the photo where zoom and offset put it', async () => {
      const q = questions[0]!;
      const img = jpeg.decode(readFileSync(join(FIXTURES, 'legacy', q.image)), { useTArray: true });
      const w = img.width, h = img.height;
      await call(page, 'start', { backend: config.backend, worker: config.worker, width: w, height: h });
      await call(page, 'setPhoto', q.image);
      type View = { zoom: number; offset: { x: number; y: number } };
      const shoot = async (v: View) => {
        await call(page, 'render', scene(q, q.gold_pose_degrees, 'none', { view: 'photo', ...v }));
        const shot = await call(page, 'pngPixels', (await page.locator('#c').screenshot()).toString('base64'));
        return Buffer.from(shot.rgba, 'base64');
      };
      // Mean absolute difference per channel between a screenshot and the photo mapped by `v`.
      const meanDiff = (px: Buffer, v: View) => {
        let sum = 0, n = 0;
        for (let y = 2; y < h - 2; y += 3)
          for (let x = 2; x < w - 2; x += 3) {
            const sx = Math.floor((x + 0.5 - v.offset.x) / v.zoom), sy = Math.floor((y + 0.5 - v.offset.y) / v.zoom);
            if (sx < 1 || sy < 1 || sx >= w - 1 || sy >= h - 1) continue;
            for (let c = 0; c < 3; c++) sum += Math.abs(px[4 * (y * w + x) + c]! - img.data[4 * (sy * w + sx) + c]!);
            n += 3;
          }
        return sum / n;
      };
      const plain = { zoom: 1, offset: { x: 0, y: 0 } };
      const zoomed = { zoom: 2, offset: { x: -w / 2, y: -h / 2 } };
      expect(meanDiff(await shoot(plain), plain)).toBeLessThan(4);
      // Zoomed in on the lower right quarter. The same pixels read with the wrong mapping (or an
      // upside-down texture) differ several times more.
      const px = await shoot(zoomed);
      const right = meanDiff(px, zoomed);
      expect(right).toBeLessThan(8);
      expect(meanDiff(px, plain)).toBeGreaterThan(3 * right);
      await call(page, 'setPhoto', null);
    });

    it('hides the overlay when not visible and in the photo view, and draws the model view centred', async () => {
      const q = questions[0]!;
      const photo = objectMask(q.image);
      await call(page, 'start', { backend: config.backend, worker: config.worker, width: photo.width, height: photo.height });
      const key = `${q.category}/${String(q.cad_index).padStart(2, '0')}`;
      await call(page, 'loadMesh', key, key);
      const count = (m: Uint8Array) => m.reduce((n, v) => n + v, 0);

      await call(page, 'render', scene(q, q.gold_pose_degrees, key, { overlay: { mode: 'wireframe', opacity: 1, visible: false, color: '#ff00ff' } }));
      expect(count((await overlayMask(page)).mask)).toBe(0);
      await call(page, 'render', scene(q, q.gold_pose_degrees, key, { view: 'photo' }));
      expect(count((await overlayMask(page)).mask)).toBe(0);

      await call(page, 'render', scene(q, q.gold_pose_degrees, key, { view: 'model' }));
      const model = await overlayMask(page);
      let sx = 0, sy = 0, n = 0;
      for (let i = 0; i < model.mask.length; i++)
        if (model.mask[i]) {
          sx += i % model.width;
          sy += Math.floor(i / model.width);
          n++;
        }
      expect(n).toBeGreaterThan(0.05 * model.mask.length);
      // Centred: the drawn pixels' centroid is near the canvas centre (a chair is not symmetric).
      expect(Math.abs(sx / n - model.width / 2)).toBeLessThan(0.15 * model.width);
      expect(Math.abs(sy / n - model.height / 2)).toBeLessThan(0.15 * model.height);
    });
  });
}

describe.skipIf(!hasFixtures)('a browser without OffscreenCanvas', () => {
  it('falls back to the main thread by itself and draws the same pixels', async () => {
    const page = await openHarness(browser, site.url, 'delete globalThis.OffscreenCanvas;');
    const q = questions.find((x) => x.category === 'car')!;
    const photo = objectMask(q.image);
    const started = await call(page, 'start', { backend: 'auto', worker: true, width: photo.width, height: photo.height });
    expect({ backend: started.backend, inWorker: started.inWorker }).toEqual({ backend: 'cpu', inWorker: false });
    const key = `${q.category}/${String(q.cad_index).padStart(2, '0')}`;
    expect((await call(page, 'loadMesh', key, key)).ok).toBe(true);
    await call(page, 'render', scene(q, q.gold_pose_degrees, key));
    expect(iou((await overlayMask(page)).mask, photo.mask)).toBeGreaterThanOrEqual(0.9);
    // The photo path reads pixels through a <canvas> element here.
    await call(page, 'setPhoto', q.image);
    await call(page, 'render', scene(q, q.gold_pose_degrees, key, { view: 'photo' }));
    const shown = await overlayMask(page);
    expect(shown.mask.reduce((n, v) => n + v, 0)).toBeGreaterThan(0.9 * shown.mask.length);
    await page.close();
  });
});

describe.skipIf(!hasFixtures)('ghost pose', () => {
  it('draws a second pose in its own colour under the current one', async () => {
    const page = await openHarness(browser, site.url);
    const q = questions[0]!;
    const photo = objectMask(q.image);
    await call(page, 'start', { backend: 'auto', worker: true, width: photo.width, height: photo.height });
    const key = `${q.category}/${String(q.cad_index).padStart(2, '0')}`;
    await call(page, 'loadMesh', key, key);
    const ghost = { pose: q.initial_pose_degrees, meshKey: null, color: '#00ff00' };
    await call(page, 'render', scene(q, q.gold_pose_degrees, key, { ghost, overlay: { mode: 'silhouette', opacity: 1, visible: true, color: '#ff0000' } }));
    const shot = await call(page, 'pngPixels', (await page.locator('#c').screenshot()).toString('base64'));
    const px = Buffer.from(shot.rgba, 'base64');
    let red = 0, green = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i]! > 200 && px[i + 1]! < 60) red++;
      if (px[i + 1]! > 200 && px[i]! < 60) green++;
    }
    expect(red).toBeGreaterThan(500);
    expect(green).toBeGreaterThan(500);
    await page.close();
  });
});

describe.skipIf(!hasFixtures)('subtype gallery', () => {
  it('renders a thumbnail per mesh, locally, and an empty one for a mesh it does not have', async () => {
    const page = await openHarness(browser, site.url);
    await call(page, 'start', { backend: 'auto', worker: true, width: 200, height: 150 });
    const keys = ['chair/01', 'chair/04', 'chair/06'];
    for (const k of keys) expect((await call(page, 'loadMesh', k, k)).ok).toBe(true);
    const pose = questions[0]!.gold_pose_degrees;
    const thumbs = await call(page, 'thumbnails', [...keys, 'no-such-mesh'], pose, 96);
    expect(thumbs.map((t) => [t.width, t.height])).toEqual(Array(4).fill([96, 96]));
    for (const t of thumbs.slice(0, 3)) expect(t.opaque).toBeGreaterThan(300);
    expect(thumbs[3]!.opaque).toBe(0);
    await page.close();
  });

  it('never delays an overlay frame: the frame asked for after them is drawn first; a cancel drops them', async () => {
    const page = await openHarness(browser, site.url);
    await call(page, 'start', { backend: 'auto', worker: true, width: 400, height: 300 });
    const keys = ['chair/01', 'chair/04', 'chair/06', 'chair/07'];
    for (const k of keys) expect((await call(page, 'loadMesh', k, k)).ok).toBe(true);
    const q = questions[0]!;
    const scene = {
      meshKey: 'chair/07', pose: q.gold_pose_degrees, viewport: 3000, photo: { width: 400, height: 300 }, bbox: null,
      overlay: { mode: 'edges' as const, opacity: 1, visible: true, color: '#ff00ff' }, view: 'overlay' as const, zoom: 1, offset: { x: 0, y: 0 }, interacting: false,
    };
    const busy = await call(page, 'galleryVersusFrame', scene, keys, 96, false);
    expect(busy).toEqual({ order: ['frame', 'thumbnails'], bitmaps: keys.length });
    const cancelled = await call(page, 'galleryVersusFrame', scene, keys, 96, true);
    expect(cancelled.bitmaps).toBe(0);
    // A cancel stops only the runs started before it.
    expect((await call(page, 'thumbnails', keys, q.gold_pose_degrees, 96)).length).toBe(keys.length);
    await page.close();
  });
});
