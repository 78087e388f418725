// The annotator's and reviewer's pages with a keyboard and a screen reader's eye: skip links past the
// top bar, where focus goes after sign-in and on a new page, and what is announced.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startServer, type RunningServer, signIn } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The focused element as role-ish tag, id and accessible text. */
const focused = (p: Page) =>
  p.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ${(el.getAttribute('aria-label') || el.textContent || '').trim()}`.trim();
  });

/** Tabs from the top of the page (as after a fresh load) and answers the focused element after `n` Tabs. */
async function tabFromTop(p: Page, n: number): Promise<string> {
  // A mark before everything, focused and left out of the Tab order: the next Tab starts at the page's top.
  await p.evaluate(() => {
    const mark = document.createElement('div');
    mark.id = 'tab-start';
    mark.tabIndex = -1;
    document.body.prepend(mark);
    mark.focus();
  });
  for (let i = 0; i < n; i++) await p.keyboard.press('Tab');
  await p.evaluate(() => document.getElementById('tab-start')?.remove());
  return focused(p);
}

const liveText = (p: Page) => p.getByTestId('live-region').textContent();

describe('keyboard and screen reader', () => {
  it('after sign-in focus is on the page heading; a task opens at its workspace and each question is announced, the keys still working', async () => {
    await signIn(page, { url: server.url });
    await expect.poll(() => focused(page), { timeout: 10_000 }).toBe('h1 My tasks');

    await page.getByRole('button', { name: /Open task Demo: chair/ }).click();
    await page.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });
    await expect.poll(() => focused(page), { timeout: 10_000 }).toMatch(/^main /);
    await expect.poll(() => liveText(page), { timeout: 10_000 }).toMatch(/^Question 1 of \d+ · Demo: chair$/);
    // Focus on the workspace is no text field: D still turns the model.
    const azimuth = page.getByLabel('Azimuth', { exact: true });
    const before = Number(await azimuth.inputValue());
    await page.keyboard.press('KeyD');
    await expect.poll(async () => Number(await azimuth.inputValue())).not.toBe(before);
    // The labels by their keys too, then Enter saves.
    await page.keyboard.press('Shift+Digit1');
    await page.keyboard.press('Shift+Digit5');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 }).toMatch(/^(Saved on device|Synced)$/);
    // The save state is a live region of its own words: the active-time clock ticking beside it is not read out every second.
    const regions = await page.locator('main [role=status], main [aria-live]').allTextContents();
    expect(regions.filter((t) => /\d:\d\d/.test(t))).toEqual([]);
    expect(regions.filter((t) => /^(Saved on device|Synced)$/.test(t))).toHaveLength(1);

    // The next question is announced; focus stays on the button the user pressed.
    await page.getByRole('button', { name: 'Next question' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => liveText(page), { timeout: 10_000 }).toMatch(/^Question 2 of \d+ · Demo: chair$/);
    expect(await focused(page)).toBe('button Next question');
    // Enter on a button reached by the keyboard presses it (a clicked one keeps Enter as "save").
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('button Previous question');
    await page.keyboard.press('Enter');
    await expect.poll(() => liveText(page), { timeout: 10_000 }).toMatch(/^Question 1 of \d+ · Demo: chair$/);
    await page.goto(`${server.url}/#/tasks`);
    await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: 30_000 });
  });

  it('typing a value that passes out of range on its way ("0" of "0.5") says nothing about it and takes the value', async () => {
    await page.goto(`${server.url}/#/tasks`);
    await page.getByRole('button', { name: /Open task Demo: car/ }).click();
    const distance = page.getByLabel('Distance', { exact: true });
    await distance.waitFor({ timeout: 30_000 });
    const message = `#${(await distance.getAttribute('id'))!}-error`;
    // Every text the message slot ever shows while typing.
    await page.evaluate((sel) => {
      const el = document.querySelector(sel)!;
      const seen: string[] = ((window as unknown as { seen: string[] }).seen = []);
      new MutationObserver(() => el.textContent && seen.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
    }, message);
    // The labels a save needs (as the 1e309 test sets them).
    await page.keyboard.press('Shift+Digit1');
    await page.keyboard.press('Shift+Digit5');
    await distance.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0.5');
    await expect.poll(() => distance.inputValue()).toBe('0.5');
    expect(await distance.getAttribute('aria-invalid')).toBe('false');
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([]);
    // Saved as typed; back to the list for the next test.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 }).toMatch(/^(Saved on device|Synced)$/);
    expect(await distance.inputValue()).toMatch(/^0\.50?$/);
    await page.goto(`${server.url}/#/tasks`);
    await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: 30_000 });
  });

  it('the annotate page starts with skip links to the pose controls and to Save, shown while focused', async () => {
    await page.getByRole('button', { name: /Open task Demo: chair/ }).click();
    await page.getByRole('button', { name: /^Save( Enter)?$/ }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });

    const hash = await page.evaluate(() => location.hash);
    expect(await tabFromTop(page, 1)).toBe('a Skip to the pose controls');
    expect(await page.getByRole('link', { name: 'Skip to the pose controls' }).getAttribute('href')).toBe('#pose-azimuth');
    const box = await page.getByRole('link', { name: 'Skip to the pose controls' }).boundingBox();
    expect(box && box.x >= 0 && box.y >= 0 && box.width > 20).toBe(true);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('input#pose-azimuth');
    // The route stays (the link moves focus, it does not follow its href).
    expect(await page.evaluate(() => location.hash)).toBe(hash);

    expect(await tabFromTop(page, 2)).toBe('a Skip to Save');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatch(/^button#save-button Save/);
    // Off focus the links are out of sight.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const hidden = await page.getByRole('link', { name: 'Skip to Save' }).boundingBox();
    expect(hidden === null || hidden.y + hidden.height <= 0).toBe(true);
  });

  it('a pose value typed out of range (1e309) or unreadable is not taken, and the field says why', async () => {
    await page.goto(`${server.url}/#/tasks`);
    await page.getByRole('button', { name: /Open task Demo: car/ }).click();
    const azimuth = page.getByLabel('Azimuth', { exact: true });
    await azimuth.waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /^Choose subtype 1:/ }).waitFor({ timeout: 30_000 });
    const kept = await azimuth.inputValue();
    await page.keyboard.press('Shift+Digit1');
    await page.keyboard.press('Shift+Digit5');
    await azimuth.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('1e309');
    await expect.poll(() => azimuth.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await azimuth.getAttribute('aria-describedby');
    expect(await page.locator(`#${describedBy}`).textContent()).toBe(`Azimuth takes a number from -360 to 720. It stays ${kept}.`);
    // Enter saves what was taken before: the typed steps 1e3, 1e30 on the way are refused too.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 }).toMatch(/^(Saved on device|Synced)$/);
    expect(await azimuth.inputValue()).toBe(kept);
    await page.reload();
    await azimuth.waitFor({ timeout: 30_000 });
    expect(await azimuth.inputValue()).toBe(kept);
    expect(await azimuth.getAttribute('aria-invalid')).toBe('false');

    // Text a number field cannot read is named when the field is left.
    const elevation = page.getByLabel('Elevation', { exact: true });
    await elevation.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('--5');
    await page.keyboard.press('Tab');
    expect(await elevation.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await elevation.getAttribute('aria-describedby')}`).textContent()).toMatch(/^Elevation takes a number from -90 to 90\. It stays -?\d+\.\d\.$/);
    // A value taken clears it.
    await elevation.fill('10');
    expect(await elevation.getAttribute('aria-invalid')).toBe('false');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 }).toMatch(/^(Saved on device|Synced)$/);
    await page.goto(`${server.url}/#/tasks`);
    await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: 30_000 });
  });

  it('a dialog keeps focus inside while open and gives it back to the button that opened it', async () => {
    await page.goto(`${server.url}/#/tasks`);
    await page.getByRole('button', { name: /Open task Demo: tvmonitor/ }).click();
    await page.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });
    const opener = page.getByRole('toolbar', { name: 'View' }).getByRole('button', { name: 'Keyboard shortcuts' });
    await opener.focus();
    await page.keyboard.press('Space');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await focused(page)).toBe('button Close');
    const inside = () => page.evaluate(() => !!document.activeElement?.closest('[role=dialog]'));
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await inside()).toBe(true);
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      expect(await inside()).toBe(true);
    }
    // Enter on its Close button closes it (it is not the page's "save"), and focus is back on the opener.
    await page.getByRole('button', { name: 'Close' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('button Keyboard shortcuts');
    expect(await page.getByTestId('save-state').textContent()).toBe('Not annotated yet');
  });

  it('other pages skip to their main content', async () => {
    await page.goto(`${server.url}/#/tasks`);
    await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: 30_000 });
    expect(await tabFromTop(page, 1)).toBe('a Skip to main content');
    // Each card's offline button says which task it is for (three "Make available offline" told nothing apart).
    for (const task of ['Demo: chair', 'Demo: car', 'Demo: tvmonitor']) {
      const button = page.getByRole('button', { name: new RegExp(`^(Make available offline|Resume download \\(.*\\)): ${task}$`) });
      await expect.poll(() => button.count(), { timeout: 10_000 }).toBe(1);
    }
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('MAIN');
    // Logged out, the sign-in page starts at its first field.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('userId');
  });

});
