// Compressed responses as the browser sees them (issue 13): the app's JavaScript and CSS arrive as the
// build's precompressed copies, API JSON is compressed, and the bytes on the wire are a fraction of the
// files. The service worker is blocked so every request reaches the network (its precache would hide it).
import type { Browser, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn, startServer, type RunningServer } from './harness';

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

describe('compressed responses', () => {
  it('sends the app scripts and styles and the larger API answers compressed to Chromium', async () => {
    const context = await browser.newContext({ serviceWorkers: 'block', locale: 'en-US' });
    const page = await context.newPage();
    const seen: Response[] = [];
    page.on('response', (r) => void seen.push(r));
    await signIn(page, { url: server.url });
    await page.locator('.task-card').first().waitFor({ timeout: 30_000 });

    const byPath = (re: RegExp) => seen.filter((r) => re.test(new URL(r.url()).pathname) && r.status() === 200);
    const assets = byPath(/^\/assets\/.+\.(js|css)$/);
    expect(assets.length).toBeGreaterThan(1);
    for (const r of assets) {
      const headers = await r.allHeaders();
      expect(headers['content-encoding'], r.url()).toMatch(/^(br|gzip)$/);
      expect(headers['vary'], r.url()).toMatch(/Accept-Encoding/i);
    }
    // What Chromium asked for is what it got: brotli when it offers br.
    const asked = (await assets[0]!.request().allHeaders())['accept-encoding'] ?? '';
    if (/\bbr\b/.test(asked)) expect((await assets[0]!.allHeaders())['content-encoding']).toBe('br');

    // Bytes on the wire against the decoded size, for the largest script.
    const sizes = await Promise.all(assets.map(async (r) => ({ url: r.url(), wire: (await r.request().sizes()).responseBodySize, body: (await r.body()).byteLength })));
    const largest = sizes.sort((a, b) => b.body - a.body)[0]!;
    expect(largest.wire, largest.url).toBeLessThan(largest.body / 2);

    const tasks = byPath(/^\/api\/tasks$/);
    expect(tasks).toHaveLength(1);
    const body = (await tasks[0]!.body()).byteLength;
    // Hono's compress leaves answers under 1 KB as they are: only a larger list must be compressed.
    if (body > 1024) expect((await tasks[0]!.allHeaders())['content-encoding']).toMatch(/^(br|gzip)$/);
    await context.close();
  });
});
