// The annotate page in real Chromium against the real server and the demo seed: everything an
// annotator does in a day, once — pose by button, key and drag; subtype; labels; save with Enter;
// undo/redo; reload; navigation and the unsaved-changes guard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer, signIn } from './harness';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const num = async (label: string) => Number(await page.getByLabel(label, { exact: true }).inputValue());
const framesDrawn = async () => Number((await page.getByTestId('viewport').getAttribute('data-frames')) ?? 0);

async function waitForQuestion(n: number) {
  await page.waitForFunction((k) => location.hash.endsWith(`/${k}`), n);
  await expect.poll(() => page.getByTestId('question-number').textContent(), { timeout: 20_000 }).toContain(`Question ${n} of`);
  await page.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 20_000 });
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('annotate page', () => {
  it('signs in as the demo annotator and lists tasks with progress', async () => {
    await signIn(page, { url: server.url });
    const openButtons = page.getByRole('button', { name: /^Open task / });
    await expect.poll(() => openButtons.count()).toBeGreaterThan(0);
    expect(await page.getByRole('progressbar').count()).toBeGreaterThan(1);
    expect(await page.getByTestId('total-progress').textContent()).toMatch(/^0 \/ \d+ done$/);
  });

  it('opens the first unannotated question of a task and draws it', async () => {
    await page.getByRole('button', { name: /^Open task / }).first().click();
    await waitForQuestion(1);
    await expect.poll(framesDrawn, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('button', { name: /^Choose subtype / }).count(), { timeout: 20_000 }).toBeGreaterThan(1);
  });

  it('changes the pose with a step button, a key and a drag', async () => {
    const az0 = await num('Azimuth');
    await page.getByRole('button', { name: 'Azimuth +1°', exact: true }).click();
    await expect.poll(() => num('Azimuth')).toBeCloseTo((az0 + 1) % 360, 5);

    const el0 = await num('Elevation');
    await page.keyboard.press('w'); // elevation +1°
    await expect.poll(() => num('Elevation')).toBeCloseTo(Math.min(90, el0 + 1), 5);
    const d0 = await num('Distance');
    await page.keyboard.press('Shift+X'); // distance +1
    await expect.poll(() => num('Distance')).toBeCloseTo(d0 + 1, 5);

    // Drag on the photo away from the centre marker: horizontal motion turns the azimuth.
    const box = (await page.getByTestId('viewport').boundingBox())!;
    const frames = await framesDrawn();
    const az1 = await num('Azimuth');
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.25);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * 0.2 + i * 8, box.y + box.height * 0.25);
    await page.mouse.up();
    await expect.poll(() => num('Azimuth')).toBeCloseTo((az1 - 40 + 360) % 360, 5);
    await expect.poll(framesDrawn).toBeGreaterThan(frames);

    // Shift-drag rolls (theta), the wheel changes the distance.
    const th = await num('Theta');
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.25);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.6, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    expect(await num('Theta')).not.toBeCloseTo(th, 1);
    const d1 = await num('Distance');
    await page.mouse.wheel(0, 200);
    await expect.poll(() => num('Distance')).toBeGreaterThan(d1);
  });

  it('picks another subtype in the gallery', async () => {
    const other = page.getByRole('button', { name: /^Choose subtype /, pressed: false }).first();
    const name = (await other.getAttribute('aria-label'))!;
    await other.click();
    await expect.poll(() => page.getByRole('button', { name, exact: true }).getAttribute('aria-pressed')).toBe('true');
  });

  it('refuses to save without labels, then saves with Enter once both are set', async () => {
    await page.keyboard.press('Enter');
    await page.getByText('Choose the object quality and whether the scene is dense before saving.').waitFor();
    await page.getByLabel('Partially visible', { exact: true }).check();
    await page.getByLabel('Dense', { exact: true }).check();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toMatch(/^(Saved on device|Synced)$/);
  });

  it('undoes and redoes every change', async () => {
    await page.getByLabel('Azimuth', { exact: true }).blur();
    await page.keyboard.press('Control+z');
    expect(await page.getByLabel('Dense', { exact: true }).isChecked()).toBe(false);
    expect(await page.getByTestId('save-state').textContent()).toBe('Unsaved changes');
    await page.keyboard.press('Control+z');
    expect(await page.getByLabel('Partially visible', { exact: true }).isChecked()).toBe(false);
    await page.keyboard.press('Control+Shift+z');
    await page.getByRole('button', { name: 'Redo' }).click();
    expect(await page.getByLabel('Dense', { exact: true }).isChecked()).toBe(true);
    await expect.poll(() => page.getByTestId('save-state').textContent()).toMatch(/^(Saved on device|Synced)$/);
  });

  it('finds the saved annotation and its undo history after a reload, and on the server', async () => {
    const saved = { az: await num('Azimuth'), el: await num('Elevation'), d: await num('Distance') };
    // No wait for the history write (it waits for a quiet moment): the reload's pagehide writes it.
    await page.reload();
    await waitForQuestion(1);
    await expect.poll(() => num('Azimuth')).toBeCloseTo(saved.az, 5);
    expect(await num('Elevation')).toBeCloseTo(saved.el, 5);
    expect(await num('Distance')).toBeCloseTo(saved.d, 5);
    expect(await page.getByLabel('Partially visible', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Dense', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole('button', { name: 'Undo' }).isEnabled()).toBe(true);

    // The sync engine pushes it; the server's progress counts it.
    await expect
      .poll(
        async () => {
          const res = await page.request.get(`${server.url}/api/tasks`);
          const tasks = (await res.json()) as { done: number }[];
          return tasks.reduce((s, t) => s + t.done, 0);
        },
        { timeout: 15_000 },
      )
      .toBe(1);
  });

  it('navigates between questions and guards unsaved changes', async () => {
    await page.getByRole('button', { name: 'Next question' }).click();
    await waitForQuestion(2);
    await page.getByRole('button', { name: 'Previous question' }).click();
    await waitForQuestion(1);
    await page.keyboard.press('n'); // next unannotated
    await waitForQuestion(2);
    await page.getByLabel('Go to question number').fill('4');
    await page.getByLabel('Go to question number').press('Enter');
    await waitForQuestion(4);

    // An unsaved change: leaving asks first; staying stays on the question, keeping the draft leaves.
    await page.getByRole('button', { name: 'Theta +30°', exact: true }).click();
    const leave = page.getByRole('alertdialog', { name: 'Unsaved changes on this question' });
    await page.getByRole('button', { name: 'Next question' }).click();
    await leave.getByRole('button', { name: 'Stay here' }).click();
    expect(page.url()).toMatch(/\/4$/);
    await page.getByRole('button', { name: 'Next question' }).click();
    await leave.getByRole('button', { name: 'Keep as draft' }).click();
    await waitForQuestion(5);
  });

  it('lists every shortcut in the help overlay', async () => {
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.getByText('Azimuth −30° / +30°').count()).toBe(1);
    expect(await dialog.getByText('Centre up / down 5 px').count()).toBe(1);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('switches the whole UI to Simplified Chinese and back, remembering the choice', async () => {
    await page.getByLabel('Language').first().selectOption('zh');
    await page.getByLabel('方位角', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: '保存' }).count()).toBe(1);
    await page.reload();
    await page.getByLabel('方位角', { exact: true }).waitFor({ timeout: 20_000 });
    await page.getByLabel('语言').first().selectOption('en');
    await page.getByLabel('Azimuth', { exact: true }).waitFor();
  });

  it('works with touch on a tablet: one finger rotates, two fingers pinch the distance', async () => {
    const tablet = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true, locale: 'en-US' });
    const t = await tablet.newPage();
    try {
      await signIn(t, { url: server.url });
      await t.getByRole('button', { name: /^Open task / }).first().click({ timeout: 30_000 });
      await t.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 20_000 });
      const value = async (label: string) => Number(await t.getByLabel(label, { exact: true }).inputValue());
      const box = (await t.getByTestId('viewport').boundingBox())!;
      const cdp = await tablet.newCDPSession(t);
      const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', pts: [number, number][]) =>
        cdp.send('Input.dispatchTouchEvent', { type, touchPoints: pts.map(([x, y], id) => ({ x: box.x + x, y: box.y + y, id })) });

      const az = await value('Azimuth');
      await touch('touchStart', [[100, 100]]);
      for (let i = 1; i <= 5; i++) await touch('touchMove', [[100 + i * 10, 100]]);
      await touch('touchEnd', []);
      await expect.poll(() => value('Azimuth')).toBeCloseTo((az - 25 + 360) % 360, 5);

      const d = await value('Distance');
      await touch('touchStart', [[300, 300], [340, 300]]);
      for (let i = 1; i <= 5; i++) await touch('touchMove', [[300 - i * 8, 300], [340 + i * 8, 300]]);
      await touch('touchEnd', []);
      // Fingers 40 px → 120 px apart: the model is drawn three times bigger, the camera three times closer.
      await expect.poll(() => value('Distance')).toBeCloseTo(d / 3, 1);
    } finally {
      await tablet.close();
    }
  });
});
