// Snap to photo in real Chromium: the fixture legacy folder imported into a real server, a chair
// question opened as its annotator would, Snap pressed, and the pose it leaves compared with the
// gold pose the photo was drawn with. Then Undo takes the whole snap back in one step.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotationErrorDegrees } from '@in3d/shared/camera';
import type { PoseJson } from '@in3d/shared/types';
import { hasFixtures, IMAGENET3D } from '../shared/test/fixtures';
import { launchBrowser, ROOT, startServer, type RunningServer, signIn } from './harness';

const LEGACY = join(IMAGENET3D, 'legacy');
const CAD = join(IMAGENET3D, 'cad');
const QUESTION = 'objnet3d_chair_n03001627_101_00'; // task objnet3d_chair, position 1, no saved answer
const PASSWORD = 'snap-e2e-password';

let server: RunningServer;
let browser: Browser;
let page: Page;

const cli = (dataDir: string, args: string[]) =>
  execFileSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'sync-server/src/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, stdio: 'pipe' });

const num = async (label: string) => Number(await page.getByLabel(label, { exact: true }).inputValue());
const rotation = async (): Promise<Pick<PoseJson, 'azimuth' | 'elevation' | 'theta'>> => ({ azimuth: await num('Azimuth'), elevation: await num('Elevation'), theta: await num('Theta') });
const asPose = (r: Pick<PoseJson, 'azimuth' | 'elevation' | 'theta'>): PoseJson => ({ ...r, distance: 1, px: 0, py: 0 });

describe.skipIf(!hasFixtures)('Snap to photo', () => {
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'in3d-snap-e2e-'));
    cli(dataDir, ['import', 'legacy', LEGACY, '--cad', CAD]);
    cli(dataDir, ['user', 'passwd', 'alice', '--password', PASSWORD]);
    server = await startServer({ dataDir });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error('pageerror:', e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lowers the rotation error of a fixture photo, in one undo step', async () => {
    const gold = (JSON.parse(readFileSync(join(LEGACY, 'gold.json'), 'utf8')) as Record<string, { gold_pose_degrees: PoseJson }>)[QUESTION]!.gold_pose_degrees;
    await signIn(page, { url: server.url, user: 'alice', password: PASSWORD });
    await page.goto(`${server.url}/#/task/objnet3d_chair/1`);
    await page.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });

    const snap = page.getByRole('button', { name: /Snap to photo/ });
    await expect.poll(() => snap.isEnabled(), { timeout: 30_000 }).toBe(true);
    const before = await rotation();
    const errBefore = rotationErrorDegrees(asPose(before), gold);
    expect(errBefore).toBeGreaterThan(10);

    await snap.click();
    const toast = page.locator('.toast-snap');
    await toast.waitFor({ timeout: 60_000 });
    expect(await toast.getAttribute('data-snap')).toBe('snapped');
    const after = await rotation();
    const errAfter = rotationErrorDegrees(asPose(after), gold);
    expect(errAfter).toBeLessThan(errBefore / 2);

    // The whole snap is one step: Undo in the toast puts the starting pose back.
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(rotation).toEqual(before);
    await expect.poll(() => toast.count()).toBe(0);

    // The P shortcut snaps too.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('p');
    await toast.waitFor({ timeout: 60_000 });
    expect(rotationErrorDegrees(asPose(await rotation()), gold)).toBeLessThan(errBefore / 2);
  });
});
