// README screenshots of the real app (built dist/ + real server + demo seed) in Chromium:
// `npx vite build && npx tsx scripts/screenshots.ts [outDir]` → docs/screenshots/*.png.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USER, ROOT, launchBrowser, startServer } from '../e2e/harness';

const outDir = resolve(process.argv[2] ?? resolve(ROOT, 'docs/screenshots'));
mkdirSync(outDir, { recursive: true });

async function signIn(page: Page, url: string) {
  await page.goto(url);
  await page.getByLabel('Annotator ID').fill(DEMO_USER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: /^Open task / }).first().waitFor({ timeout: 60_000 });
}

/** Waits until the canvas has drawn and the gallery has its thumbnails. */
async function settle(page: Page) {
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=viewport]')?.getAttribute('data-frames') ?? 0) > 0, null, { timeout: 30_000 });
  await page.waitForTimeout(1500);
}

async function shoot(page: Page, name: string) {
  // The "ready offline" toast is news for users, noise in a screenshot.
  await page.evaluate(() => document.querySelectorAll('.toast').forEach((t) => t.remove()));
  const path = resolve(outDir, `${name}.png`);
  await page.screenshot({ path });
  console.log(path);
}

async function annotateViews(browser: Browser, url: string, size: { width: number; height: number }, tag: string, touch: boolean) {
  const context = await browser.newContext({ viewport: size, locale: 'en-US', hasTouch: touch });
  const page = await context.newPage();
  await signIn(page, url);
  if (tag === 'desktop') await shoot(page, 'tasks-desktop');
  await page.getByRole('button', { name: /^Open task / }).first().click();
  await page.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });
  await settle(page);
  // A question in progress: labels chosen, the pose nudged, the shaded overlay.
  await page.getByLabel('Good', { exact: true }).check();
  await page.getByLabel('Not dense', { exact: true }).check();
  await page.getByRole('button', { name: 'Azimuth +1°', exact: true }).click();
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.waitForTimeout(800);
  await shoot(page, `annotate-${tag}`);
  if (tag === 'desktop') {
    await page.getByLabel('Shaded', { exact: true }).check();
    await page.waitForTimeout(800);
    await shoot(page, 'annotate-shaded-desktop');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await shoot(page, 'help-desktop');
    await page.keyboard.press('Escape');
    // No Chinese screenshot: this machine's Chromium has no CJK font, so it would show empty boxes.
  }
  await context.close();
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const login = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  await login.goto(server.url);
  await login.getByLabel('Annotator ID').waitFor();
  await shoot(login, 'login-desktop');
  await login.goto(`${server.url}/#/docs`);
  await login.getByRole('heading', { name: 'Annotation guide' }).waitFor();
  await shoot(login, 'guide-desktop');
  await login.close();
  await annotateViews(browser, server.url, { width: 1440, height: 900 }, 'desktop', false);
  await annotateViews(browser, server.url, { width: 1024, height: 768 }, 'tablet', true);
} finally {
  await browser.close();
  await server.stop();
}
