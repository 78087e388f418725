// The app behaves like an installed one (issue 13): the install button on `beforeinstallprompt`, a
// Background Sync registered after a save, "Available offline" remembered across a browser restart
// (a persistent profile), and a plain message for a task that is not on the device while offline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchPersistentChromium } from './chromium';
import { startServer, type RunningServer, signIn } from './harness';

let server: RunningServer;
let profile: string;
let context: BrowserContext;
let page: Page;

async function open(): Promise<void> {
  context = await launchPersistentChromium(profile);
  // Record Background Sync registrations (the real ones still happen).
  await context.addInitScript(() => {
    const w = window as unknown as { __syncTags: string[]; SyncManager?: { prototype: { register(tag: string): Promise<void> } } };
    w.__syncTags = [];
    const proto = w.SyncManager?.prototype;
    if (!proto) return;
    const register = proto.register;
    proto.register = function (this: unknown, tag: string) {
      w.__syncTags.push(tag);
      return register.call(this, tag);
    };
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  page.on('dialog', (d) => void d.accept());
}

beforeAll(async () => {
  server = await startServer();
  profile = mkdtempSync(join(tmpdir(), 'in3d-profile-'));
  await open();
});

afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('installable app', () => {
  it('offers "Install app" when the browser fires beforeinstallprompt, and the button shows the browser prompt', async () => {
    await signIn(page, { url: server.url });
    // Chromium may already offer installation itself (the app is installable); the test's own event replaces it.
    await page.evaluate(() => {
      const e = new Event('beforeinstallprompt', { cancelable: true }) as Event & Record<string, unknown>;
      (window as unknown as { __prompted: number }).__prompted = 0;
      e.prompt = async () => void ((window as unknown as { __prompted: number }).__prompted += 1);
      e.userChoice = Promise.resolve({ outcome: 'accepted' });
      window.dispatchEvent(e);
    });
    await page.getByTestId('install-app').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __prompted: number }).__prompted)).toBe(1);
    // Accepted: the app is installed, the button goes away.
    await expect.poll(() => page.getByTestId('install-app').count()).toBe(0);
  });

  it('registers a Background Sync after a save where the browser supports it', async () => {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload();
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 20_000 }).toBe(true);
    const supported = await page.evaluate(() => 'SyncManager' in window);
    await page.evaluate(() => (location.hash = '#/task/demo-chair/1'));
    await page.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Azimuth +1°', exact: true }).click();
    await page.getByLabel('Good', { exact: true }).check();
    await page.getByLabel('Not dense', { exact: true }).check();
    await page.getByRole('button', { name: /^Save\b/ }).click();
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toMatch(/Saved on device|Synced/);
    if (!supported) {
      console.log('app-install: this Chromium has no SyncManager; Background Sync not checked');
      return;
    }
    await expect.poll(() => page.evaluate(() => (window as unknown as { __syncTags: string[] }).__syncTags), { timeout: 10_000 }).toContain('in3d-outbox');
  });

  it('keeps "Available offline" across a browser restart, and explains a task that is not on the device offline', async () => {
    await page.evaluate(() => (location.hash = '#/'));
    await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: 30_000 });
    const chair = page.locator('.task-card', { hasText: 'chair' }).first();
    // Opening question 1 above stored some of its files (the read-ahead), but nobody pressed "Make available
    // offline": nothing to resume (the button used to say "Resume download (7 / 502 on device)").
    const start = chair.getByTestId('offline-start');
    await expect.poll(() => start.getAttribute('data-stored'), { timeout: 20_000 }).toMatch(/^[1-9]/);
    expect(await start.textContent()).toBe('Make available offline');
    await start.click();
    await chair.getByTestId('offline-badge').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('storage-line').textContent()).toMatch(/used/);

    await context.close();
    await open();
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: 30_000 });
    await page.locator('.task-card', { hasText: 'chair' }).first().getByTestId('offline-badge').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('offline-badge').count()).toBe(1);

    // A task never opened on this device, offline: a message that says what to do, not "#1".
    await context.setOffline(true);
    await page.evaluate(() => (location.hash = '#/task/demo-tvmonitor/1'));
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.first().textContent(), { timeout: 20_000 }).toContain('not on this device');
    await context.setOffline(false);
  });
});
