// Every destructive admin action asks first, naming what will change, and does nothing when the admin
// says no: Remove and Reassign on a task, Reset password and Disable on an account. Real Chromium
// against the real server and the demo seed; setup through the admin API. The dashboard's audit log
// then lists what was done.
import { readFileSync } from 'node:fs';
import type { Browser, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminTask, AdminUser } from '@in3d/shared/quality';
import { DEMO_PASSWORD, launchBrowser, startServer, type RunningServer, signIn } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;
const TASK = 'safety-task';

async function login(user: string, password: string): Promise<Response> {
  return fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: user, password }) });
}
async function asAdmin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const cookie = (await login('admin', DEMO_PASSWORD)).headers.get('set-cookie')!.split(';')[0]!;
  const res = await fetch(`${server.url}${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}
const task = async () => (await asAdmin<AdminTask[]>('GET', '/api/admin/tasks')).find((t) => t.id === TASK)!;
const user = async (id: string) => (await asAdmin<AdminUser[]>('GET', '/api/admin/users')).find((u) => u.id === id)!;

/** Clicks, answers the confirmation with `accept`, and returns its text. */
async function confirmOn(click: () => Promise<void>, accept: boolean): Promise<string> {
  const dialog = new Promise<Dialog>((resolve) => page.once('dialog', resolve));
  const clicked = click();
  const d = await dialog;
  const text = d.message();
  await (accept ? d.accept() : d.dismiss());
  await clicked;
  return text;
}

beforeAll(async () => {
  server = await startServer(process.env.E2E_STATIC_DIR ? { env: { STATIC_DIR: process.env.E2E_STATIC_DIR } } : {});
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  for (const id of ['ann1', 'ann2', 'ann3']) await asAdmin('POST', '/api/admin/users', { id, role: 'annotator', password: `${id}-password-e2e` });
  const { questions } = await asAdmin<{ questions: { id: string }[] }>('GET', '/api/admin/questions?limit=3');
  await asAdmin('POST', '/api/admin/tasks', { id: TASK, name: 'Safety task', questionIds: questions.map((q) => q.id), assignees: ['ann1'] });
  await signIn(page, { url: server.url, user: 'admin', until: 'signed-in' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('destructive admin actions ask first', () => {
  it('Reassign: shown only after a target is chosen; the confirmation names task, both people and progress; No keeps the assignee', async () => {
    await page.goto(`${server.url}/#/admin/tasks`);
    const row = page.locator(`tr[data-task="${TASK}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getByRole('button', { name: /^Reassign/ }).count()).toBe(0);
    await row.getByLabel(`Assign: ${TASK}`).selectOption('ann2');
    const button = row.getByRole('button', { name: 'Reassign → ann2' });
    const text = await confirmOn(() => button.click(), false);
    expect(text).toContain('"Safety task"');
    expect(text).toContain('from ann1 (0 of 3 done) to ann2');
    expect((await task()).assignees.map((a) => a.userId)).toEqual(['ann1']);
    await confirmOn(() => button.click(), true);
    await expect.poll(async () => (await task()).assignees.map((a) => a.userId)).toEqual(['ann2']);
  });

  it('Remove: the confirmation names the person, the task and progress; No keeps them', async () => {
    const row = page.locator(`tr[data-task="${TASK}"]`);
    await row.locator('.q-assignee', { hasText: 'ann2' }).waitFor({ timeout: 15_000 });
    const button = row.locator('.q-assignee', { hasText: 'ann2' }).getByRole('button', { name: 'Remove' });
    const text = await confirmOn(() => button.click(), false);
    expect(text).toContain('Remove ann2 from "Safety task"? 0 of 3');
    expect((await task()).assignees.map((a) => a.userId)).toEqual(['ann2']);
    await confirmOn(() => button.click(), true);
    await expect.poll(async () => (await task()).assignees.length).toBe(0);
  });

  it('Reset password: the confirmation names the account; No keeps the password working', async () => {
    await page.goto(`${server.url}/#/admin/users`);
    const row = page.locator('tr[data-user="ann1"]');
    await row.waitFor({ timeout: 30_000 });
    const button = row.getByRole('button', { name: 'Reset password' });
    expect(await confirmOn(() => button.click(), false)).toContain('Reset the password of ann1?');
    expect((await login('ann1', 'ann1-password-e2e')).status).toBe(200);
    await confirmOn(() => button.click(), true);
    await page.getByText(/Password for ann1:/).waitFor({ timeout: 15_000 });
    expect((await login('ann1', 'ann1-password-e2e')).status).toBe(401);
  });

  it('Disable: the confirmation names the account and role; No keeps it enabled, Enable does not ask', async () => {
    const row = page.locator('tr[data-user="ann3"]');
    const button = row.getByRole('button', { name: 'Disable' });
    expect(await confirmOn(() => button.click(), false)).toContain('Disable ann3 (Annotator)?');
    expect((await user('ann3')).disabled).toBe(false);
    await confirmOn(() => button.click(), true);
    await expect.poll(async () => (await user('ann3')).disabled).toBe(true);
    let asked = false;
    page.once('dialog', (d) => { asked = true; void d.dismiss(); });
    await row.getByRole('button', { name: 'Enable' }).click();
    await expect.poll(async () => (await user('ann3')).disabled).toBe(false);
    expect(asked).toBe(false);
  });

  it('the dashboard lists the actions taken (who, what), and none that were declined', async () => {
    await page.goto(`${server.url}/#/admin/dashboard`);
    const log = page.getByTestId('admin-audit');
    await log.waitFor({ timeout: 30_000 });
    const text = (await log.textContent())!;
    expect(text).toContain(`POST tasks/${TASK}/reassign`);
    expect(text).toContain(`DELETE tasks/${TASK}/assignees/ann2`);
    expect(text).toContain('POST users/ann1/password');
    expect((text.match(/PATCH users\/ann3/g) ?? []).length).toBe(2); // disable, then enable
    expect(text).toContain('admin');
  });
});

describe('dashboard CSV', () => {
  it('every dashboard table downloads as CSV from what the page shows, with formula-looking text defused', async () => {
    const { questions } = await asAdmin<{ questions: { id: string }[] }>('GET', '/api/admin/questions?limit=1');
    await asAdmin('POST', '/api/admin/tasks', { id: 'csv-task', name: '=SUM(1,2)', questionIds: questions.map((q) => q.id), assignees: ['ann1'] });
    await page.goto(`${server.url}/#/admin/dashboard`);
    await page.reload(); // the page is already there (the previous test): read the stats again, with the new task
    await page.getByTestId('admin-audit').waitFor({ timeout: 30_000 });
    const names = await page.locator('button[data-csv]:not([disabled])').evaluateAll((els) => els.map((e) => e.getAttribute('data-csv')!));
    expect(names).toEqual(expect.arrayContaining(['progress-per-task', 'progress-per-annotator', 'admin-actions']));
    const files: Record<string, string> = {};
    for (const name of names) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`button[data-csv="${name}"]`).click()]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^${name}-\\d{4}-\\d\\d-\\d\\d\\.csv$`));
      files[name] = readFileSync((await download.path())!, 'utf8');
    }
    const perTask = files['progress-per-task']!.replace(/^\uFEFF/, '').split('\r\n');
    expect(perTask[0]).toBe('task_id,name,kind,questions,assignees,done,possible');
    expect(perTask).toContain(`csv-task,"'=SUM(1,2)",annotate,1,1,0,1`);
    expect(files['admin-actions']).toContain(`tasks/${TASK}/reassign`);
  });
});

describe('long account names', () => {
  // The original tool's default database names its annotators like this (34 characters).
  const LONG = 'JHa909e5d24d4542f998d8676ad41f7a49';

  it("an assignee's long ID stays in its cell: it does not run under the progress bar or the Remove button, and its full text is its title", async () => {
    await asAdmin('POST', '/api/admin/users', { id: LONG, role: 'annotator', password: 'long-password-e2e' });
    const { questions } = await asAdmin<{ questions: { id: string }[] }>('GET', '/api/admin/questions?limit=2');
    await asAdmin('POST', '/api/admin/tasks', { id: 'long-task', name: 'Long names', questionIds: questions.map((q) => q.id), assignees: [LONG] });
    await page.goto(`${server.url}/#/admin/tasks`);
    await page.reload();
    const line = page.locator('tr[data-task="long-task"] .q-assignee');
    await line.waitFor({ timeout: 30_000 });
    const name = line.locator('span').first();
    expect(await name.getAttribute('title')).toBe(LONG);
    // What the name draws (all of its text unless it is clipped) must end before the progress bar starts.
    const drawnRight = await name.evaluate((el) => el.getBoundingClientRect().left + (getComputedStyle(el).overflowX === 'visible' ? el.scrollWidth : el.clientWidth));
    const bar = (await line.getByRole('progressbar').boundingBox())!;
    expect(drawnRight).toBeLessThanOrEqual(bar.x);
  });
});

describe('a page for another role', () => {
  it('an annotator who opens #/admin is told which role it needs and who they are signed in as, not a bare "403"', async () => {
    // The original tool's default database has an annotator called "admin": imported, it is no admin here.
    await asAdmin('POST', '/api/admin/users', { id: 'ann-admin-url', role: 'annotator', password: 'ann-admin-url-e2e' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    try {
      const other = await context.newPage();
      await signIn(other, { url: server.url, user: 'ann-admin-url', password: 'ann-admin-url-e2e', until: 'signed-in' });
      await other.goto(`${server.url}/#/admin/tasks`);
      const alert = other.getByRole('alert');
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.textContent()).toBe('This page is for Admin; you are signed in as ann-admin-url (Annotator).');
    } finally {
      await context.close();
    }
  });
});
