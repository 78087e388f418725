// The save line after Enter, as the annotator sees it: a MutationObserver installed before the app
// starts logs every text the line shows, and every Enter. A re-save of a synced question must go
// "Unsaved changes" → "Saved on device" → "Synced", never showing the old "Synced" in between.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USER, launchBrowser, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;

type Entry = { at: number; text: string };

/** Runs in the page before any of its scripts. */
const OBSERVE = `(() => {
  const log = (window.__saveLog = []);
  let last = null;
  const look = () => {
    const el = document.querySelector('[data-testid=save-state]');
    const text = el ? el.textContent : null;
    if (text !== last) log.push({ at: performance.now(), text: text ?? '(none)' });
    last = text;
  };
  new MutationObserver(look).observe(document, { childList: true, characterData: true, subtree: true });
  window.addEventListener('keydown', (e) => e.code === 'Enter' && log.push({ at: performance.now(), text: 'ENTER' }), true);
})()`;

const log = () => page.evaluate(() => (window as unknown as { __saveLog: Entry[] }).__saveLog);
const line = () => page.getByTestId('save-state').textContent();

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  await context.addInitScript(OBSERVE);
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('save line', () => {
  it('a re-save shows "Saved on device" at the commit, never the stale "Synced" first', async () => {
    await page.goto(server.url);
    await page.getByLabel('Annotator ID').fill(DEMO_USER);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /^Open task / }).first().click({ timeout: 30_000 });
    await page.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Shift+Digit1');
    await page.keyboard.press('Shift+Digit5');
    await page.keyboard.press('Enter');
    await expect.poll(line, { timeout: 10_000 }).toBe('Synced');

    const RESAVES = 8;
    for (let i = 0; i < RESAVES; i++) {
      await page.keyboard.press('d');
      await expect.poll(line).toBe('Unsaved changes');
      await page.keyboard.press('Enter');
      await expect.poll(line, { timeout: 10_000 }).toBe('Synced');
    }

    // Per Enter: what the line showed from the key press to the next Enter.
    const entries = await log();
    const runs: string[][] = [];
    for (const e of entries) {
      if (e.text === 'ENTER') runs.push([]);
      else runs.at(-1)?.push(e.text);
    }
    expect(runs).toHaveLength(RESAVES + 1);
    for (const [i, run] of runs.entries()) {
      const saved = run.indexOf('Saved on device');
      expect(saved, `save ${i}: ${run.join(' → ')}`).toBeGreaterThanOrEqual(0);
      expect(run.slice(0, saved), `save ${i}: ${run.join(' → ')}`).not.toContain('Synced');
      expect(run.slice(saved)).toContain('Synced');
    }
  });
});
