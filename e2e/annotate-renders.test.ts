// A pose change updates only what depends on it: the Viewport and the pose control of the changed
// parameter re-render; the page, the other pose controls, the gallery, the labels, the save line and the
// action bar do not; a save and its sync re-render the save line and progress alone. Counted with the render probe (pwa/src/app/render-probe.ts) in the real build.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signIn, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;

type Counts = Record<string, number>;

/**
 * In the page: zeroes the counters, runs `steps` (each a key or a step button, waiting for the frame that
 * shows its pose), and answers the counts right after the last frame (before the gallery's settle time).
 */
async function countDuring(steps: ({ key: string; code: string } | { button: string })[]): Promise<Counts> {
  return page.evaluate(async (list) => {
    const counts = (window as unknown as { __in3dRenders: Record<string, number> }).__in3dRenders;
    for (const k of Object.keys(counts)) counts[k] = 0;
    const vp = document.querySelector('[data-testid=viewport]')!;
    for (const s of list) {
      const frame = new Promise<void>((done) => vp.addEventListener('in3d:frame', () => done(), { once: true }));
      if ('key' in s) window.dispatchEvent(new KeyboardEvent('keydown', { key: s.key, code: s.code, bubbles: true }));
      else document.querySelector<HTMLButtonElement>(`button[aria-label="${s.button}"]`)!.click();
      await frame;
    }
    return { ...counts };
  }, steps);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  await context.addInitScript('window.__in3dRenders = {}; globalThis.__name = (f) => f;');
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await signIn(page, { url: server.url });
  await page.getByRole('button', { name: /^Open task / }).first().click({ timeout: 30_000 });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=viewport]')?.getAttribute('data-frames') ?? 0) > 0, null, { timeout: 30_000 });
  await page.getByRole('button', { name: /^Choose subtype / }).nth(1).waitFor({ timeout: 20_000 });
  await page.waitForTimeout(1000); // thumbnails and read-ahead settle
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const OTHERS = ['PoseControl:theta', 'PoseControl:px', 'PoseControl:py', 'PoseControl:distance'];

describe('pose step renders', () => {
  it('the first step (the draft becomes unsaved) re-renders neither the page nor the other pose controls', async () => {
    const c = await countDuring([{ key: 'd', code: 'KeyD' }]);
    expect(c['Viewport'] ?? 0).toBeGreaterThan(0);
    expect(c['PoseControl:azimuth'] ?? 0).toBeGreaterThan(0);
    for (const k of ['AnnotatePage', 'PoseControls', 'PoseControl:elevation', ...OTHERS, 'SubtypeGallery', 'LabelsPanel']) expect(c[k] ?? 0, k).toBe(0);
    // The draft became unsaved: the save line says so (its own block re-renders).
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Unsaved changes');
  });

  it('later steps by key and by button re-render only the viewport and the changed control', async () => {
    await page.waitForTimeout(600);
    const c = await countDuring([
      { key: 'd', code: 'KeyD' },
      { key: 'd', code: 'KeyD' },
      { button: 'Elevation +1°' },
      { key: 'd', code: 'KeyD' },
    ]);
    expect(c['Viewport'] ?? 0).toBeGreaterThanOrEqual(4);
    expect(c['PoseControl:azimuth'] ?? 0).toBeGreaterThanOrEqual(3);
    expect(c['PoseControl:elevation'] ?? 0).toBeGreaterThanOrEqual(1);
    for (const k of ['AnnotatePage', 'PoseControls', ...OTHERS, 'SubtypeGallery', 'LabelsPanel', 'SaveState', 'ActionBar', 'QuestionNav']) expect(c[k] ?? 0, k).toBe(0);
  });

  it('once the rotation settles, the gallery draws its visible thumbnails at it (one render of the gallery)', async () => {
    const c = await countDuring([{ key: 'd', code: 'KeyD' }]);
    expect(c['SubtypeGallery'] ?? 0).toBe(0);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __in3dRenders: Record<string, number> }).__in3dRenders['SubtypeGallery'] ?? 0), { timeout: 10_000 }).toBeGreaterThan(0);
    // The first thumbnail has pixels drawn (its canvas is not blank).
    const inked = await page.evaluate(() => {
      const cv = document.querySelector<HTMLCanvasElement>('.thumb-canvas')!;
      const px = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(50);
  });

  it('a label click re-renders the labels, not the pose controls or the viewport', async () => {
    await page.evaluate(() => {
      const counts = (window as unknown as { __in3dRenders: Record<string, number> }).__in3dRenders;
      for (const k of Object.keys(counts)) counts[k] = 0;
    });
    await page.locator('.labels-panel label.seg', { hasText: /^Good$/ }).click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __in3dRenders: Record<string, number> }).__in3dRenders['LabelsPanel'] ?? 0)).toBeGreaterThan(0);
    const c = await page.evaluate(() => ({ ...(window as unknown as { __in3dRenders: Record<string, number> }).__in3dRenders }));
    for (const k of ['AnnotatePage', 'PoseControls', 'PoseControl:azimuth', 'Viewport']) expect(c[k] ?? 0, k).toBe(0);
  });

  it('a save and its sync re-render the save line and the progress, not the page, the viewport, the gallery or the controls', async () => {
    // No pose step here: the gallery's redraw once a rotation settles (under load, later than any fixed wait) is not the save's.
    await page.locator('.labels-panel label.seg', { hasText: /^Not dense$/ }).click();
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Unsaved changes');
    // The gallery's meshes load one at a time behind the first frame (each re-renders it): wait until a second passes without one.
    await page.waitForFunction(() => {
      const w = window as unknown as { __in3dRenders: Record<string, number>; __quiet?: { n: number; at: number } };
      const n = w.__in3dRenders['SubtypeGallery'] ?? 0;
      if (!w.__quiet || w.__quiet.n !== n) w.__quiet = { n, at: performance.now() };
      return performance.now() - w.__quiet.at > 1000;
    }, null, { timeout: 30_000, polling: 100 });
    await page.evaluate(() => {
      const counts = (window as unknown as { __in3dRenders: Record<string, number> }).__in3dRenders;
      for (const k of Object.keys(counts)) counts[k] = 0;
    });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Synced');
    const c = await page.evaluate(() => ({ ...(window as unknown as { __in3dRenders: Record<string, number> }).__in3dRenders }));
    expect(c['SaveState'] ?? 0).toBeGreaterThan(0);
    for (const k of ['AnnotatePage', 'Viewport', 'SubtypeGallery', 'PoseControls', 'PoseControl:azimuth', 'LabelsPanel']) expect(c[k] ?? 0, k).toBe(0);
  });
});
