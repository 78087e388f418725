// The overlay on real CAD meshes and the fixture photos, through the real renderer (worker and all):
// feature edges are lighter than every edge with the same outline, the overlay stays registered at 3x
// zoom and stays on the photo. Then the annotate page: a colour change reaches the pixels, the arrow
// keys move the pose after any toggle or label was clicked, zoom keys, and an ambiguous flag travels
// from the pose panel through sync to the npz export.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoseJson } from '@in3d/shared/types';
import type { SceneState } from '../pwa/src/render/contract';
import { call, FIXTURES, launchChromium, openHarness, serveRenderPage, type RenderPage } from '../bench/render-page/serve';
import { openDatabase } from '../sync-server/src/db/connect';
import { exportNpz } from '../sync-server/src/exchange/export-npz';
import { elements } from '../sync-server/src/formats/ndarray';
import { readNpz } from '../sync-server/src/formats/npz';
import { startServer, type RunningServer, signIn } from './harness';
import { hasFixtures } from '../shared/test/fixtures';

interface GoldEntry {
  gold_pose_degrees: PoseJson;
  viewport: number;
  cad_index: number;
  bbox: [number, number, number, number];
  image: string | null;
}
// The renderer checks read the fixture photos; on a lone clone (no ../shared) they skip, the page checks still run.
const gold = (hasFixtures ? JSON.parse(readFileSync(join(FIXTURES, 'legacy/gold.json'), 'utf8')) : {}) as Record<string, GoldEntry | { objects: unknown }>;
const questions = Object.entries(gold)
  .filter((e): e is [string, GoldEntry] => 'image' in e[1] && e[1].image !== null)
  .map(([id, q]) => ({ id, category: id.split('_')[1]!, ...q, image: q.image!, mesh: `${id.split('_')[1]}/${String(q.cad_index).padStart(2, '0')}` }));

const BACKGROUND = [17, 24, 39];

/** The orange model in a fixture photo (as e2e/render-pixel.test.ts finds it: saturation > 0.45). */
function objectMask(path: string) {
  const img = jpeg.decode(readFileSync(join(FIXTURES, 'legacy', path)), { useTArray: true });
  const mask = new Uint8Array(img.width * img.height);
  for (let i = 0; i < mask.length; i++) {
    const r = img.data[4 * i]!, g = img.data[4 * i + 1]!, b = img.data[4 * i + 2]!;
    const max = Math.max(r, g, b), min = Math.min(r, g, b);
    mask[i] = max > 0 && (max - min) / max > 0.45 ? 1 : 0;
  }
  return { width: img.width, height: img.height, mask };
}

async function canvasMask(page: Page, selector = '#c') {
  const png = await page.locator(selector).screenshot();
  const { width, height, rgba } = await call(page, 'pngPixels', png.toString('base64'));
  const px = Buffer.from(rgba, 'base64');
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) {
    const d = Math.abs(px[4 * i]! - BACKGROUND[0]!) + Math.abs(px[4 * i + 1]! - BACKGROUND[1]!) + Math.abs(px[4 * i + 2]! - BACKGROUND[2]!);
    mask[i] = d > 30 ? 1 : 0;
  }
  return { width, height, mask };
}

const count = (m: Uint8Array) => m.reduce((n, v) => n + v, 0);
function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0, union = 0;
  for (let i = 0; i < a.length; i++) {
    inter += a[i]! & b[i]!;
    union += a[i]! | b[i]!;
  }
  return union === 0 ? 0 : inter / union;
}
/** The drawing filled between its leftmost and rightmost pixel on every row: its outline as a shape. */
function filledRows(m: { width: number; height: number; mask: Uint8Array }): Uint8Array {
  const out = new Uint8Array(m.mask.length);
  for (let y = 0; y < m.height; y++) {
    let lo = -1, hi = -1;
    for (let x = 0; x < m.width; x++) if (m.mask[y * m.width + x]) (lo < 0 && (lo = x), (hi = x));
    if (lo >= 0) out.fill(1, y * m.width + lo, y * m.width + hi + 1);
  }
  return out;
}

function scene(q: (typeof questions)[number], over: Partial<SceneState> = {}, overlay: Partial<SceneState['overlay']> = {}): SceneState {
  return {
    meshKey: q.mesh,
    pose: q.gold_pose_degrees,
    viewport: q.viewport,
    photo: { width: 500, height: 375 },
    bbox: null,
    overlay: { mode: 'edges', opacity: 1, visible: true, color: '#ff00ff', lineWidth: 1, ...overlay },
    view: 'overlay',
    zoom: 1,
    offset: { x: 0, y: 0 },
    interacting: false,
    ...over,
  };
}

describe.skipIf(!hasFixtures)('feature-edge overlay (renderer)', () => {
  let site: RenderPage;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    site = await serveRenderPage();
    browser = await launchChromium();
    page = await openHarness(browser, site.url);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  for (const backend of ['auto', 'webgl'] as const) {
    it.each(questions.map((q) => [q.id, q] as const))(`${backend}: %s: feature edges draw fewer pixels than all edges, with the same outline`, async (_id, q) => {
      const { width, height } = objectMask(q.image);
      await call(page, 'start', { backend, worker: true, width, height });
      expect((await call(page, 'loadMesh', q.mesh, q.mesh)).ok).toBe(true);
      await call(page, 'render', scene(q, { photo: { width, height } }));
      const edges = await canvasMask(page);
      await call(page, 'render', scene(q, { photo: { width, height } }, { mode: 'wireframe' }));
      const all = await canvasMask(page);
      expect(count(edges.mask)).toBeGreaterThan(200);
      expect(count(edges.mask), 'edge pixels vs all-edge pixels').toBeLessThan(0.85 * count(all.mask));
      // Same silhouette: the two drawings filled row by row are the same shape.
      expect(iou(filledRows(edges), filledRows(all)), 'outline IoU').toBeGreaterThan(0.95);
    });
  }

  it.each(questions.map((q) => [q.id, q] as const))('at 3x zoom the gold-pose overlay still covers the object: %s', async (_id, q) => {
    const photo = objectMask(q.image);
    const { width: w, height: h } = photo;
    await call(page, 'start', { backend: 'auto', worker: true, width: w, height: h });
    await call(page, 'loadMesh', q.mesh, q.mesh);
    // Zoomed 3x on the bbox centre, as "zoom to box" and the wheel would place it.
    const zoom = 3, cx = (q.bbox[0] + q.bbox[2]) / 2, cy = (q.bbox[1] + q.bbox[3]) / 2;
    const offset = { x: w / 2 - cx * zoom, y: h / 2 - cy * zoom };
    await call(page, 'render', scene(q, { zoom, offset, photo: { width: w, height: h } }, { mode: 'silhouette' }));
    const shown = await canvasMask(page);
    // The photo's object mask seen through the same zoom.
    const expected = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const sx = Math.floor((x + 0.5 - offset.x) / zoom), sy = Math.floor((y + 0.5 - offset.y) / zoom);
        if (sx >= 0 && sy >= 0 && sx < w && sy < h) expected[y * w + x] = photo.mask[sy * w + sx]!;
      }
    expect(count(expected)).toBeGreaterThan(0.05 * w * h);
    expect(iou(shown.mask, expected)).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps the overlay on the photo: nothing is drawn beyond its edges', async () => {
    const q = questions.find((x) => x.category === 'car')!;
    const { width: w, height: h } = objectMask(q.image);
    await call(page, 'start', { backend: 'auto', worker: true, width: w, height: h });
    await call(page, 'loadMesh', q.mesh, q.mesh);
    // The photo shown at half size in the middle; the model made big enough to cross its border.
    const zoom = 0.5, offset = { x: w / 4, y: h / 4 };
    const pose = { ...q.gold_pose_degrees, distance: q.gold_pose_degrees.distance / 4 };
    for (const mode of ['edges', 'wireframe', 'silhouette', 'shaded'] as const) {
      await call(page, 'render', scene(q, { zoom, offset, pose, photo: { width: w, height: h } }, { mode }));
      const m = await canvasMask(page);
      let inside = 0, outside = 0;
      for (let y = 0; y < m.height; y++)
        for (let x = 0; x < m.width; x++) {
          if (!m.mask[y * m.width + x]) continue;
          if (x >= offset.x - 1 && x < offset.x + w / 2 + 1 && y >= offset.y - 1 && y < offset.y + h / 2 + 1) inside++;
          else outside++;
        }
      expect([mode, inside > 500, outside]).toEqual([mode, true, 0]);
    }
  });
});

describe('overlay controls on the annotate page', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const num = async (label: string) => Number(await page.getByLabel(label, { exact: true }).inputValue());
  const viewport = () => page.getByTestId('viewport');

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
    await signIn(page, { url: server.url });
    await page.getByRole('button', { name: /^Open task / }).first().click();
    await page.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=viewport]')?.getAttribute('data-frames')) > 0, undefined, { timeout: 20_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a colour preset changes the overlay pixels', async () => {
    await expect.poll(() => viewport().getAttribute('data-overlay-color')).toMatch(/^#/);
    const magenta = async () => {
      const png = await page.locator('.viewport-canvas').screenshot();
      const bitmap = await page.evaluate(async (b64) => {
        const img = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
        const c = new OffscreenCanvas(img.width, img.height).getContext('2d')!;
        c.drawImage(img, 0, 0);
        const d = c.getImageData(0, 0, img.width, img.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! > 200 && d[i + 1]! < 120 && d[i + 2]! > 170) n++;
        return n;
      }, png.toString('base64'));
      return bitmap;
    };
    const before = await magenta();
    await page.getByText('Display', { exact: true }).click();
    await page.getByRole('button', { name: 'Colour #ff3bd4' }).click();
    await expect.poll(() => viewport().getAttribute('data-overlay-color')).toBe('#ff3bd4');
    await expect.poll(magenta, { timeout: 10_000 }).toBeGreaterThan(before + 200);
    await page.getByText('Display', { exact: true }).click();
  });

  it('arrow keys move the pose after clicking any toggle or label', async () => {
    const targets = [
      ...['Photo + overlay', 'Model alone', 'Raw photo', 'Edges', 'All edges', 'Shaded', 'Silhouette'].map((name) => page.locator('.view-toolbar label.seg', { hasText: new RegExp(`^${name.replace('+', '\\+')}$`) })),
      ...['Good', 'Partially visible', 'Barely visible', 'Bad quality / no object', 'Not dense', 'Dense'].map((name) => page.locator('.labels-panel label.seg', { hasText: new RegExp(`^${name}$`) })),
      page.getByRole('button', { name: /^Hand tool/ }),
      page.getByRole('button', { name: /^Fine control/ }),
      page.getByRole('button', { name: /^Azimuth is ambiguous/ }),
      page.getByLabel('Overlay opacity'),
    ];
    for (const target of targets) {
      await target.click();
      const checked = await page.locator('input[type=radio]:checked').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
      const px = await num('Center X'), py = await num('Center Y');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowDown');
      const what = await target.evaluate((e) => e.textContent || e.getAttribute('aria-label') || e.tagName);
      await expect.poll(() => num('Center X'), { message: `Center X after clicking ${what}` }).toBeCloseTo(px + 5, 5);
      await expect.poll(() => num('Center Y'), { message: `Center Y after clicking ${what}` }).toBeCloseTo(py + 5, 5);
      // The clicked group kept its choice: the arrows did not move through it.
      expect(await page.locator('input[type=radio]:checked').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)), what).toEqual(checked);
    }
    // Leave the toggles as they were.
    await page.getByRole('button', { name: /^Hand tool/ }).click();
    await page.getByRole('button', { name: /^Fine control/ }).click();
    await page.locator('.view-toolbar label.seg', { hasText: /^Photo \+ overlay$/ }).click();
    await page.locator('.view-toolbar label.seg', { hasText: /^Edges$/ }).click();
  });

  it('zooms the photo with keys and Ctrl+wheel, and back to the fit', async () => {
    const zoom = async () => Number(await viewport().getAttribute('data-zoom'));
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const fit = await zoom();
    await page.keyboard.press(']');
    await expect.poll(zoom).toBeCloseTo(fit * 1.25, 3);
    const box = (await viewport().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const d0 = await num('Distance');
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    await expect.poll(zoom).toBeGreaterThan(fit * 1.3);
    expect(await num('Distance'), 'Ctrl+wheel zooms the photo, not the distance').toBe(d0);
    await page.keyboard.press('b');
    await page.keyboard.press('0');
    await expect.poll(zoom).toBeCloseTo(fit, 3);
  });

  it('an ambiguous azimuth travels from the pose panel through sync into the npz export', async () => {
    const toggle = page.getByRole('button', { name: /^Azimuth is ambiguous/ });
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Shift+1');
    await page.keyboard.press('Shift+5');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 30_000 }).toBe('Synced');

    const opened = openDatabase(join(server.dataDir, 'annotator.sqlite'));
    try {
      const out = join(server.dataDir, 'export');
      const s = await exportNpz(opened.db, { outDir: out });
      expect(s.written).toBe(1);
      const files = readdirSyncDeep(join(out, 'annotations_new'));
      expect(files).toHaveLength(1);
      const npz = readNpz(readFileSync(files[0]!));
      expect(elements(npz.get('ambiguous')!)).toEqual(['azimuth']);
    } finally {
      opened.close();
    }
  });
});

function readdirSyncDeep(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? readdirSyncDeep(join(dir, e.name)) : [join(dir, e.name)]));
}
