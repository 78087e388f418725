// An admin watching progress while annotators save: the dashboard's per-task counts and the Tasks tab's
// per-assignee progress follow the saves without a reload (they refresh every 15 s while the tab is
// visible; the page's clock is driven here so the test does not wait). Real Chromium, real server, demo seed.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuestionInfo } from '@in3d/shared/types';
import { DEMO_PASSWORD, DEMO_USER, launchBrowser, signIn, startServer, type RunningServer } from './harness';
import { apiAs, pushSaves } from './steps';

let server: RunningServer;
let browser: Browser;
let page: Page;
let questions: QuestionInfo[];

beforeAll(async () => {
  server = await startServer(process.env.E2E_STATIC_DIR ? { env: { STATIC_DIR: process.env.E2E_STATIC_DIR } } : {});
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  await context.clock.install();
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  ({ questions } = await apiAs<{ questions: QuestionInfo[] }>(server, DEMO_USER, DEMO_PASSWORD, 'GET', '/api/tasks/demo-chair'));
  await signIn(page, { url: server.url, user: 'admin', until: 'signed-in' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('an admin watching progress', () => {
  it("sees the dashboard's count for a task grow as an annotator saves, without reloading", async () => {
    await page.goto(`${server.url}/#/admin/dashboard`);
    const row = page.getByTestId('admin-dashboard').locator('tr', { hasText: 'Demo: chair' }).first();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toMatch(/\b0 \/ \d+/);
    const possible = /\b0 \/ (\d+)/.exec((await row.textContent())!)![1];

    await pushSaves(server, DEMO_USER, DEMO_PASSWORD, 'demo-chair', questions.slice(0, 2));
    await page.clock.fastForward(16_000);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain(`2 / ${possible}`);
  });

  it("sees an assignee's progress on the Tasks tab follow their saves, without reloading", async () => {
    await page.goto(`${server.url}/#/admin/tasks`);
    const row = page.locator('tr[data-task="demo-chair"]');
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain(`2/${questions.length}`);

    await pushSaves(server, DEMO_USER, DEMO_PASSWORD, 'demo-chair', questions.slice(2, 3));
    await page.clock.fastForward(16_000);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain(`3/${questions.length}`);
  });
});
