// What a user does in the browser tests, shared by them (signing in is harness.ts's): call the API as
// someone, answer a question in the annotate page, take a qualification attempt.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { AttemptDetail, GoldQuestion, ReferenceAnswer } from '@in3d/shared/quality';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@in3d/shared/protocol';
import type { PoseJson, QuestionInfo } from '@in3d/shared/types';
import type { RunningServer } from './harness';

/** Signs `user` in through the API: the Cookie header value of the new session. */
export async function sessionCookie(server: RunningServer, user: string, password: string): Promise<string> {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: user, password }),
  });
  if (!login.ok) throw new Error(`login ${user}: ${login.status} ${await login.text()}`);
  return login.headers.get('set-cookie')!.split(';')[0]!;
}

/** Signs `user` in through the API and makes one JSON call with that session. */
export async function apiAs<T>(server: RunningServer, user: string, password: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { cookie: await sessionCookie(server, user, password), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Saves of `questions` (their initial pose turned 10°) by `user` in `taskId`, pushed as the app would from another device. */
export async function pushSaves(server: RunningServer, user: string, password: string, taskId: string, questions: readonly QuestionInfo[]): Promise<void> {
  const mutations = questions.map((q, i) => ({
    id: randomUUID(), seq: i + 1, kind: 'annotation.save', questionId: q.id, taskId, baseRevisionId: null,
    values: { pose: { ...q.initialPose, azimuth: q.initialPose.azimuth + 10 }, subtype: q.initialSubtype, objectStatus: 'status_good', dense: 'dense_no', activeMs: 5000 },
    clientSavedAt: new Date().toISOString(),
  }));
  const res = await fetch(`${server.url}/api/sync/push`, {
    method: 'POST',
    headers: { cookie: await sessionCookie(server, user, password), 'content-type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    body: JSON.stringify({ clientId: randomUUID(), mutations }),
  });
  const body = (await res.json()) as { results: { status: string }[] };
  expect(body.results.map((r) => r.status)).toEqual(mutations.map(() => 'applied'));
}

/** The annotate page's radio labels (English) of each object-quality and dense value. */
const LABEL_TEXT: Record<string, string> = {
  status_good: 'Good', status_partially: 'Partially visible', status_barely: 'Barely visible', status_bad: 'Bad quality / no object',
  dense_no: 'Not dense', dense_yes: 'Dense',
};

/** In the annotate page at question `n`: types a pose, picks the subtype and the labels (default good / not dense), and saves. */
export async function answerQuestion(page: Page, n: number, pose: PoseJson, subtype: number, labels: Partial<Pick<ReferenceAnswer, 'objectStatus' | 'dense'>> = {}): Promise<void> {
  await page.waitForFunction((k) => location.hash.endsWith(`/${k}`), n);
  await page.getByLabel('Azimuth', { exact: true }).waitFor({ timeout: 30_000 });
  const choose = page.getByRole('button', { name: new RegExp(`^Choose subtype ${subtype}:`) });
  await choose.waitFor({ timeout: 30_000 });
  await choose.click();
  const fields: [string, number][] = [
    ['Azimuth', pose.azimuth], ['Elevation', pose.elevation], ['Theta', pose.theta],
    ['Distance', pose.distance], ['Center X', pose.px], ['Center Y', pose.py],
  ];
  for (const [label, v] of fields) await page.getByLabel(label, { exact: true }).fill(String(Math.round(v * 100) / 100));
  await page.getByLabel(LABEL_TEXT[labels.objectStatus ?? 'status_good']!, { exact: true }).check();
  await page.getByLabel(LABEL_TEXT[labels.dense ?? 'dense_no']!, { exact: true }).check();
  await page.getByRole('button', { name: /^Save( Enter)?$/ }).click();
  await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 15_000 }).toMatch(/^(Saved on device|Synced)$/);
}

/**
 * Runs the open attempt shown on the qualification page: every question answered with `poseOf` of its
 * gold (subtype and labels the reference's), then submitted. Resolves with the attempt as it started.
 */
export async function takeAttempt(page: Page, server: RunningServer, gold: readonly GoldQuestion[], poseOf: (g: GoldQuestion) => PoseJson): Promise<AttemptDetail> {
  const attempt = page.getByTestId('qual-attempt');
  await attempt.waitFor({ timeout: 15_000 });
  const id = (await attempt.getAttribute('data-attempt'))!;
  const detail = (await page.evaluate(async (a) => (await fetch(`/api/qualification/attempts/${a}`)).json(), id)) as AttemptDetail;
  await page.getByRole('link', { name: 'Annotate question 1' }).click();
  for (const q of detail.questions) {
    const g = gold.find((x) => x.questionId === q.id)!;
    if (q.index > 0) await page.getByRole('button', { name: 'Next question' }).click();
    await answerQuestion(page, q.index + 1, poseOf(g), g.reference.subtype, {
      ...(g.reference.objectStatus ? { objectStatus: g.reference.objectStatus } : {}),
      ...(g.reference.dense ? { dense: g.reference.dense } : {}),
    });
  }
  await page.goto(`${server.url}/#/qualification`);
  await page.getByRole('button', { name: 'Submit answers' }).click();
  await page.getByTestId('qual-result').waitFor({ timeout: 30_000 });
  return detail;
}

/** Takes the open attempt with every answer a quarter turn off and checks that each question failed by 90°. */
export async function failAttemptByQuarterTurn(page: Page, server: RunningServer, gold: readonly GoldQuestion[]): Promise<AttemptDetail> {
  const detail = await takeAttempt(page, server, gold, (g) => ({ ...g.reference.pose, azimuth: (g.reference.pose.azimuth + 90) % 360 }));
  expect(await page.getByTestId('qual-result').getAttribute('data-passed')).toBe('false');
  const rows = page.getByTestId('qual-results').locator('tbody tr');
  expect(await rows.count()).toBe(detail.questions.length);
  for (let i = 0; i < detail.questions.length; i++) {
    expect(await rows.nth(i).getAttribute('data-passed')).toBe('false');
    expect(await rows.nth(i).locator('td').nth(1).textContent()).toBe('90.0°');
  }
  return detail;
}
