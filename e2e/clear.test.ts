// "Clear annotation" in real Chromium against the real server (SPEC R51): save, clear with confirmation,
// progress goes down, a reload keeps it cleared, another device pulls the clear, and the exports leave
// the question out (npz, COCO) or show it not annotated with the history kept (jsonl).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USER, launchBrowser, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function adminApi() {
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'admin', password: DEMO_PASSWORD }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return async (method: string, path: string, body?: unknown): Promise<string> => {
    const res = await fetch(`${server.url}${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    expect(res.status, path).toBe(200);
    return res.text();
  };
}

async function device(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  await page.goto(server.url);
  await page.getByLabel('Annotator ID').fill(DEMO_USER);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: 30_000 });
  return { context, page };
}

async function openQuestion(page: Page, n: number) {
  await page.goto(`${server.url}/#/task/demo-chair/${n}`);
  await expect.poll(() => page.getByTestId('question-number').textContent(), { timeout: 30_000 }).toContain(`Question ${n} of`);
  await page.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });
}
const saveState = (page: Page) => page.getByTestId('save-state').textContent();
/** The demo-chair card on the task list: "k / n done" and where it continues. */
async function chairCard(page: Page): Promise<string> {
  await page.goto(`${server.url}/#/tasks`);
  const card = page.locator('.task-card', { hasText: 'demo-chair' }).first();
  await card.waitFor({ timeout: 30_000 });
  return (await card.textContent()) ?? '';
}
const doneOf = (card: string) => Number(/(\d+) \/ \d+ done/.exec(card)?.[1]);

describe('clear annotation', () => {
  it('R51: saves, clears after confirming, progress goes down, stays cleared after a reload, on another device and in the exports', async () => {
    const a = await device();
    const b = await device();
    const admin = await adminApi();
    try {
      const before = doneOf(await chairCard(a.page));
      await openQuestion(a.page, 1);
      const question = /Question(demo_chair_\d{4}_\d\d)/.exec((await a.page.getByTestId('question-identity').textContent({ timeout: 30_000 }))!)?.[1];
      expect(question).toBeTruthy();
      expect(await a.page.getByRole('button', { name: 'Clear annotation' }).isDisabled()).toBe(true);
      await a.page.getByRole('button', { name: 'Azimuth +30°', exact: true }).click();
      await a.page.getByLabel('Good', { exact: true }).check();
      await a.page.getByLabel('Not dense', { exact: true }).check();
      await a.page.getByRole('button', { name: /^Save/ }).click();
      await expect.poll(() => saveState(a.page), { timeout: 20_000 }).toBe('Synced');
      const card1 = await chairCard(a.page);
      expect(doneOf(card1)).toBe(before + 1);
      expect(card1).toContain('Continue at question 2');

      // The other device pulls the save (a reload syncs on start).
      await openQuestion(b.page, 1);
      await b.page.reload();
      await openQuestion(b.page, 1);
      await expect.poll(() => saveState(b.page), { timeout: 20_000 }).toBe('Synced');

      const npzBefore = JSON.parse(await admin('POST', '/api/admin/export/npz', { outDir: 'npz-before' })) as { written: number };

      // Clear, first cancelling the confirmation: nothing changes.
      await openQuestion(a.page, 1);
      const dialog = a.page.getByRole('alertdialog', { name: 'Clear the annotation of this question?' });
      await a.page.getByRole('button', { name: 'Clear annotation' }).click();
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('you can annotate the question again');
      // Enter in the dialog presses the focused choice (Cancel), never the page's Save.
      await a.page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      expect(await saveState(a.page)).toBe('Synced');
      await a.page.getByRole('button', { name: 'Clear annotation' }).click();
      await dialog.getByRole('button', { name: 'Clear annotation' }).click();
      await expect.poll(() => saveState(a.page)).toBe('Not annotated yet');
      await a.page.getByText('Cleared: this question is not annotated any more').waitFor();
      expect(await a.page.getByRole('button', { name: 'Clear annotation' }).isDisabled()).toBe(true);

      // The server has it as a new revision on top of the save (history kept), not annotated.
      type Line = { questionId: string; current: unknown; revisions: { cleared: boolean }[] };
      const lineOf = async () => (await admin('GET', '/api/admin/export.jsonl')).trim().split('\n').map((l) => JSON.parse(l) as Line).find((l) => l.questionId === question);
      await expect.poll(async () => (await lineOf())?.revisions.map((r) => r.cleared), { timeout: 20_000 }).toEqual([false, true]);
      expect((await lineOf())!.current).toBeNull();
      const npzAfter = JSON.parse(await admin('POST', '/api/admin/export/npz', { outDir: 'npz-after' })) as { written: number };
      expect(npzAfter.written).toBe(npzBefore.written - 1);
      await admin('POST', '/api/admin/export/coco', { file: 'coco.json' });
      const coco = JSON.parse(readFileSync(join(server.dataDir, 'exports', 'coco.json'), 'utf8')) as { annotations: { question_id: string }[] };
      expect(coco.annotations.map((x) => x.question_id)).not.toContain(question);

      // Progress went down and the task continues at the cleared question, also after a reload.
      const card2 = await chairCard(a.page);
      expect(doneOf(card2)).toBe(before);
      expect(card2).toContain('Continue at question 1');
      await openQuestion(a.page, 1);
      await a.page.reload();
      await openQuestion(a.page, 1);
      expect(await saveState(a.page)).toBe('Not annotated yet');

      // The other device pulls the clear: a reload syncs on start.
      await b.page.reload();
      await openQuestion(b.page, 1);
      await expect.poll(() => saveState(b.page), { timeout: 20_000 }).toBe('Not annotated yet');
      expect(doneOf(await chairCard(b.page))).toBe(before);

      // Annotating again builds on the clear: annotated once more.
      await openQuestion(a.page, 1);
      await a.page.getByLabel('Good', { exact: true }).check();
      await a.page.getByLabel('Not dense', { exact: true }).check();
      await a.page.getByRole('button', { name: /^Save/ }).click();
      await expect.poll(() => saveState(a.page), { timeout: 20_000 }).toBe('Synced');
      await expect.poll(async () => (await lineOf())?.current !== null, { timeout: 20_000 }).toBe(true);
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });
});
