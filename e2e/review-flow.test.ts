// The review and rework loop in real Chromium against the real server and the demo seed (SPEC R26): a
// reviewer filters the queue, walks it (skip, back, views, held Space, shortcuts) and sends one answer
// back as "Bad pose" with a comment; the annotator sees the comment on the fix screen; an unchanged
// re-save leaves the rework open (the server decides), a changed one closes it; the reviewer then sees
// the item again with the earlier verdict and the answer before and after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Review, ReworkItem } from '@in3d/shared/quality';
import type { QuestionInfo } from '@in3d/shared/types';
import { DEMO_PASSWORD, DEMO_USER, launchBrowser, signIn, startServer, type RunningServer } from './harness';
import { apiAs, pushSaves } from './steps';

const TASK = 'demo-car';
const COMMENT = 'The car faces the other way';

let server: RunningServer;
let browser: Browser;
let reviewer: Page;
let annotator: Page;
/** The question sent back. */
let reworked = '';

const get = <T>(user: string, path: string) => apiAs<T>(server, user, DEMO_PASSWORD, 'GET', path);

/** Two saves in each of two demo tasks by the demo annotator, pushed as the app would (from another device). */
async function seedAnnotations(): Promise<void> {
  for (const taskId of ['demo-chair', TASK]) {
    const { questions } = await get<{ questions: QuestionInfo[] }>(DEMO_USER, `/api/tasks/${taskId}`);
    await pushSaves(server, DEMO_USER, DEMO_PASSWORD, taskId, questions.slice(0, 2));
  }
}

const rework = () => get<ReworkItem[]>(DEMO_USER, '/api/rework');
const overlay = (p: Page) => p.getByTestId('review-overlay');
const progress = (p: Page) => p.getByTestId('review-progress').textContent();

beforeAll(async () => {
  server = await startServer(process.env.E2E_STATIC_DIR ? { env: { STATIC_DIR: process.env.E2E_STATIC_DIR } } : {});
  browser = await launchBrowser();
  reviewer = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
  annotator = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
  for (const p of [reviewer, annotator]) p.on('pageerror', (e) => console.error('pageerror:', e.message));
  await seedAnnotations();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('review and rework loop', () => {
  it('a reviewer filters, walks the queue, and sends one back as a bad pose with a comment', async () => {
    await signIn(reviewer, { url: server.url, user: 'reviewer' });
    await reviewer.getByRole('link', { name: 'Review' }).click();
    await reviewer.getByTestId('review-item').waitFor({ timeout: 20_000 });
    expect(await progress(reviewer)).toBe('1 of 4');
    // The verdicts are defined on the page.
    expect(await reviewer.getByTestId('verdict-guide').textContent()).toContain('rotation, centre or distance is visibly off');

    await reviewer.getByLabel('Task', { exact: true }).selectOption(TASK);
    await expect.poll(() => progress(reviewer), { timeout: 10_000 }).toBe('1 of 2');
    const first = (await reviewer.getByTestId('review-item').getAttribute('data-question'))!;
    const car = (await get<{ questions: QuestionInfo[] }>(DEMO_USER, `/api/tasks/${TASK}`)).questions.map((q) => q.id);
    expect(car).toContain(first);

    // Views: the raw photo, the model alone; Space held hides the overlay, released shows it again.
    await expect.poll(async () => Number(await overlay(reviewer).getAttribute('data-frames')), { timeout: 20_000 }).toBeGreaterThan(0);
    await reviewer.getByRole('radio', { name: 'Photo', exact: true }).check();
    expect(await overlay(reviewer).getAttribute('data-view')).toBe('photo');
    await reviewer.keyboard.press('KeyV');
    expect(await overlay(reviewer).getAttribute('data-view')).toBe('overlay');
    await reviewer.locator('h1').click();
    await reviewer.keyboard.down('Space');
    await expect.poll(() => overlay(reviewer).getAttribute('data-overlay')).toBe('hidden');
    await reviewer.keyboard.up('Space');
    await expect.poll(() => overlay(reviewer).getAttribute('data-overlay')).toBe('shown');

    // Skip, back, skip again: the second item of the filtered queue.
    await reviewer.keyboard.press('Period');
    await expect.poll(() => progress(reviewer)).toBe('2 of 2');
    await reviewer.getByRole('button', { name: 'Back' }).click();
    await expect.poll(() => reviewer.getByTestId('review-item').getAttribute('data-question')).toBe(first);
    await reviewer.getByRole('button', { name: 'Skip' }).click();
    await expect.poll(() => progress(reviewer)).toBe('2 of 2');
    reworked = (await reviewer.getByTestId('review-item').getAttribute('data-question'))!;
    expect(reworked).not.toBe(first);
    expect(car).toContain(reworked);

    // The shortcut sheet lists the verdict keys; "4" is Bad pose, also shown on its button.
    await reviewer.keyboard.press('Shift+Slash');
    expect(await reviewer.getByTestId('review-help').textContent()).toContain('4Bad pose');
    await reviewer.keyboard.press('Escape');
    await reviewer.getByTestId('review-help').waitFor({ state: 'detached' });
    expect(await reviewer.getByRole('button', { name: 'Bad pose' }).getAttribute('aria-keyshortcuts')).toBe('4');
    await reviewer.getByLabel('Comment (optional)').fill(COMMENT);
    await reviewer.locator('h1').click();
    await reviewer.keyboard.press('Digit4');
    await reviewer.getByText(`Sent back to ${DEMO_USER} as rework`).waitFor();
    expect(await progress(reviewer)).toBe('End of the queue: 1 judged, 1 skipped');

    await expect
      .poll(async () => (await get<Review[]>('admin', `/api/reviews?question=${reworked}`)).map((r) => [r.verdict, r.comment, r.closed]), { timeout: 15_000 })
      .toEqual([['bad_pose', COMMENT, false]]);
  });

  it('the annotator sees the comment; an unchanged re-save keeps the rework open, a changed one closes it', async () => {
    await signIn(annotator, { url: server.url });
    await annotator.getByRole('link', { name: /^Rework/ }).click();
    const item = annotator.getByTestId('rework-list').locator(`li[data-question="${reworked}"]`);
    await item.waitFor({ timeout: 15_000 });
    expect(await item.textContent()).toContain(COMMENT);
    await item.getByRole('link', { name: /^Fix question / }).click();

    const notice = annotator.getByTestId('rework-notice');
    await notice.waitFor({ timeout: 30_000 });
    expect(await annotator.getByTestId('rework-comment').textContent()).toBe(`“${COMMENT}”`);
    expect(await notice.textContent()).toContain('A reviewer sent this back: Bad pose');
    await annotator.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });
    await expect.poll(() => annotator.getByTestId('rework-hint').getAttribute('data-changed'), { timeout: 15_000 }).toBe('no');

    // Unchanged: a new revision reaches the server, and the rework stays open there.
    const before = (await get<Review[]>('admin', `/api/reviews?question=${reworked}`))[0]!;
    await annotator.getByRole('button', { name: /^Save( Enter)?$/ }).click();
    await expect.poll(() => annotator.getByTestId('save-state').textContent(), { timeout: 20_000 }).toBe('Synced');
    const open = (await rework()).find((r) => r.questionId === reworked)!;
    expect(open).toMatchObject({ id: before.id, closed: false, closedByRevisionId: null });
    await annotator.reload();
    await annotator.getByTestId('rework-notice').waitFor({ timeout: 30_000 });

    // Changed: the rework closes and the notice goes.
    await annotator.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });
    await annotator.getByRole('button', { name: 'Azimuth +30°', exact: true }).click();
    await expect.poll(() => annotator.getByTestId('rework-hint').getAttribute('data-changed')).toBe('yes');
    await annotator.getByRole('button', { name: /^Save( Enter)?$/ }).click();
    await expect.poll(async () => (await rework()).find((r) => r.questionId === reworked)?.closed, { timeout: 20_000 }).toBe(true);
    await annotator.getByTestId('rework-notice').waitFor({ state: 'detached', timeout: 20_000 });
  });

  it('the reviewer finds the reworked item by its earlier verdict, with before and after', async () => {
    await reviewer.getByLabel('Earlier verdict', { exact: true }).selectOption('bad_pose');
    await reviewer.getByRole('button', { name: 'Refresh' }).click();
    const item = reviewer.getByTestId('review-item');
    await expect.poll(() => item.getAttribute('data-question'), { timeout: 15_000 }).toBe(reworked);
    expect(await progress(reviewer)).toBe('1 of 1');
    const prev = reviewer.getByTestId('review-previous');
    expect(await prev.textContent()).toContain(`Earlier review: Bad pose by reviewer — “${COMMENT}”`);
    expect(await prev.textContent()).toContain('The annotator changed the answer since.');
    await reviewer.getByRole('radio', { name: 'Both', exact: true }).check();
    await expect.poll(async () => Number(await overlay(reviewer).getAttribute('data-frames')), { timeout: 20_000 }).toBeGreaterThan(0);
    await reviewer.getByRole('radio', { name: 'Before', exact: true }).check();
    expect(await reviewer.locator('input[name="review-compare"]:checked').getAttribute('value')).toBe('before');
  });

  it('"keep as is" with a reason closes a rework, and the reviewer reads the reason', async () => {
    const REASON = 'The chair really is turned this way';
    await reviewer.getByRole('button', { name: 'Clear filters' }).click();
    await reviewer.getByLabel('Task', { exact: true }).selectOption('demo-chair');
    const item = reviewer.getByTestId('review-item');
    await item.waitFor({ timeout: 15_000 });
    const chair = (await item.getAttribute('data-question'))!;
    await reviewer.getByRole('button', { name: 'Bad CAD model' }).click();
    await expect.poll(async () => (await rework()).find((r) => r.questionId === chair)?.closed, { timeout: 20_000 }).toBe(false);

    await annotator.goto(`${server.url}/#/rework`);
    await annotator.getByTestId('rework-list').locator(`li[data-question="${chair}"]`).getByRole('link', { name: /^Fix question / }).click();
    await annotator.getByTestId('rework-notice').waitFor({ timeout: 30_000 });
    await annotator.getByRole('button', { name: 'Keep as is…' }).click();
    await annotator.getByLabel('Why the answer is right as it is').fill(REASON);
    await annotator.getByRole('button', { name: 'Keep as is', exact: true }).click();
    await expect.poll(async () => (await rework()).find((r) => r.questionId === chair)?.keep?.reason, { timeout: 20_000 }).toBe(REASON);
    expect((await rework()).find((r) => r.questionId === chair)?.closed).toBe(true);

    await reviewer.getByLabel('Earlier verdict', { exact: true }).selectOption('bad_cad');
    await expect.poll(() => item.getAttribute('data-question'), { timeout: 15_000 }).toBe(chair);
    expect(await reviewer.getByTestId('review-keep-reason').textContent()).toBe(`Kept as is by the annotator: “${REASON}”`);
    expect(await reviewer.getByTestId('review-previous').textContent()).toContain('The answer is the one judged then.');
  });
});
