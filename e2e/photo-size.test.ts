// Photos at the size the screen needs, in real Chromium against the real server: on a narrow window
// the annotate page asks for the photo at screen width (?w=, shrunk by the server), reads the next
// questions ahead after the first overlay, and fetches the original once the annotator zooms onto the
// object (the free-zoom rule is in pwa/test/ui-photo-size.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USER, launchBrowser, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;
const images: { url: string; etag: string | null }[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // 300 CSS px at DPR 1 (a phone): the page asks for 384 px, narrower than the demo's 480-640 px photos.
  const context = await browser.newContext({ viewport: { width: 300, height: 700 }, deviceScaleFactor: 1, locale: 'en-US' });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  page.on('response', (r) => {
    if (r.url().includes('/api/images/')) images.push({ url: r.url(), etag: r.headers()['etag'] ?? null });
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('photo size', () => {
  it('asks for wide photos at screen width and for the original when zoomed onto the object', async () => {
    await page.goto(server.url);
    await page.getByLabel('Annotator ID').fill(DEMO_USER);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const taskJson = page.waitForResponse((r) => /\/api\/tasks\/[^/?]+$/.test(new URL(r.url()).pathname));
    await page.getByRole('button', { name: /^Open task / }).first().click({ timeout: 30_000 });
    const { questions } = (await (await taskJson).json()) as { questions: { id: string; imageUrl: string; imageWidth: number }[] };
    await expect.poll(async () => Number((await page.getByTestId('viewport').getAttribute('data-frames')) ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
    // The read-ahead of the next three questions (their distinct photos) follows the first overlay.
    const photoOf = (q: { imageUrl: string }) => q.imageUrl.split('?')[0]!;
    const wanted = new Set(questions.slice(0, 4).map(photoOf));
    await expect.poll(() => images.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(wanted.size);

    const q1 = questions[0]!;
    expect(images[0]!.url).toContain(photoOf(q1));
    for (const { url, etag } of images.slice(0, wanted.size)) {
      const q = questions.find((x) => url.includes(photoOf(x)))!;
      if (q.imageWidth > 384) {
        expect(url, q.id).toContain('w=384');
        expect(etag, q.id).toMatch(/-w384"$/);
      } else expect(url, q.id).not.toContain('w=');
    }

    // Zoomed onto the object (the bbox view, key B): the first question's original is fetched (no w=).
    expect(q1.imageWidth, 'the demo task opens on a photo wider than 384 px').toBeGreaterThan(384);
    const before = images.length;
    await page.keyboard.press('b');
    await expect.poll(() => images.slice(before).some((r) => r.url.includes(photoOf(q1)) && !r.url.includes('w=')), { timeout: 20_000 }).toBe(true);
  });
});
