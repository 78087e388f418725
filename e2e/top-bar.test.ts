// The top bar as an annotator first sees it, before any quality page was opened: the Rework link is
// styled like the bar's other controls (its styles must not wait for the lazily loaded quality pages),
// the logo-only app link keeps its name, and on a tablet held upright nothing in the bar lies on top of another control.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer, type RunningServer, signIn } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true });
  page = await context.newPage();
  await page.goto(server.url);
  await signIn(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Boxes of the visible top-bar controls that overlap another one, as "a / b". */
function overlaps(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const els = Array.from(document.querySelectorAll<HTMLElement>('header a, header button, header input, header select')).filter((e) => e.getClientRects().length > 0);
    const name = (e: HTMLElement) => (e.getAttribute('aria-label') || e.textContent || e.tagName).trim();
    const out: string[] = [];
    els.forEach((a, i) => {
      const r = a.getBoundingClientRect();
      for (const b of els.slice(i + 1)) {
        if (a.contains(b) || b.contains(a)) continue;
        const s = b.getBoundingClientRect();
        if (r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1) out.push(`${name(a)} / ${name(b)}`);
      }
    });
    return out;
  });
}

describe('top bar', () => {
  it('the Rework link is styled before any quality page was opened (not a browser-default underlined link)', async () => {
    const rework = page.getByRole('link', { name: 'Rework' });
    await rework.waitFor();
    expect(await rework.evaluate((a) => getComputedStyle(a).textDecorationLine)).toBe('none');
  });

  it('on a tablet the app-name link (back to My tasks) keeps its name when only the logo shows', async () => {
    const brand = page.getByRole('link', { name: 'ImageNet3D Annotator' });
    expect(await brand.count()).toBe(1);
    expect(await brand.evaluate((a) => getComputedStyle(a.querySelector('.brand-name')!).display)).toBe('none');
  });

  it('on a tablet held upright, the annotate page bar has no control on top of another', async () => {
    await page.getByRole('button', { name: /Open task Demo: chair/ }).click();
    await page.getByTestId('question-number').filter({ hasText: /Question 1 of/ }).waitFor({ timeout: 30_000 });
    expect(await overlaps(page)).toEqual([]);
  });
});
