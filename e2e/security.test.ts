// The PWA under its Content-Security-Policy, in real Chromium: signing in, the render worker drawing,
// the service worker installing — with no CSP violation anywhere (page or workers). And the warning
// an annotator sees when the app is opened over plain http on a LAN name (not a secure context).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, startServer, type RunningServer, signIn } from './harness';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  // lab.test resolves to this machine: an http origin that is not localhost, as on a LAN.
  browser = await launchBrowser([`--host-resolver-rules=MAP lab.test 127.0.0.1`]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Records CSP violations reported to the page's console (the page's own and its workers'). */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  return violations;
}


describe('security in the browser', () => {
  it('runs the app, its render worker and its service worker under the CSP without a violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    const violations = watchCsp(page);
    const res = await page.goto(server.url);
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await signIn(page, { url: server.url });
    expect(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active !== null))).toBe(true);
    await page.getByRole('button', { name: /^Open task / }).first().click();
    await expect.poll(async () => Number((await page.getByTestId('viewport').getAttribute('data-frames')) ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('button', { name: /^Choose subtype / }).count(), { timeout: 20_000 }).toBeGreaterThan(1);
    expect(await page.getByTestId('insecure-context').count()).toBe(0);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('warns over plain http on a LAN name, and login still works there (same-origin request)', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const violations = watchCsp(page);
    const lan = server.url.replace('127.0.0.1', 'lab.test');
    await page.goto(lan);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    const banner = page.getByTestId('insecure-context');
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.textContent()).toMatch(/Not a secure connection/);
    await signIn(page, { url: lan });
    expect(violations).toEqual([]);
    await context.close();
  });
});
