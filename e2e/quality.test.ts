// Quality workflows in real Chromium against the real server and the demo seed: a new annotator fails
// the qualification test, retries and passes, and only then sees a task; a reviewer makes an A/B pick
// and a "Bad pose" review (and one more offline, sent when back online); the annotator sees the rework,
// fixes it, and the review shows closed.
// The admin's setup (account, assignment, gold questions) goes through the admin API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AttemptDetail, GoldQuestion, ReworkItem } from '@in3d/shared/quality';
import type { PoseJson, TaskSummary } from '@in3d/shared/types';
import { DEMO_PASSWORD, launchBrowser, startServer, type RunningServer, signIn } from './harness';

const NEWBIE = 'newbie';
const NEWBIE_PASSWORD = 'newbie-password-e2e';
const TASK = 'demo-car';

let server: RunningServer;
let browser: Browser;
let annotator: Page;
let reviewer: Page;
let gold: GoldQuestion[] = [];
/** The question the reviewer sends back as a bad pose. */
let reworked = '';

async function api<T>(user: string, password: string, method: string, path: string, body?: unknown): Promise<T> {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: user, password }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { cookie, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}
const asAdmin = <T>(method: string, path: string, body?: unknown) => api<T>('admin', DEMO_PASSWORD, method, path, body);


/** In the annotate page: types a pose, picks the subtype and the labels, and saves. */
async function answer(page: Page, n: number, pose: PoseJson, subtype: number) {
  await page.waitForFunction((k) => location.hash.endsWith(`/${k}`), n);
  await page.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });
  const choose = page.getByRole('button', { name: new RegExp(`^Choose subtype ${subtype}:`) });
  await choose.waitFor({ timeout: 30_000 });
  await choose.click();
  const fields: [string, number][] = [
    ['Azimuth', pose.azimuth], ['Elevation', pose.elevation], ['Theta', pose.theta],
    ['Distance', pose.distance], ['Center X', pose.px], ['Center Y', pose.py],
  ];
  for (const [label, v] of fields) await page.getByLabel(label, { exact: true }).fill(String(Math.round(v * 100) / 100));
  await page.getByLabel('Good', { exact: true }).check();
  await page.getByLabel('Not dense', { exact: true }).check();
  await page.getByRole('button', { name: /^Save( Enter)?$/ }).click();
  await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 }).toMatch(/^(Saved on device|Synced)$/);
}

/** Runs one attempt from the qualification page: every gold question answered with `poseOf`. */
async function takeAttempt(page: Page, poseOf: (g: GoldQuestion) => PoseJson): Promise<void> {
  const attempt = page.getByTestId('qual-attempt');
  await attempt.waitFor({ timeout: 15_000 });
  const detail = await page.evaluate(async (id) => (await fetch(`/api/qualification/attempts/${id}`)).json(), (await attempt.getAttribute('data-attempt'))!) as AttemptDetail;
  await page.getByRole('link', { name: 'Annotate question 1' }).click();
  for (const q of detail.questions) {
    const g = gold.find((x) => x.questionId === q.id)!;
    if (q.index > 0) await page.getByRole('button', { name: 'Next question' }).click();
    await answer(page, q.index + 1, poseOf(g), g.reference.subtype);
  }
  await page.goto(`${server.url}/#/qualification`);
  await page.getByRole('button', { name: 'Submit answers' }).click();
  await page.getByTestId('qual-result').waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  // E2E_STATIC_DIR lets a developer point at a private build while others rebuild dist/.
  server = await startServer(process.env.E2E_STATIC_DIR ? { env: { STATIC_DIR: process.env.E2E_STATIC_DIR } } : {});
  browser = await launchBrowser();
  annotator = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
  reviewer = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
  for (const p of [annotator, reviewer]) p.on('pageerror', (e) => console.error('pageerror:', e.message));

  await asAdmin('POST', '/api/admin/users', { id: NEWBIE, role: 'annotator', password: NEWBIE_PASSWORD });
  await asAdmin('POST', `/api/admin/tasks/${TASK}/assignees`, { userId: NEWBIE });
  const { questions } = await asAdmin<{ questions: { id: string; category: string; hasSourceGold: boolean }[] }>('GET', '/api/admin/questions?category=tvmonitor');
  for (const q of questions.filter((x) => x.hasSourceGold).slice(0, 2)) await asAdmin('POST', '/api/admin/gold', { questionId: q.id });
  gold = await asAdmin<GoldQuestion[]>('GET', '/api/admin/gold');
  expect(gold).toHaveLength(2);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('quality workflows', () => {
  it('a new annotator sees no tasks until they pass the qualification test', async () => {
    await signIn(annotator, { url: server.url, user: NEWBIE, password: NEWBIE_PASSWORD });
    await annotator.getByText('No tasks are assigned to you yet.').waitFor({ timeout: 15_000 });
    expect(await annotator.getByRole('button', { name: /^Open task / }).count()).toBe(0);
    await annotator.getByRole('link', { name: 'Qualification test' }).click();
    await annotator.getByRole('button', { name: 'Start the qualification test' }).click();

    // First attempt: every answer a quarter turn off.
    await takeAttempt(annotator, (g) => ({ ...g.reference.pose, azimuth: (g.reference.pose.azimuth + 90) % 360 }));
    expect(await annotator.getByTestId('qual-result').getAttribute('data-passed')).toBe('false');
    const rows = annotator.getByTestId('qual-results').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      expect(await rows.nth(i).getAttribute('data-passed')).toBe('false');
      expect(await rows.nth(i).locator('td').nth(1).textContent()).toBe('90.0°');
    }
    // The answer is drawn over the reference.
    await expect.poll(async () => Number(await annotator.getByTestId('qual-overlay').getAttribute('data-frames')), { timeout: 20_000 }).toBeGreaterThan(0);
    await annotator.goto(`${server.url}/#/tasks`);
    await annotator.getByRole('heading', { name: 'My tasks' }).waitFor();
    expect(await annotator.getByRole('button', { name: /^Open task Demo: car/ }).count()).toBe(0);

    // Retry: a fresh attempt, answered at the reference.
    await annotator.goto(`${server.url}/#/qualification`);
    await annotator.getByRole('button', { name: 'Try again (a fresh attempt)' }).click();
    await takeAttempt(annotator, (g) => g.reference.pose);
    expect(await annotator.getByTestId('qual-result').getAttribute('data-passed')).toBe('true');

    await annotator.goto(`${server.url}/#/tasks`);
    await annotator.getByRole('button', { name: /^Open task Demo: car/ }).waitFor({ timeout: 15_000 });
  });

  it('the annotator saves two questions of the unlocked task', async () => {
    await annotator.getByRole('button', { name: /^Open task Demo: car/ }).click();
    for (const n of [1, 2]) {
      if (n > 1) await annotator.getByRole('button', { name: 'Next question' }).click();
      await annotator.waitForFunction((k) => location.hash.endsWith(`/${k}`), n);
      await annotator.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });
      await annotator.getByLabel('Good', { exact: true }).check();
      await annotator.getByLabel('Not dense', { exact: true }).check();
      await annotator.getByRole('button', { name: /^Save( Enter)?$/ }).click();
      await expect.poll(() => annotator.getByTestId('save-state').textContent(), { timeout: 15_000 }).toMatch(/^(Saved on device|Synced)$/);
    }
    await expect
      .poll(async () => (await annotator.evaluate(async () => (await fetch('/api/tasks')).json()) as TaskSummary[]).find((t) => t.id === TASK)?.done, { timeout: 20_000 })
      .toBe(2);
  });

  it('a reviewer picks in an A/B pair and sends the annotation back as a bad pose', async () => {
    await signIn(reviewer, { url: server.url, user: 'reviewer' });
    await reviewer.getByRole('link', { name: 'A/B' }).click();
    await reviewer.getByTestId('ab-pair').waitFor({ timeout: 20_000 });
    const question = await reviewer.getByTestId('ab-pair').getAttribute('data-question');
    await reviewer.getByRole('button', { name: 'B is better' }).click();
    await reviewer.getByTestId('ab-last').waitFor();
    const picks = await asAdmin<{ questionId: string; reviewerId: string; choice: string }[]>('GET', '/api/ab');
    expect(picks.map((p) => [p.questionId, p.reviewerId, p.choice])).toEqual([[question, 'reviewer', 'b']]);

    await reviewer.getByRole('link', { name: 'Review' }).click();
    const item = reviewer.getByTestId('review-item');
    await item.waitFor({ timeout: 20_000 });
    expect(await item.getAttribute('data-annotator')).toBe(NEWBIE);
    reworked = (await item.getAttribute('data-question'))!;
    await reviewer.getByLabel('Comment (optional)').fill('Turn it to face the camera');
    await reviewer.getByRole('button', { name: 'Bad pose' }).click();
    await reviewer.getByText(`Sent back to ${NEWBIE} as rework`).waitFor();
    const row = reviewer.getByTestId('review-history').locator(`tbody tr[data-question="${reworked}"]`);
    await expect.poll(() => row.locator('td').nth(3).textContent(), { timeout: 10_000 }).toBe('Open');

    // Offline: the queue kept on the device still shows the next annotation; the verdict waits there.
    await reviewer.context().setOffline(true);
    await reviewer.getByRole('button', { name: 'Refresh' }).click();
    await reviewer.getByText('Offline: showing what this device kept').waitFor({ timeout: 10_000 });
    const next = reviewer.getByTestId('review-item');
    await next.waitFor();
    const offlineQuestion = (await next.getAttribute('data-question'))!;
    expect(offlineQuestion).not.toBe(reworked);
    await reviewer.getByRole('button', { name: 'Good', exact: true }).click();
    await reviewer.getByTestId('review-waiting').waitFor();
    expect(await asAdmin<unknown[]>('GET', `/api/reviews?question=${offlineQuestion}`)).toEqual([]);
    await reviewer.context().setOffline(false);
    await reviewer.getByRole('button', { name: 'Refresh' }).click();
    await reviewer.getByTestId('review-waiting').waitFor({ state: 'detached', timeout: 15_000 });
    const stored = await asAdmin<{ verdict: string; reviewerId: string }[]>('GET', `/api/reviews?question=${offlineQuestion}`);
    expect(stored.map((r) => [r.verdict, r.reviewerId])).toEqual([['good', 'reviewer']]);
  });

  it('the annotator sees the rework, fixes it, and the review shows closed', async () => {
    await annotator.goto(`${server.url}/#/tasks`);
    await annotator.reload();
    await expect.poll(() => annotator.getByTestId('nav-rework-count').textContent(), { timeout: 15_000 }).toBe('1');
    // Marked in the task list, on the task's card.
    await expect.poll(() => annotator.getByTestId(`task-rework-${TASK}`).textContent(), { timeout: 15_000 }).toBe('1 to rework');

    await annotator.getByRole('link', { name: /^Rework/ }).click();
    const item = annotator.getByTestId('rework-list').locator('li').first();
    await item.waitFor({ timeout: 15_000 });
    expect(await item.getAttribute('data-state')).toBe('open');
    expect(await item.textContent()).toContain('Turn it to face the camera');
    await item.getByRole('link', { name: /^Fix question 1 of / }).click();
    await annotator.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });
    await annotator.getByRole('button', { name: 'Azimuth +30°', exact: true }).click();
    await annotator.getByRole('button', { name: /^Save( Enter)?$/ }).click();

    await expect
      .poll(async () => ((await annotator.evaluate(async () => (await fetch('/api/rework')).json())) as ReworkItem[])[0]?.closed, { timeout: 20_000 })
      .toBe(true);
    await annotator.goto(`${server.url}/#/rework`);
    await expect.poll(() => annotator.getByTestId('rework-list').locator('li').first().getAttribute('data-state'), { timeout: 10_000 }).toBe('closed');

    await annotator.goto(`${server.url}/#/tasks`);
    await annotator.getByRole('button', { name: /^Open task Demo: car/ }).waitFor();
    expect(await annotator.getByTestId(`task-rework-${TASK}`).count()).toBe(0);

    await reviewer.reload();
    const row = reviewer.getByTestId('review-history').locator(`tbody tr[data-question="${reworked}"]`);
    await expect.poll(() => row.locator('td').nth(3).textContent(), { timeout: 15_000 }).toBe('Closed');
  });
});
