// A cold first visit on a poor link (issue 13): Chromium's network throttling through CDP
// (1.6 Mbps down, 150 ms RTT), a fresh browser context each time (no HTTP cache, no IndexedDB), the
// real server and demo seed. Figures: time and bytes to the login form, and to a usable demo-chair
// annotate page (signed in, task opened, first frame with its photo and mesh drawn), and the page's own
// time from the task payload's last byte to its first photo and mesh requests (CDP request timestamps).
// The service worker is blocked: CDP throttles the page's own requests, not the worker's, so its
// precache would download at full speed and hide what it costs; it starts after `load` anyway.
// Needs a build: `npx vite build`. `npx tsx bench/first-visit.ts`
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USER, ROOT, launchBrowser, startServer } from '../e2e/harness';

const LINK = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const RUNS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** When (CDP's clock, ms) requests were sent and finished, by request id. */
interface Wire {
  sent: Map<string, { url: string; at: number }>;
  finished: Map<string, number>;
}

/** A throttled page in a fresh context, counting the bytes that came over the wire. */
async function coldPage(browser: Browser): Promise<{ page: Page; bytes(): number; wire: Wire; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.addInitScript('globalThis.__name = (f) => f;');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', LINK);
  let bytes = 0;
  const wire: Wire = { sent: new Map(), finished: new Map() };
  cdp.on('Network.requestWillBeSent', (e) => void (wire.sent.has(e.requestId) || wire.sent.set(e.requestId, { url: e.request.url, at: e.timestamp * 1000 })));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    wire.finished.set(e.requestId, e.timestamp * 1000);
  });
  return { page, bytes: () => bytes, wire, close: () => context.close() };
}

async function chairTask(browser: Browser, url: string): Promise<string> {
  const context = await browser.newContext();
  try {
    const login = await context.request.post(`${url}/api/auth/login`, { data: { userId: DEMO_USER, password: DEMO_PASSWORD } });
    if (!login.ok()) throw new Error(`demo login failed: ${login.status()}`);
    const tasks = (await (await context.request.get(`${url}/api/tasks`)).json()) as { id: string; category: string | null }[];
    const chair = tasks.find((t) => t.category === 'demo-chair');
    if (!chair) throw new Error('the demo seed has no demo-chair task');
    return chair.id;
  } finally {
    await context.close();
  }
}

/**
 * From the task payload's last byte to the first request whose path starts with `prefix` (the photo,
 * the mesh): the page's own work in between (parse, store, read statuses, open the question).
 */
function payloadTo(wire: Wire, taskId: string, prefix: string): number {
  const sent = [...wire.sent].map(([id, r]) => ({ id, path: new URL(r.url).pathname, at: r.at }));
  const payload = sent.find((r) => r.path === `/api/tasks/${encodeURIComponent(taskId)}`);
  const done = payload && wire.finished.get(payload.id);
  const next = sent.filter((r) => r.path.startsWith(prefix) && done !== undefined && r.at >= done).sort((a, b) => a.at - b.at)[0];
  return done !== undefined && next ? next.at - done : NaN;
}

/** Resolves at the first frame that shows a photo with its mesh. */
const firstOverlay = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<void>((done) => {
        const look = () => {
          const vp = document.querySelector('[data-testid=viewport]');
          if (!vp) return void setTimeout(look, 10);
          vp.addEventListener('in3d:frame', function on(e) {
            const d = (e as CustomEvent<{ photoSeq: number; meshKey: string | null }>).detail;
            if (d.photoSeq > 0 && d.meshKey) {
              vp.removeEventListener('in3d:frame', on);
              done();
            }
          });
        };
        look();
      }),
  );

export async function run(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/index.html'))) execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: ROOT, stdio: 'ignore' });
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const taskId = await chairTask(browser, server.url);
    const login = { ms: [] as number[], bytes: [] as number[] };
    const usable = { ms: [] as number[], bytes: [] as number[], fromOpen: [] as number[], openBytes: [] as number[], toPhoto: [] as number[], toMesh: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      const cold = await coldPage(browser);
      try {
        const { page } = cold;
        const t0 = Date.now();
        await page.goto(server.url, { waitUntil: 'commit' });
        await page.getByLabel('Annotator ID').waitFor({ timeout: 60_000 });
        login.ms.push(Date.now() - t0);
        login.bytes.push(cold.bytes());
        await page.getByLabel('Annotator ID').fill(DEMO_USER);
        await page.getByLabel('Password').fill(DEMO_PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: 60_000 });
        const b1 = cold.bytes();
        const t1 = Date.now();
        const drawn = firstOverlay(page);
        await page.evaluate((id) => (location.hash = `#/task/${encodeURIComponent(id)}/1`), taskId);
        await drawn;
        usable.ms.push(Date.now() - t0);
        usable.fromOpen.push(Date.now() - t1);
        usable.bytes.push(cold.bytes());
        usable.openBytes.push(cold.bytes() - b1);
        usable.toPhoto.push(payloadTo(cold.wire, taskId, '/api/images/'));
        usable.toMesh.push(payloadTo(cold.wire, taskId, '/api/meshes/'));
      } finally {
        await cold.close();
      }
    }
    const tag = 'first-visit 1.6Mbps/150ms demo-chair';
    const kb = (b: number) => (b / 1024).toFixed(0);
    console.log(`${tag} login_form_ms ${median(login.ms)} (goal <= 1500)`);
    console.log(`${tag} login_form_kb ${kb(median(login.bytes))}`);
    console.log(`${tag} annotate_usable_ms ${median(usable.ms)} (goal ~4500; from the first request, through sign-in and the task list)`);
    console.log(`${tag} annotate_usable_kb ${kb(median(usable.bytes))}`);
    console.log(`${tag} open_task_to_usable_ms ${median(usable.fromOpen)}`);
    console.log(`${tag} open_task_to_usable_kb ${kb(median(usable.openBytes))}`);
    // The page's work between the task payload's last byte and the first photo / mesh request.
    console.log(`${tag} payload_to_photo_request_ms ${median(usable.toPhoto).toFixed(0)}`);
    console.log(`${tag} payload_to_mesh_request_ms ${median(usable.toMesh).toFixed(0)}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
