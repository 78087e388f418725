// The annotate page as a user feels it, in headless Chromium against the real server and demo seed:
// key press → frame, pointer move → frame (drag), and "next question" → first frame of the new photo
// (photos of the next questions are prefetched: the warm path). Needs a build: `npx vite build`.
// `npx tsx bench/annotate-ui.ts`; `IN3D_BENCH_PART=save` runs the saves alone, `IN3D_SAVES=N` times them N times (30),
// `IN3D_TRACE=file.json` records a Chromium trace of them.
// The saves print a breakdown too: the median time of each step (pwa/src/data/save-probe.ts marks) after the one before.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USER, ROOT, launchBrowser, startServer } from '../e2e/harness';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** Keydown on the window → the first frame that shows the stepped azimuth. */
async function keyToFrame(page: Page, n: number): Promise<number[]> {
  return page.evaluate(async (count) => {
    const vp = document.querySelector('[data-testid=viewport]')!;
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const input = document.getElementById('pose-azimuth') as HTMLInputElement;
      const expected = (Number(input.value) + 1) % 360;
      const t0 = performance.now();
      const frame = new Promise<number>((done) => {
        const on = (e: Event) => {
          const az = (e as CustomEvent<{ pose: { azimuth: number } }>).detail.pose.azimuth;
          if (Math.abs(az - expected) < 0.05) {
            vp.removeEventListener('in3d:frame', on);
            done(performance.now());
          }
        };
        vp.addEventListener('in3d:frame', on);
      });
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'd', code: 'KeyD', bubbles: true }));
      out.push((await frame) - t0);
      await new Promise((r) => setTimeout(r, 30));
    }
    return out;
  }, n);
}

/** Real mouse drags: time from the oldest pointer move not yet drawn to the frame that drew it. */
async function dragToFrame(page: Page, moves: number): Promise<number[]> {
  await page.evaluate(() => {
    const vp = document.querySelector('[data-testid=viewport]')!;
    const w = window as unknown as { __lat: number[]; __pending: number | null };
    w.__lat = [];
    w.__pending = null;
    vp.addEventListener('pointermove', () => (w.__pending ??= performance.now()), { capture: true });
    vp.addEventListener('in3d:frame', () => {
      if (w.__pending !== null) w.__lat.push(performance.now() - w.__pending);
      w.__pending = null;
    });
  });
  const box = (await page.getByTestId('viewport').boundingBox())!;
  const x0 = box.x + box.width * 0.15, y0 = box.y + box.height * 0.2;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 1; i <= moves; i++) {
    await page.mouse.move(x0 + (i % 40) * 4, y0 + Math.floor(i / 40) * 4);
    await page.waitForTimeout(8); // ~120 Hz pointer
  }
  await page.mouse.up();
  await page.waitForTimeout(300);
  return page.evaluate(() => (window as unknown as { __lat: number[] }).__lat);
}

/** Presses "." and waits for the frame that shows the next question's photo with its mesh. */
async function nextQuestion(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const vp = document.querySelector('[data-testid=viewport]')!;
    // The photo number of the current view, from a frame forced by a harmless opacity nudge.
    const startSeq = await new Promise<number>((done) => {
      const on = (e: Event) => {
        vp.removeEventListener('in3d:frame', on);
        done((e as CustomEvent<{ photoSeq: number }>).detail.photoSeq);
      };
      vp.addEventListener('in3d:frame', on);
      window.dispatchEvent(new KeyboardEvent('keydown', { key: '-', code: 'Minus', bubbles: true }));
    });
    const t0 = performance.now();
    const drawn = new Promise<number>((done) => {
      const on = (e: Event) => {
        const d = (e as CustomEvent<{ photoSeq: number; meshKey: string | null }>).detail;
        if (d.photoSeq > startSeq && d.meshKey) {
          vp.removeEventListener('in3d:frame', on);
          done(performance.now());
        }
      };
      vp.addEventListener('in3d:frame', on);
    });
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '.', code: 'Period', bubbles: true }));
    return (await drawn) - t0;
  });
}

/** One save's steps: [step, ms since the Enter keydown], in the order they happened. */
type Steps = [string, number][];

/**
 * Enter after a pose step → "Saved on device" and → "Synced" in the question's save line, seen by a
 * MutationObserver (the DOM text; `painted` is the next animation frame after it); also counts saves
 * that showed a stale "Synced" before "Saved on device", and keeps each save's steps (save-probe marks).
 */
async function enterToSaved(page: Page, n: number): Promise<{ saved: number[]; synced: number[]; stale: number; steps: Steps[] }> {
  return page.evaluate(async (count) => {
    const line = () => document.querySelector('[data-testid=save-state]')!;
    const marks = (window as unknown as { __in3dSaveMarks: [string, number][] }).__in3dSaveMarks;
    const saved: number[] = [], synced: number[] = [], steps: [string, number][][] = [];
    let stale = 0;
    for (let i = 0; i < count; i++) {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'd', code: 'KeyD', bubbles: true }));
      await new Promise((r) => setTimeout(r, 60));
      await new Promise<void>((done) => {
        let t0 = 0, sawSaved = false;
        const mine: [string, number][] = [];
        const seen = () => {
          const text = line().textContent;
          if (text === 'Saved on device' && !sawSaved) {
            sawSaved = true;
            const at = performance.now();
            saved.push(at - t0);
            mine.push(...marks.map(([k, v]): [string, number] => [k, v - t0]), ['shown', at - t0]);
            requestAnimationFrame(() => mine.push(['painted', performance.now() - t0]));
          } else if (text === 'Synced') {
            if (!sawSaved) stale++;
            else synced.push(performance.now() - t0);
            obs.disconnect();
            steps.push(mine);
            done();
          }
        };
        const obs = new MutationObserver(seen);
        obs.observe(line(), { childList: true, characterData: true, subtree: true });
        marks.length = 0;
        t0 = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
      });
      await new Promise((r) => setTimeout(r, 150));
    }
    return { saved, synced, stale, steps };
  }, n);
}

/**
 * The floor under a save in this browser, on a scratch database next to the app's: one read, then
 * read-write transactions with an explicit commit: three puts in three stores (strict, as the app, and
 * relaxed to compare) and three puts in one store (what fewer stores would buy).
 */
async function idbFloor(page: Page, n: number): Promise<Record<string, number[]>> {
  return page.evaluate(async (count) => {
    const req = <T,>(r: IDBRequest<T>) => new Promise<T>((ok, bad) => ((r.onsuccess = () => ok(r.result)), (r.onerror = () => bad(r.error))));
    const open = indexedDB.open('in3d-bench-floor', 1);
    open.onupgradeneeded = () => ['a', 'b', 'c'].forEach((s) => open.result.createObjectStore(s));
    const db = await req(open);
    const write = (durability: 'strict' | 'relaxed', stores: string[], i: number) => new Promise<void>((done, bad) => {
      const tx = db.transaction(stores, 'readwrite', { durability });
      for (let k = 0; k < 3; k++) tx.objectStore(stores[k % stores.length]!).put({ i, pose: { azimuth: i, elevation: 1, theta: 2, distance: 3 }, at: new Date().toISOString() }, `k${k}`);
      tx.commit();
      tx.oncomplete = () => done();
      tx.onerror = () => bad(tx.error);
    });
    const cases: Record<string, (i: number) => Promise<unknown>> = {
      read: () => req(db.transaction('a', 'readonly').objectStore('a').get('k0')),
      strict_write_3_stores: (i) => write('strict', ['a', 'b', 'c'], i),
      strict_write_1_store: (i) => write('strict', ['a'], i),
      relaxed_write_3_stores: (i) => write('relaxed', ['a', 'b', 'c'], i),
    };
    const out: Record<string, number[]> = {};
    for (let i = 0; i < count; i++) {
      for (const [name, run] of Object.entries(cases)) {
        const t = performance.now();
        await run(i);
        (out[name] ??= []).push(performance.now() - t);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    db.close();
    indexedDB.deleteDatabase('in3d-bench-floor');
    return out;
  }, n);
}

/** Each step's median time after the step before it (steps in the order of the first save). */
function printSteps(tag: string, all: Steps[]): void {
  const order = all[0]?.map(([k]) => k) ?? [];
  for (let i = 0; i < order.length; i++) {
    const gaps = all.map((s) => {
      const at = s.find(([k]) => k === order[i])?.[1];
      const before = i === 0 ? 0 : s.find(([k]) => k === order[i - 1])?.[1];
      return at === undefined || before === undefined ? NaN : at - before;
    }).filter((x) => !Number.isNaN(x));
    console.log(`${tag} save_step_${order[i]!.replace(/-/g, '_')}_p50_ms ${pct(gaps, 50).toFixed(2)} (after ${i === 0 ? 'Enter' : order[i - 1]})`);
  }
}

export async function run(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/index.html'))) execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: ROOT, stdio: 'ignore' });
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // tsx compiles the functions passed to evaluate() with esbuild's keepNames helper; give the page one.
    await page.addInitScript('globalThis.__name = (f) => f; globalThis.__in3dSaveMarks = [];');
    await page.goto(server.url);
    await page.getByLabel('Annotator ID').fill(DEMO_USER);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /^Open task / }).first().click({ timeout: 60_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=viewport]')?.getAttribute('data-frames') ?? 0) > 0, null, { timeout: 60_000 });
    await page.waitForTimeout(1500);
    const backend = await page.getByTestId('viewport').getAttribute('data-backend');
    const tag = `annotate-ui demo-chair ${backend}`;

    const part = process.env.IN3D_BENCH_PART ?? 'all';
    if (part === 'all') await framesAndDrags(page, tag);
    await timeSaves(page, tag, Number(process.env.IN3D_SAVES ?? 30));
    if (part === 'all') await nextQuestions(page, tag);
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function framesAndDrags(page: Page, tag: string): Promise<void> {
  const keys = await keyToFrame(page, 60);
  console.log(`${tag} key_to_frame_p50_ms ${pct(keys, 50).toFixed(1)}`);
  console.log(`${tag} key_to_frame_p95_ms ${pct(keys, 95).toFixed(1)}`);

  const drags = await dragToFrame(page, 160);
  console.log(`${tag} drag_to_frame_p50_ms ${pct(drags, 50).toFixed(1)}`);
  console.log(`${tag} drag_to_frame_p95_ms ${pct(drags, 95).toFixed(1)}`);
  console.log(`${tag} drag_frames ${drags.length}`);
}

async function timeSaves(page: Page, tag: string, n: number): Promise<void> {
  // Labels first (a save needs both), one save to start from, then timed re-saves.
  await page.keyboard.press('Shift+Digit1');
  await page.keyboard.press('Shift+Digit5');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent === 'Synced', null, { timeout: 10_000 });
  // IN3D_TRACE=file.json: a Chromium trace of the timed saves (open it in chrome://tracing or DevTools).
  const trace = process.env.IN3D_TRACE;
  if (trace) await page.context().browser()!.startTracing(page, { path: trace, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'IndexedDB', 'blink.user_timing'] });
  const saves = await enterToSaved(page, n);
  if (trace) await page.context().browser()!.stopTracing();
  console.log(`${tag} enter_to_saved_on_device_p50_ms ${pct(saves.saved, 50).toFixed(1)}`);
  console.log(`${tag} enter_to_saved_on_device_p95_ms ${pct(saves.saved, 95).toFixed(1)} (goal <= 15)`);
  console.log(`${tag} enter_to_synced_p50_ms ${pct(saves.synced, 50).toFixed(1)}`);
  console.log(`${tag} enter_to_synced_p95_ms ${pct(saves.synced, 95).toFixed(1)} (goal <= 150, loopback)`);
  console.log(`${tag} resaves_showing_stale_synced ${saves.stale} of ${saves.saved.length + saves.stale} (goal 0)`);
  printSteps(tag, saves.steps);
  for (const [what, ms] of Object.entries(await idbFloor(page, n))) {
    console.log(`${tag} idb_floor_${what}_p50_ms ${pct(ms, 50).toFixed(2)}`);
    console.log(`${tag} idb_floor_${what}_p95_ms ${pct(ms, 95).toFixed(2)}`);
  }
}

async function nextQuestions(page: Page, tag: string): Promise<void> {
  // The drag left unsaved changes: accept the "leave without saving?" question, then walk forward.
  page.on('dialog', (d) => void d.accept());
  const next: number[] = [];
  for (let i = 0; i < 6; i++) {
    next.push(await nextQuestion(page));
    await page.waitForTimeout(700); // let the prefetch of the following photos land
  }
  console.log(`${tag} next_question_first_frame_p50_ms ${pct(next, 50).toFixed(1)}`);
  console.log(`${tag} next_question_first_frame_max_ms ${Math.max(...next).toFixed(1)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
