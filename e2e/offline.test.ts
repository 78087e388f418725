// Offline in real Chromium against the real server: 20 questions annotated with the network off, the
// app reopened offline from the service worker, then every save on the server within 10 s of the network
// coming back; and again with the server killed and restarted while the app is syncing.
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER, launchBrowser, startServer, type RunningServer, signIn } from './harness';

let server: RunningServer;
let proxy: Proxy;
let browser: Browser;
let context: BrowserContext;
let page: Page;

// The demo seed's tasks: 10 chairs, 9 cars, 8 monitors. Twenty questions span all three.
const TWENTY = [
  ...Array.from({ length: 10 }, (_, i) => ({ taskId: 'demo-chair', n: i + 1 })),
  ...Array.from({ length: 9 }, (_, i) => ({ taskId: 'demo-car', n: i + 1 })),
  { taskId: 'demo-tvmonitor', n: 1 },
];

interface Proxy {
  url: string;
  /** The next push request kills the server before it arrives: the app's request dies in flight. */
  killServerOnNextPush(): Promise<void>;
  close(): void;
}

/**
 * A TCP relay between the browser and the server. Requests from a service-worker-controlled page do not
 * reach Playwright's routing, so the test sees the bytes here instead.
 */
async function startProxy(target: string): Promise<Proxy> {
  const { hostname, port } = new URL(target);
  let armed: (() => void) | null = null;
  const srv: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (armed && chunk.includes('POST /api/sync/push')) {
        const fire = armed;
        armed = null;
        client.pause();
        void server.stop().then(() => {
          cut();
          fire();
        });
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (d: Buffer) => client.write(d));
    client.on('error', cut);
    upstream.on('error', cut);
    client.on('close', cut);
    upstream.on('close', cut);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const addr = srv.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    killServerOnNextPush: () => new Promise<void>((resolve) => (armed = resolve)),
    close: () => srv.close(),
  };
}

/** What the server has stored for the demo annotator, read straight from its SQLite file. */
function serverRevisions(): { total: number; distinct: number; questions: number } {
  const db = new SQLite(join(server.dataDir, 'annotator.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(`SELECT count(*) AS total, count(DISTINCT id) AS distinct_ids, count(DISTINCT question_id) AS questions FROM annotations WHERE user_id = ?`)
      .get(DEMO_USER) as { total: number; distinct_ids: number; questions: number };
    return { total: row.total, distinct: row.distinct_ids, questions: row.questions };
  } finally {
    db.close();
  }
}

async function openQuestion(taskId: string, n: number): Promise<void> {
  // A hash change, as the app's own links do: no network needed.
  await page.evaluate((h) => (location.hash = h), `#/task/${taskId}/${n}`);
  await page.waitForFunction((k) => location.hash.endsWith(`/${k}`), n);
  await expect.poll(() => page.getByTestId('question-number').textContent(), { timeout: 20_000 }).toContain(`Question ${n} of`);
  await page.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 20_000 });
}

async function annotateAndSave(step: 'Azimuth +1°' | 'Azimuth +30°'): Promise<void> {
  await page.getByRole('button', { name: step, exact: true }).click();
  await page.getByLabel('Good', { exact: true }).check();
  await page.getByLabel('Not dense', { exact: true }).check();
  await page.getByRole('button', { name: /^Save\b/ }).click();
  await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Saved on device');
}

const pending = async () => Number((await page.getByTestId('pending-count').textContent({ timeout: 2000 }).catch(() => '0')) ?? 0);

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

describe('offline', () => {
  it('annotates 20 questions offline, reopens offline from the service worker, and syncs all 20 within 10 s of going online', async () => {
    await signIn(page, { url: proxy.url });

    // The service worker installs and precaches the shell; after a reload it controls the page.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 20_000 }).toBe(true);

    // "Make available offline" for every task: photos and meshes into IndexedDB.
    const buttons = page.getByRole('button', { name: /^Make available offline: / });
    await buttons.first().waitFor({ timeout: 30_000 });
    expect(await buttons.count()).toBe(3);
    for (let left = 3; left > 0; left--) {
      await buttons.first().click();
      // The button turns into a progress bar, then the "Available offline" badge.
      await expect.poll(() => buttons.count(), { timeout: 60_000 }).toBe(left - 1);
    }
    await expect.poll(() => page.getByTestId('offline-badge').count(), { timeout: 60_000 }).toBe(3);
    // The meshes arrived as format 2 (HTTP-compressed) and are kept gzip-wrapped, as format 3 (shared/src/mesh/v3.ts).
    const versions = await page.evaluate(
      () =>
        new Promise<number[]>((resolve, reject) => {
          const open = indexedDB.open('in3d-annotator');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction('meshes').objectStore('meshes').getAll();
            all.onerror = () => reject(all.error);
            all.onsuccess = () => resolve((all.result as { bytes: ArrayBuffer }[]).map((r) => new Uint8Array(r.bytes)[4]!));
          };
        }),
    );
    expect(versions.length).toBeGreaterThan(0);
    expect(new Set(versions)).toEqual(new Set([3]));

    await context.setOffline(true);
    for (const q of TWENTY) {
      await openQuestion(q.taskId, q.n);
      await annotateAndSave('Azimuth +1°');
    }
    await expect.poll(pending).toBe(20);
    expect(serverRevisions().total).toBe(0);

    // Reopen with no network: the service worker serves the app, the saves are still on the device.
    await page.reload();
    await openQuestion('demo-tvmonitor', 1);
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 20_000 }).toBe('Saved on device');
    expect(await page.getByLabel('Good', { exact: true }).isChecked()).toBe(true);
    await expect.poll(pending, { timeout: 10_000 }).toBe(20);

    const online = Date.now();
    await context.setOffline(false);
    await expect.poll(() => serverRevisions().total, { timeout: 10_000, interval: 200 }).toBe(20);
    console.log(`offline: 20 saves on the server ${Date.now() - online} ms after going online`);
    expect(serverRevisions()).toEqual({ total: 20, distinct: 20, questions: 20 });
    await expect.poll(pending, { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Synced');
  }, 300_000);

  it('syncs all 20 within 10 s of the server coming back when it is killed and restarted during the sync', async () => {
    await context.setOffline(true);
    for (const q of TWENTY) {
      await openQuestion(q.taskId, q.n);
      await annotateAndSave('Azimuth +30°');
    }
    await expect.poll(pending).toBe(20);

    // The first push is in flight when the server dies: the app sees the connection fail and must retry.
    // The first push is in flight when the server dies: the app sees the connection fail and must retry.
    const killed = proxy.killServerOnNextPush();
    await context.setOffline(false);
    await killed;
    expect(serverRevisions().total).toBe(20);
    await server.restart();
    const back = Date.now();
    await expect.poll(() => serverRevisions().total, { timeout: 10_000, interval: 200 }).toBe(40);
    console.log(`offline: 20 more saves on the server ${Date.now() - back} ms after the restart`);
    expect(serverRevisions()).toEqual({ total: 40, distinct: 40, questions: 20 });
    await expect.poll(pending, { timeout: 10_000 }).toBe(0);
  }, 300_000);
});
