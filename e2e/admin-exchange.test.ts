// Import and export in the browser, in real Chromium against the real server: the admin uploads the
// fixture legacy dataset as a zip (built here with fflate), watches the job's progress, reads the report
// naming the missing photo (it shows again after a reload), then downloads an npz export and a
// release-layout export that the project's npz reader reads. Skips when ../shared/fixtures is missing.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNpz } from '../sync-server/src/formats/npz';
import { hasFixtures, IMAGENET3D } from '../shared/test/fixtures';
import { launchBrowser, startServer, type RunningServer, signIn } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;

function zipOf(root: string, skip: (rel: string) => boolean): Buffer {
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const rel = relative(root, p).split('\\').join('/');
      if (skip(rel)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else files[`legacy/${rel}`] = new Uint8Array(readFileSync(p));
    }
  };
  walk(root);
  return Buffer.from(zipSync(files, { level: 1 }));
}

async function download(layout: string): Promise<Record<string, Uint8Array>> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.locator(`[data-testid="admin-export"] button[data-layout="${layout}"]`).click()]);
  expect(dl.suggestedFilename()).toBe(`annotations-${layout}.zip`);
  return unzipSync(new Uint8Array(readFileSync((await dl.path())!)));
}

describe.skipIf(!hasFixtures)('admin import and export in the browser', () => {
  beforeAll(async () => {
    server = await startServer(process.env.E2E_STATIC_DIR ? { env: { STATIC_DIR: process.env.E2E_STATIC_DIR } } : {});
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', acceptDownloads: true })).newPage();
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
    await signIn(page, { url: server.url, user: 'admin', until: 'signed-in' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('uploads the legacy dataset as a zip, shows progress and the report naming the missing photo, also after a reload', async () => {
    await page.goto(`${server.url}/#/admin/exchange`);
    const input = page.locator('[data-testid="admin-import"] input[type=file]');
    await input.waitFor({ timeout: 30_000 });
    await input.setInputFiles({ name: 'legacy.zip', mimeType: 'application/zip', buffer: zipOf(join(IMAGENET3D, 'legacy'), (r) => r.startsWith('release')) });
    const job = page.getByTestId('import-job');
    await job.waitFor({ timeout: 30_000 });
    const phases = new Set<string>();
    await expect.poll(async () => {
      const phase = (await job.getAttribute('data-phase'))!;
      phases.add(phase);
      if (phase !== 'done' && phase !== 'failed' && (await job.getByRole('progressbar').count()) > 0) phases.add('bar');
      return phase;
    }, { timeout: 120_000, interval: 100 }).toMatch(/done|failed/);
    expect(await job.getAttribute('data-phase')).toBe('done');
    expect(phases.has('bar') || phases.has('importing') || phases.has('unpacking')).toBe(true);
    const missing = page.locator('[data-testid="import-report"] tr[data-reason="missing_photo"]');
    expect(await missing.count()).toBe(1);
    expect(await missing.textContent()).toContain('legacy/images/car/n02958343_91_00.JPEG');
    expect(await page.getByTestId('import-summary').textContent()).toMatch(/\d+ questions imported/);
    // The accounts the import made are named (their one-time passwords are not kept: the admin sets them in Users).
    expect(await page.getByTestId('import-new-accounts').textContent()).toMatch(/New accounts: .*alice.*Users \(Reset password\)/);

    await page.reload();
    await page.locator('[data-testid="import-report"] tr[data-reason="missing_photo"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('import-job').getAttribute('data-phase')).toBe('done');
  }, 180_000);

  it('downloads an npz export and a release-layout export that the project npz reader reads', async () => {
    const npz = await download('npz');
    const saved = Object.keys(npz);
    expect(saved.length).toBeGreaterThan(0);
    expect(saved.every((n) => n.startsWith('annotations_new/') && n.endsWith('.npz'))).toBe(true);
    expect([...readNpz(npz[saved[0]!]!).keys()]).toEqual(expect.arrayContaining(['azimuth', 'cad_index', 'annotator']));

    const release = await download('release');
    const images = Object.keys(release);
    expect(images.length).toBeGreaterThan(0);
    let objects = 0;
    for (const n of images) {
      const a = readNpz(release[n]!, { objects: 'safe-unpickle' }).get('annotations')!;
      expect(a.descr).toBe('|O');
      for (const o of a.data as Map<string, unknown>[]) {
        expect(o.get('class')).toBe(n.split('/')[0]);
        expect(Number.isFinite(o.get('azimuth'))).toBe(true);
        objects++;
      }
    }
    expect(objects).toBe(saved.length);
  }, 120_000);
});
