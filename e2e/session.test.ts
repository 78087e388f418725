// Session state in real Chromium against the real server: no sync chip before sign-in; an admin resets
// the annotator's password mid-work, the banner appears, "Sign in again" keeps the page, the unsaved edit
// and the outbox, and the pending save syncs; logging out with a pending save asks first and "Sync now"
// sends it; two tabs of the same user show each other's saves.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USER, launchBrowser, startServer, type RunningServer, signIn } from './harness';

const NEW_PASSWORD = 'reset-by-admin-e2e';

let server: RunningServer;
let proxy: Proxy;
let browser: Browser;
let context: BrowserContext;
let page: Page;

interface Proxy {
  url: string;
  /** While set, every push request's connection is cut: the app sees the network fail, only for pushes. */
  blockPushes: boolean;
  close(): void;
}

/** A TCP relay (requests of a service-worker-controlled page do not reach Playwright's routing). */
async function startProxy(target: string): Promise<Proxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const p: Proxy = { url: '', blockPushes: false, close: () => undefined };
  const srv: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client);
    const cut = () => {
      sockets.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (p.blockPushes && chunk.includes('POST /api/sync/push')) return cut();
      upstream.write(chunk);
    });
    upstream.on('data', (d: Buffer) => client.write(d));
    for (const s of [client, upstream]) {
      s.on('error', cut);
      s.on('close', cut);
    }
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const addr = srv.address();
  p.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  p.close = () => {
    for (const s of sockets) s.destroy();
    srv.close();
  };
  return p;
}

/** Revisions the server stored for the demo annotator, read from its SQLite file. */
function serverRevisions(): number {
  const db = new SQLite(join(server.dataDir, 'annotator.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM annotations WHERE user_id = ?').get(DEMO_USER) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The admin API, as the dashboard calls it, signed in as the demo admin. */
async function asAdmin(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 'admin', password: DEMO_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, await res.text()).toBeLessThan(300);
}

const adminResetsPassword = (userId: string, password: string) => asAdmin('POST', `/api/admin/users/${userId}/password`, { password });


async function openQuestion(p: Page, taskId: string, n: number): Promise<void> {
  await p.evaluate((h) => (location.hash = h), `#/task/${taskId}/${n}`);
  await expect.poll(() => p.getByTestId('question-number').textContent(), { timeout: 20_000 }).toContain(`Question ${n} of`);
  await p.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 20_000 });
}

const azimuth = async (p: Page) => Number(await p.getByLabel('Azimuth', { exact: true }).inputValue());
const saveState = (p: Page) => p.getByTestId('save-state').textContent();

async function annotateAndSave(p: Page, step: 'Azimuth +1°' | 'Azimuth +30°'): Promise<void> {
  await p.getByRole('button', { name: step, exact: true }).click();
  await p.getByLabel('Good', { exact: true }).check();
  await p.getByLabel('Not dense', { exact: true }).check();
  await p.getByRole('button', { name: /^Save\b/ }).click();
  await expect.poll(() => saveState(p), { timeout: 10_000 }).toMatch(/^(Saved on device|Synced)$/);
}

beforeAll(async () => {
  server = await startServer();
  proxy = await startProxy(server.url);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  page.on('dialog', (d) => void d.accept());
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  proxy?.close();
});

describe('session', () => {
  it('shows no sync chip before sign-in, and one after', async () => {
    await page.goto(proxy.url);
    await page.getByLabel('Annotator ID').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('region', { name: 'Sync status' }).count()).toBe(0);
    expect(await page.getByTestId('sync-state').count()).toBe(0);
    await signIn(page);
    await expect.poll(() => page.getByTestId('sync-state').textContent(), { timeout: 10_000 }).toBe('Synced');
    // Esc closes the sync popover.
    await page.getByTestId('sync-state').click();
    await page.getByTestId('sync-popover').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('sync-popover').count()).toBe(0);
  }, 120_000);

  it('an admin resets the password mid-work: the banner appears, signing in from it keeps the unsaved edit, and the pending save syncs', async () => {
    await openQuestion(page, 'demo-chair', 1);
    // Esc closes the display options popover too.
    const display = page.locator('details.display-options');
    await display.locator('summary').click();
    await expect.poll(() => display.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => display.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);

    await annotateAndSave(page, 'Azimuth +1°');
    await expect.poll(serverRevisions, { timeout: 10_000 }).toBe(1);

    await adminResetsPassword(DEMO_USER, NEW_PASSWORD);
    // The next save cannot reach the server: the session is gone.
    await annotateAndSave(page, 'Azimuth +30°');
    const banner = page.getByTestId('session-banner');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toContain('signed out on the server');
    expect(serverRevisions()).toBe(1);
    expect(await saveState(page)).toBe('Saved on device');

    // An edit not saved yet, then "Sign in again" from the banner.
    await page.getByRole('button', { name: 'Azimuth +1°', exact: true }).click();
    const edited = await azimuth(page);
    await expect.poll(() => saveState(page)).toBe('Unsaved changes');
    const hash = await page.evaluate(() => location.hash);
    await banner.getByRole('button', { name: 'Sign in again' }).click();
    const dialog = page.getByTestId('sign-in-dialog');
    await dialog.getByLabel('Password').fill(NEW_PASSWORD);
    // Enter signs in; it must not also reach the page, where Enter saves the annotation.
    await dialog.getByLabel('Password').press('Enter');

    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(serverRevisions, { timeout: 10_000 }).toBe(2);
    expect(await page.evaluate(() => location.hash)).toBe(hash);
    expect(await azimuth(page)).toBe(edited);
    expect(await saveState(page)).toBe('Unsaved changes');
    await expect.poll(() => page.getByTestId('pending-count').count(), { timeout: 10_000 }).toBe(0);
  }, 120_000);

  it('logging out with a pending save asks first, and "Sync now" sends it before logging out', async () => {
    // Save the edit kept from the last test while pushes cannot get through.
    proxy.blockPushes = true;
    await page.getByRole('button', { name: /^Save\b/ }).click();
    await expect.poll(() => saveState(page), { timeout: 10_000 }).toBe('Saved on device');
    await expect.poll(() => page.getByTestId('pending-count').textContent(), { timeout: 10_000 }).toBe('1');
    // The chip says why: the failed push marked the device offline.
    await expect.poll(() => page.getByTestId('sync-state').textContent(), { timeout: 10_000 }).toBe('Offline');

    await page.getByRole('button', { name: 'Log out' }).click();
    const dialog = page.getByTestId('logout-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('logout-pending').textContent()).toContain('not reached the server yet: 1.');
    // Esc closes it and nothing happens; open it again.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByRole('button', { name: 'Log out' }).click();
    await dialog.waitFor();

    proxy.blockPushes = false;
    expect(serverRevisions()).toBe(2);
    await dialog.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(serverRevisions, { timeout: 10_000 }).toBe(3);
    await page.getByLabel('Annotator ID').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('sync-state').count()).toBe(0);
  }, 120_000);

  it('two tabs of the same user show each other\'s saves', async () => {
    await signIn(page, { password: NEW_PASSWORD });
    const other = await context.newPage();
    other.on('pageerror', (e) => console.error('pageerror (tab 2):', e.message));
    try {
      await other.goto(`${proxy.url}/#/task/demo-chair/3`);
      await openQuestion(other, 'demo-chair', 3);
      await openQuestion(page, 'demo-chair', 3);
      const before = await azimuth(other);

      await annotateAndSave(page, 'Azimuth +30°');
      const saved = await azimuth(page);
      expect(saved).not.toBe(before);
      let t0 = Date.now();
      await expect.poll(() => azimuth(other), { timeout: 5000, interval: 50 }).toBe(saved);
      console.log(`session: tab 2 showed tab 1's save after ${Date.now() - t0} ms`);
      expect(await other.getByLabel('Good', { exact: true }).isChecked()).toBe(true);
      await expect.poll(() => saveState(other), { timeout: 10_000 }).toMatch(/^(Saved on device|Synced)$/);

      await other.getByRole('button', { name: 'Azimuth +1°', exact: true }).click();
      await other.getByRole('button', { name: /^Save\b/ }).click();
      const back = await azimuth(other);
      t0 = Date.now();
      await expect.poll(() => azimuth(page), { timeout: 5000, interval: 50 }).toBe(back);
      console.log(`session: tab 1 showed tab 2's save after ${Date.now() - t0} ms`);
      await expect.poll(() => serverRevisions(), { timeout: 10_000 }).toBe(5);
      // Nothing along the way was reported as a failure.
      expect(await page.getByTestId('error-toast').count()).toBe(0);
      expect(await other.getByTestId('error-toast').count()).toBe(0);
    } finally {
      await other.close();
    }
  }, 120_000);

  it('a refused save says why in words, and "Send again" after re-assignment stores it', async () => {
    await openQuestion(page, 'demo-car', 1);
    await asAdmin('DELETE', '/api/admin/tasks/demo-car/assignees/demo');
    const before = serverRevisions();
    await annotateAndSave(page, 'Azimuth +30°');
    await expect.poll(() => page.getByTestId('sync-state').textContent(), { timeout: 15_000 }).toBe('Needs attention');
    expect(serverRevisions()).toBe(before);
    // The question's own status says why in words too.
    await expect.poll(() => saveState(page), { timeout: 10_000 }).toContain('not assigned to you');
    expect(await saveState(page)).not.toContain('not_assigned');

    await page.getByTestId('sync-state').click();
    const item = page.getByTestId('attention-item');
    await item.waitFor({ timeout: 10_000 });
    const text = (await item.textContent()) ?? '';
    expect(text).toContain('Annotation');
    expect(text).toContain('not assigned to you');
    expect(text).not.toMatch(/\bnot_assigned\b/);
    for (const action of ['Open', 'Send again', 'Discard']) expect(await item.getByRole('button', { name: action }).count()).toBe(1);

    await asAdmin('POST', '/api/admin/tasks/demo-car/assignees', { userId: 'demo' });
    await item.getByRole('button', { name: 'Send again' }).click();
    await expect.poll(serverRevisions, { timeout: 10_000 }).toBe(before + 1);
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(0);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('sync-state').textContent(), { timeout: 10_000 }).toBe('Synced');
    await expect.poll(() => saveState(page), { timeout: 10_000 }).toBe('Synced');
  }, 120_000);

  it("logging out anyway strands the save on the device, and the next user is told whose saves they are", async () => {
    proxy.blockPushes = true;
    await annotateAndSave(page, 'Azimuth +1°');
    await expect.poll(() => page.getByTestId('pending-count').textContent(), { timeout: 10_000 }).toBe('1');
    const before = serverRevisions();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByTestId('logout-dialog').getByRole('button', { name: 'Log out anyway' }).click();
    await page.getByLabel('Annotator ID').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('device-pending').textContent(), { timeout: 10_000 }).toContain('1 unsynced saves');

    await signIn(page, { user: 'reviewer' });
    const note = page.getByTestId('others-pending');
    await note.waitFor({ timeout: 10_000 });
    expect(await note.textContent()).toContain('1 unsynced saves of demo');
    // Nothing of the reviewer's is waiting: logging out asks nothing.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Annotator ID').waitFor({ timeout: 10_000 });

    proxy.blockPushes = false;
    await signIn(page, { password: NEW_PASSWORD });
    await expect.poll(serverRevisions, { timeout: 10_000 }).toBe(before + 1);
    expect(await page.getByTestId('others-pending').count()).toBe(0);
  }, 120_000);
  it('a link to a question opened while signed out leads there after sign-in; a plain visit leads to the tasks', async () => {
    const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    try {
      const p = await fresh.newPage();
      await p.goto(`${server.url}/#/task/demo-car/2`);
      await p.getByLabel('Annotator ID').waitFor({ timeout: 30_000 });
      expect(await p.evaluate(() => location.hash)).toBe('#/login');
      await signIn(p, { password: NEW_PASSWORD, until: 'signed-in' });
      expect(await p.evaluate(() => location.hash)).toBe('#/task/demo-car/2');
      await expect.poll(() => p.getByTestId('question-number').textContent(), { timeout: 20_000 }).toContain('Question 2 of');

      await p.getByRole('button', { name: 'Log out' }).click();
      await p.getByLabel('Annotator ID').waitFor({ timeout: 10_000 });
      await signIn(p, { password: NEW_PASSWORD });
      expect(await p.evaluate(() => location.hash)).toBe('#/tasks');
    } finally {
      await fresh.close();
    }
  }, 120_000);
});
