// Qualification out of the box, in real Chromium against a fresh server (empty DATA_DIR, the demo
// seeded on first start): the demo's new annotator lands on the qualification gate, fails an attempt
// and sees the references, retries on questions whose reference they have not been shown, passes, and
// their tasks open. Nobody sets anything up; the admin API is only read, to know the right answers.
// The admin sees the trainee waiting, and can change the labels a gold question is scored on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DashboardStats, GoldQuestion } from '@in3d/shared/quality';
import { DEMO_PASSWORD, launchBrowser, startServer, type RunningServer, signIn } from './harness';
import { apiAs, failAttemptByQuarterTurn, takeAttempt } from './steps';

const TRAINEE = 'trainee';

let server: RunningServer;
let browser: Browser;
let page: Page;
let gold: GoldQuestion[] = [];
const asAdmin = <T>(method: string, path: string) => apiAs<T>(server, 'admin', DEMO_PASSWORD, method, path);

beforeAll(async () => {
  server = await startServer(process.env.E2E_STATIC_DIR ? { env: { STATIC_DIR: process.env.E2E_STATIC_DIR } } : {});
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  gold = await asAdmin<GoldQuestion[]>('GET', '/api/admin/gold');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('qualification out of the box', () => {
  it('the demo holds labelled gold questions and the trainee waits to qualify', async () => {
    expect(gold.length).toBeGreaterThanOrEqual(6);
    expect(gold.every((g) => g.reference.objectStatus !== null && g.reference.dense !== null)).toBe(true);
    const stats = await asAdmin<DashboardStats>('GET', '/api/admin/stats');
    expect(stats.waiting.map((x) => [x.userId, x.state])).toEqual([[TRAINEE, 'not_started']]);

    // The admin sees them waiting on the dashboard.
    const admin = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(admin, { url: server.url, user: 'admin', until: 'signed-in' });
    await admin.goto(`${server.url}/#/admin/dashboard`);
    const row = admin.getByTestId('qual-waiting').locator(`tr[data-user="${TRAINEE}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getAttribute('data-state')).toBe('not_started');
    expect(await row.locator('td').nth(1).textContent()).toBe('Not started');
    await admin.context().close();
  });

  it('a new annotator fails, retries on questions whose reference was not shown, passes, and the tasks open', async () => {
    await signIn(page, { url: server.url, user: TRAINEE });
    const gate = page.getByTestId('qual-gate');
    await gate.getByText('Pass the qualification test to unlock your tasks').waitFor({ timeout: 15_000 });
    expect(await gate.textContent()).toContain('3 task(s) unlock when you pass.');
    expect(await page.getByText('No tasks are assigned to you yet.').count()).toBe(0);
    expect(await page.getByText(/Ask an admin/).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Open task / }).count()).toBe(0);
    await gate.getByRole('button', { name: 'Start the qualification test' }).click();

    // First attempt: every answer a quarter turn off.
    const first = await failAttemptByQuarterTurn(page, server, gold);
    // Enough unseen gold is left for a retry, so the answer is drawn over the reference.
    expect(await page.getByTestId('qual-legend').getAttribute('data-reference')).toBe('true');
    await expect.poll(async () => Number(await page.getByTestId('qual-overlay').getAttribute('data-frames')), { timeout: 20_000 }).toBeGreaterThan(0);

    // Back on the tasks page: still locked, the gate offers the retry.
    await page.goto(`${server.url}/#/tasks`);
    await page.getByTestId('qual-gate').and(page.locator('[data-state="failed"]')).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: /^Open task / }).count()).toBe(0);
    await page.getByRole('button', { name: 'Try again (a fresh attempt)' }).click();

    // The retry asks none of the questions whose reference was shown; answered right, it passes.
    const second = await takeAttempt(page, server, gold, (g) => g.reference.pose);
    const shown = new Set(first.questions.map((q) => q.id));
    expect(second.questions.length).toBe(first.questions.length);
    expect(second.questions.filter((q) => shown.has(q.id)).map((q) => q.id)).toEqual([]);
    expect(await page.getByTestId('qual-result').getAttribute('data-passed')).toBe('true');

    await page.goto(`${server.url}/#/tasks`);
    await page.getByRole('button', { name: /^Open task Demo: chair/ }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: /^Open task / }).count()).toBe(3);
    expect(await page.getByTestId('qual-gate').count()).toBe(0);
    expect((await asAdmin<DashboardStats>('GET', '/api/admin/stats')).waiting).toEqual([]);
  });

  it('an admin sets the labels a gold question is scored on in the gold list', async () => {
    const admin = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    await signIn(admin, { url: server.url, user: 'admin', until: 'signed-in' });
    await admin.goto(`${server.url}/#/admin/gold`);
    const g = gold[0]!;
    const select = admin.getByLabel(`Object quality of ${g.questionId}`);
    await select.waitFor({ timeout: 20_000 });
    expect(await select.inputValue()).toBe(g.reference.objectStatus);
    await select.selectOption('status_barely');
    await expect
      .poll(async () => (await asAdmin<GoldQuestion[]>('GET', '/api/admin/gold')).find((x) => x.questionId === g.questionId)?.reference.objectStatus, { timeout: 10_000 })
      .toBe('status_barely');
    await admin.getByLabel(`Dense scene of ${g.questionId}`).selectOption('');
    await expect
      .poll(async () => (await asAdmin<GoldQuestion[]>('GET', '/api/admin/gold')).find((x) => x.questionId === g.questionId)?.reference, { timeout: 10_000 })
      .toMatchObject({ objectStatus: 'status_barely', dense: null });
    await admin.context().close();
  });
});
