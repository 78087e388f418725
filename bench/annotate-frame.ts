// Input → next frame through the real annotate page (server, app build, render worker), on the real CAD
// meshes chair/01 (3.9k faces), motorbike/02 (64k) and microphone/01 (110k): a fresh DATA_DIR holds the
// demo plus a task with one question per mesh (each category with all its fixture subtypes, so the
// gallery draws them). Clicks on "Azimuth +1°" and presses of D alternate every 250 ms, a human cadence
// that lets the gallery redraw in between, at devicePixelRatio 1 and 2, in feature edges (the default)
// and shaded. Per case, one figure a line:
//   frame_p50/p95_ms    the input event → the page has the renderer's reply for the frame showing the new pose
//   <term>_p50/p95_ms   where that time went, page and worker times on one clock (timeOrigin + now):
//                       dispatch (the input's timestamp → page code runs for it: browser input routing),
//                       call (→ the scheduler hands the scene over), wait (→ the worker starts it),
//                       draw (→ drawn and committed), reply (→ the page has the answer)
//   committed_p50/p95_ms  input → the renderer committed the frame (dispatch + call + wait + draw);
//                       painted adds the wait for the display's next frame (0 to 16.7 ms, by the input's phase)
//   painted_after_reply_p50/p95_ms  input → the first main-thread animation frame after the reply
//   display_frame_interval_p50/p95_ms  between the page's animation frames during the case (the display's pace)
//   on_next_frame_pct   of the inputs, those shown on the first display frame after the input (the title;
//                       a p95 ≤ 16.7 ms needs that and the input landing early in its frame)
//   painted_p50/p95_ms  input → the first main-thread animation frame that starts at or after the renderer
//                       committed the frame (CPU path: the worker's 2D OffscreenCanvas commits at the end of
//                       the drawing task; WebGL: the worker reports its own next animation frame), i.e. the
//                       display frame that shows it, without waiting for the reply: the goal
// Goals (issue 13): p95 ≤ 16.7 ms up to 24k faces, ≤ 33 ms for microphone/01. Needs a build (`npx vite build`).
// Alone: `npx tsx bench/annotate-frame.ts`; ANNOTATE_FRAME_INPUTS=40 sets the inputs per case.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { decodeMesh } from '@in3d/shared/mesh/codec';
import type { PoseJson } from '@in3d/shared/types';
import { DEMO_PASSWORD, DEMO_USER, ROOT, launchBrowser, signIn, startServer } from '../e2e/harness';
import { IMAGENET3D } from '../shared/test/fixtures';
import { migrateToLatest, openDatabase } from '../sync-server/src/db/connect';
import { seedDemo } from '../sync-server/src/demo/seed';
import { readCadModels, saveCadModels } from '../sync-server/src/exchange/cad';
import { storePhoto } from '../sync-server/src/exchange/photos';
import { Reports } from '../sync-server/src/exchange/report';
import { assignTask, setTaskQuestions, upsertImage, upsertQuestion, upsertTask } from '../sync-server/src/repositories/catalogue';
import { boundingRadius } from '../pwa/src/render/worker/view';

export const needsFixtures = true;

const ALL = [
  { name: 'chair/01', goalMs: 16.7 },
  { name: 'motorbike/02', goalMs: 16.7 },
  { name: 'microphone/01', goalMs: 33 },
] as const;
// ANNOTATE_FRAME_ONLY=chair/01,... limits the meshes, ANNOTATE_FRAME_DPR=1 the pixel ratios.
const only = process.env.ANNOTATE_FRAME_ONLY?.split(',');
const MESHES = ALL.filter((m) => !only || only.includes(m.name));
const DPRS = (process.env.ANNOTATE_FRAME_DPR?.split(',').map(Number) ?? [1, 2]) as (1 | 2)[];
const TASK = 'bench-frame';
const PHOTO = 'images/chair/n03001627_318_00.JPEG';
const PHOTO_SIZE = { width: 500, height: 375 };
const VIEWPORT = 3000;
const INPUTS = Number(process.env.ANNOTATE_FRAME_INPUTS ?? 40);
const CADENCE_MS = 250;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

/** A DATA_DIR with the demo and the bench task: question k shows mesh k, about 70% of the photo's height. */
async function buildDataDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'in3d-bench-frame-'));
  const { db, close } = openDatabase(join(dir, 'annotator.sqlite'));
  try {
    await migrateToLatest(db);
    await seedDemo(db, dir, { password: DEMO_PASSWORD, photosPerCategory: 2 });
    const reports = new Reports();
    const ids: string[] = [];
    for (const { name } of MESHES) {
      const [category, nn] = name.split('/') as [string, string];
      const plan = readCadModels(join(IMAGENET3D, 'cad'), category, reports);
      await saveCadModels(db, category, plan.models);
      const model = plan.models.find((m) => m.subtype === Number(nn));
      if (!model) throw new Error(`${name}: not among the fixture models (${reports.items.map((r) => r.message).join('; ')})`);
      const decoded = await decodeMesh(model.mesh);
      if (!decoded.ok) throw new Error(`${name}: ${decoded.error}`);
      const photo = storePhoto(dir, category, join(IMAGENET3D, 'legacy', PHOTO));
      const imageId = `bench-${category}`;
      await upsertImage(db, { id: imageId, category, filePath: photo.filePath, width: PHOTO_SIZE.width, height: PHOTO_SIZE.height, etag: photo.etag, bytes: photo.bytes });
      const distance = (VIEWPORT * boundingRadius(decoded.mesh)) / (0.35 * PHOTO_SIZE.height);
      const pose: PoseJson = { azimuth: 30, elevation: 15, theta: -5, distance, px: PHOTO_SIZE.width / 2, py: PHOTO_SIZE.height / 2 };
      const id = `bench-${category}-${nn}`;
      await upsertQuestion(db, { id, imageId, category, bbox: [60, 20, 440, 360], viewport: VIEWPORT, initialPose: pose, initialSubtype: model.subtype });
      ids.push(id);
    }
    await upsertTask(db, { id: TASK, name: 'Bench: frame' });
    await setTaskQuestions(db, TASK, ids);
    await assignTask(db, TASK, DEMO_USER);
  } finally {
    await close();
  }
  return dir;
}

/** Loads the app afresh on question `n` of the bench task; waits until its mesh is drawn and the gallery has settled. */
async function openQuestion(page: Page, base: string, n: number, run: string) {
  // A query of its own makes it a real load (a hash change alone would not read the view settings again).
  await page.goto(`${base}/?case=${run}#/task/${TASK}/${n}`);
  await page.waitForFunction(() => {
    const vp = document.querySelector('[data-testid=viewport]');
    return vp && Number(vp.getAttribute('data-frames') ?? 0) > 0;
  }, null, { timeout: 60_000 }).catch(async (e: unknown) => {
    throw new Error(`question ${n} never drew: ${(await page.locator('main').textContent())?.slice(0, 300)}`, { cause: e });
  });
  await page.waitForTimeout(1500);
}

/** Where one input's time went, ms, each term from the end of the one before (page and worker on one clock). */
interface Breakdown {
  /** The input event's timestamp → page code runs for it (the browser's input routing, whatever the main thread was doing). */
  dispatch: number;
  /** → the render scheduler hands the scene to the renderer (handlers, pose signal, one frame in flight). */
  call: number;
  /** → the renderer starts drawing it (postMessage, and whatever the worker was busy with: a thumbnail). */
  wait: number;
  /** → the frame is drawn (and committed: the worker's 2D canvas commits at the end of that task). */
  draw: number;
  /** → the page has the reply (`in3d:frame`): main-thread work delays it. */
  reply: number;
}
const TERMS = ['dispatch', 'call', 'wait', 'draw', 'reply'] as const satisfies readonly (keyof Breakdown)[];

interface Rec { t0: number; handled: number; called: number; started: number; drawn: number; reply: number; afterReply: number }

/** Alternating step-button clicks and D presses every CADENCE_MS; per input, its frame's times. */
async function measure(page: Page, inputs: number) {
  await page.evaluate(() => {
    type R = { t0: number; handled: number; called: number; started: number; drawn: number; reply: number; afterReply: number };
    const w = window as unknown as { __bench: { recs: R[]; ticks: number[]; t0: number | null; h0: number; az: number | null; last: number | null; starts: string[]; on: boolean } };
    w.__bench = { recs: [], ticks: [], t0: null, h0: 0, az: null, last: null, starts: [], on: true };
    // Every animation frame's start on the main thread, to find the first one after a frame was committed.
    const tick = () => {
      w.__bench.ticks.push(performance.now());
      if (w.__bench.on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const vp = document.querySelector('[data-testid=viewport]')!;
    const start = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.code === 'KeyD' : (e.target as Element | null)?.closest?.('button.step')) {
        w.__bench.t0 = e.timeStamp;
        w.__bench.h0 = performance.now();
        w.__bench.az = w.__bench.last;
        w.__bench.starts.push(e.type);
      }
    };
    window.addEventListener('keydown', start, true);
    window.addEventListener('click', start, true);
    vp.addEventListener('in3d:frame', (e) => {
      const b = w.__bench;
      const reply = performance.now();
      const d = (e as CustomEvent<{ pose: { azimuth: number }; meshKey: string | null; calledAt: number; startedAt: number; drawnAt: number }>).detail;
      const before = b.az;
      b.last = d.pose.azimuth;
      // The first frame with the mesh at a new azimuth after the input (a step before the mesh loaded measures nothing).
      if (b.t0 === null || !d.meshKey || d.pose.azimuth === before) return;
      const o = performance.timeOrigin;
      const rec: R = { t0: b.t0, handled: b.h0, called: d.calledAt, started: d.startedAt - o, drawn: d.drawnAt - o, reply, afterReply: NaN };
      b.t0 = null;
      b.recs.push(rec);
      requestAnimationFrame(() => (rec.afterReply = performance.now()));
    });
  });
  const button = page.getByRole('button', { name: 'Azimuth +1°', exact: true });
  await page.locator('#pose-azimuth').blur();
  for (let i = 0; i < inputs; i++) {
    const t = Date.now();
    if (i % 2 === 0) await button.click();
    else await page.keyboard.press('d');
    await page.waitForTimeout(Math.max(0, CADENCE_MS - (Date.now() - t)));
  }
  await page.waitForTimeout(300);
  const r = await page.evaluate(() => {
    const b = (window as unknown as { __bench: { recs: Rec[]; ticks: number[]; starts: string[]; on: boolean } }).__bench;
    b.on = false;
    return b;
  });
  if (r.starts.length !== inputs) throw new Error(`${r.starts.length} of ${inputs} inputs reached the page`);
  const recs = r.recs.filter((x) => Number.isFinite(x.afterReply));
  return {
    frame: recs.map((x) => x.reply - x.t0),
    // The first main-thread animation frame starting at or after the commit: the display has the frame then.
    painted: recs.map((x) => (r.ticks.find((t) => t >= x.drawn) ?? NaN) - x.t0),
    afterReply: recs.map((x) => x.afterReply - x.t0),
    committed: recs.map((x) => x.drawn - x.t0),
    // Between the page's animation frames: a headless browser's display frames are not all 16.7 ms apart.
    intervals: r.ticks.slice(1).map((t, i) => t - r.ticks[i]!),
    // Display frames from the input to the one showing it: 1 = the next frame after the input.
    frames: recs.map((x) => r.ticks.filter((t) => t > x.t0 && t <= (r.ticks.find((u) => u >= x.drawn) ?? -Infinity)).length),
    // The app's own listener can run before the bench's: page code ran at the first of the two.
    parts: recs.map((x): Breakdown => ({ dispatch: Math.min(x.handled, x.called) - x.t0, call: x.called - Math.min(x.handled, x.called), wait: x.started - x.called, draw: x.drawn - x.started, reply: x.reply - x.drawn })),
    starts: r.starts,
  };
}

async function runCases(browser: Browser, base: string, dpr: 1 | 2) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: dpr, locale: 'en-US' });
  // tsx compiles the functions passed to evaluate() with esbuild's keepNames helper; give the page one.
  await context.addInitScript('globalThis.__name = (f) => f;');
  const page = await context.newPage();
  // Leaving with unsaved steps may ask first (the draft is kept on the device either way): leave.
  page.on('dialog', (d) => void d.accept());
  try {
    await signIn(page, { url: base });
    for (const mode of ['edges', 'shaded'] as const) {
      await page.evaluate((m) => {
        const cur = JSON.parse(localStorage.getItem('in3d.view') ?? '{}') as Record<string, unknown>;
        localStorage.setItem('in3d.view', JSON.stringify({ ...cur, overlayMode: m }));
      }, mode);
      for (const [i, mesh] of MESHES.entries()) {
        await openQuestion(page, base, i + 1, `${dpr}-${mode}-${i}`);
        const backend = await page.getByTestId('viewport').getAttribute('data-backend');
        const r = await measure(page, INPUTS);
        const tag = `annotate-frame ${mesh.name} dpr${dpr} ${mode} ${backend}`;
        const goal = `goal_p95<=${mesh.goalMs}`;
        console.log(`${tag} frame_p50_ms ${pct(r.frame, 50).toFixed(1)}`);
        console.log(`${tag} frame_p95_ms ${pct(r.frame, 95).toFixed(1)}`);
        for (const t of TERMS) {
          const xs = r.parts.map((p) => p[t]);
          console.log(`${tag} ${t}_p50_ms ${pct(xs, 50).toFixed(1)}`);
          console.log(`${tag} ${t}_p95_ms ${pct(xs, 95).toFixed(1)}`);
        }
        console.log(`${tag} committed_p50_ms ${pct(r.committed, 50).toFixed(1)}`);
        // The frame-budget reading of the goal: the frame is ready within one frame's time, so the display can show
        // it next. The painted line below is the stricter reading (its p95 also counts the input's phase in its frame).
        console.log(`${tag} committed_p95_ms ${pct(r.committed, 95).toFixed(1)} ${goal} ${pct(r.committed, 95) <= mesh.goalMs ? 'met' : 'MISSED'} (frame budget)`);
        console.log(`${tag} painted_after_reply_p50_ms ${pct(r.afterReply, 50).toFixed(1)}`);
        console.log(`${tag} painted_after_reply_p95_ms ${pct(r.afterReply, 95).toFixed(1)}`);
        console.log(`${tag} display_frame_interval_p50_ms ${pct(r.intervals, 50).toFixed(1)}`);
        console.log(`${tag} display_frame_interval_p95_ms ${pct(r.intervals, 95).toFixed(1)}`);
        const next = r.frames.filter((f) => f === 1).length;
        console.log(`${tag} on_next_frame_pct ${((100 * next) / Math.max(1, r.frames.length)).toFixed(0)} (${next}/${r.frames.length}; the rest one frame later or more: max ${Math.max(0, ...r.frames) - 1})`);
        console.log(`${tag} painted_p50_ms ${pct(r.painted, 50).toFixed(1)}`);
        console.log(`${tag} painted_p95_ms ${pct(r.painted, 95).toFixed(1)} ${goal} ${pct(r.painted, 95) <= mesh.goalMs ? 'met' : 'MISSED'} (n=${r.painted.length}/${INPUTS}, load ${loadavg()[0]!.toFixed(1)})`);
      }
    }
  } finally {
    await context.close();
  }
}

export async function run(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/index.html'))) execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: ROOT, stdio: 'ignore' });
  const dataDir = await buildDataDir();
  const server = await startServer({ dataDir });
  const browser = await launchBrowser();
  try {
    for (const dpr of DPRS) await runCases(browser, server.url, dpr);
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
