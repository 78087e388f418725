// The qualification test (GET /api/qualification, attempts, submit) and the gate that keeps a new
// annotator's normal tasks locked until they pass.
import { score, scoreAttempt } from '@in3d/shared/metrics';
import type { AttemptDetail, AttemptSummary, QualificationStatus, QuestionResult } from '@in3d/shared/quality';
import type { SessionUser } from '@in3d/shared/types';
import { type Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import { SESSION_COOKIE, sessionIdOf } from '../auth/tokens';
import { requireUser } from '../middleware/auth';
import { readInput } from '../middleware/validate';
import { attemptAnswers } from '../repositories/attempt-answers';
import { goldIds, goldReferences } from '../repositories/gold';
import {
  type Attempt, createAttempt, findAttempt, getQualificationSettings, imageInAssignedTask, infoKey, listAttempts,
  needsQualification, normalTaskIds, QUALIFICATION_TASK_KIND, questionInfos, recordAttemptResult, taskKinds,
} from '../repositories/quality';
import { openReworkByTask } from '../repositories/reviews';
import { findSessionUser } from '../repositories/sessions';
import { toSessionUser } from '../repositories/users';

const Id = z.string().min(1).max(300);

const summary = ({ userId: _u, results: _r, thresholds: _t, ...s }: Attempt): AttemptSummary => s;

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

export function qualificationRoutes({ db }: AppOptions) {
  async function detail(attempt: Attempt): Promise<AttemptDetail> {
    const { questionIds } = await attemptAnswers(db, attempt);
    const infos = await questionInfos(db, questionIds.map((questionId) => ({ questionId, taskId: attempt.taskId })));
    return {
      ...summary(attempt),
      results: attempt.results,
      questions: questionIds.flatMap((q) => infos.get(infoKey(attempt.taskId, q)) ?? []),
      thresholds: attempt.thresholds ?? (await getQualificationSettings(db)),
    };
  }

  async function ownAttempt(c: Context<AppEnv>, write: boolean): Promise<Attempt> {
    const attemptId = readInput(c.req.param('attemptId'), Id, 'Invalid attempt id');
    const attempt = await findAttempt(db, attemptId);
    if (!attempt) throw new HTTPException(404, { message: `No qualification attempt ${attemptId}` });
    const user = c.get('user');
    // Reviewers and admins may look at anyone's attempt; only its annotator may submit it.
    if (attempt.userId !== user.id && (write || user.role === 'annotator'))
      throw new HTTPException(403, { message: `Attempt ${attemptId} is not yours` });
    return attempt;
  }

  return new Hono<AppEnv>()
    .use('/qualification', requireUser())
    .use('/qualification/*', requireUser())
    .get('/qualification', async (c) => {
      const user = c.get('user');
      const thresholds = await getQualificationSettings(db);
      const attempts = await listAttempts(db, user.id);
      const gold = (await goldIds(db)).length;
      const needs = await needsQualification(db, user);
      const last = attempts.at(-1);
      const current = last && !last.submittedAt ? last : null;
      const state: QualificationStatus['state'] = !needs
        ? user.role === 'annotator' && user.qualified ? 'qualified' : 'not_required'
        : current ? 'in_progress' : gold === 0 ? 'no_gold' : last ? 'failed' : 'not_started';
      const body: QualificationStatus = {
        state,
        qualified: user.qualified,
        lockedTasks: needs ? (await normalTaskIds(db, user.id)).length : 0,
        goldQuestions: gold,
        current: current ? summary(current) : null,
        attempts: attempts.map(summary),
        thresholds,
      };
      return c.json(body);
    })
    .post('/qualification/attempts', requireUser({ roles: ['annotator'] }), async (c) => {
      const user = c.get('user');
      if (!(await needsQualification(db, user)))
        throw new HTTPException(409, { message: 'You do not need to take the qualification test' });
      const open = (await listAttempts(db, user.id)).find((a) => !a.submittedAt);
      if (open) return c.json(await detail(open));
      const settings = await getQualificationSettings(db);
      let ids = await goldIds(db);
      if (ids.length === 0) throw new HTTPException(409, { message: 'There are no gold questions yet; ask an admin to mark some' });
      if (settings.questionsPerAttempt > 0 && settings.questionsPerAttempt < ids.length) ids = shuffle(ids).slice(0, settings.questionsPerAttempt);
      const attempt = await db.transaction().execute((trx) => createAttempt(trx, user.id, ids));
      return c.json(await detail(attempt), 201);
    })
    .get('/qualification/attempts/:attemptId', async (c) => c.json(await detail(await ownAttempt(c, false))))
    .post('/qualification/attempts/:attemptId/submit', requireUser({ roles: ['annotator'] }), async (c) => {
      const attempt = await ownAttempt(c, true);
      if (attempt.submittedAt) throw new HTTPException(409, { message: `Attempt ${attempt.number} was already submitted; start a new one` });
      const { questionIds, answers } = await attemptAnswers(db, attempt);
      if (answers.length < questionIds.length)
        throw new HTTPException(409, {
          message: `Answer every question first: ${answers.length} of ${questionIds.length} saved on the server (wait for your saves to sync)`,
        });
      const thresholds = await getQualificationSettings(db);
      const refs = await goldReferences(db, questionIds);
      const results: QuestionResult[] = answers.flatMap((a) => {
        const reference = refs.get(a.questionId);
        if (!reference) return []; // un-marked as gold since the attempt started: not scored
        const answer = {
          pose: { azimuth: a.azimuth, elevation: a.elevation, theta: a.theta, distance: a.distance, px: a.px, py: a.py },
          subtype: a.subtype,
          objectStatus: a.objectStatus as QuestionResult['answer']['objectStatus'],
          dense: a.dense as QuestionResult['answer']['dense'],
        };
        return [{ questionId: a.questionId, index: a.index, revisionId: a.revisionId, answer, reference, ...score(answer, reference, thresholds) }];
      });
      const outcome = scoreAttempt(results, thresholds);
      const stored = await db.transaction().execute((trx) => recordAttemptResult(trx, attempt, { passed: outcome.passed, thresholds, results }));
      if (!stored) throw new HTTPException(409, { message: `Attempt ${attempt.number} was already submitted` });
      return c.json(await detail((await findAttempt(db, attempt.id))!));
    });
}

/** The session user, if any, before the route's own `requireUser` runs. */
async function peekUser(c: Context<AppEnv>, db: AppOptions['db']): Promise<SessionUser | undefined> {
  const token = getCookie(c, SESSION_COOKIE);
  const row = token ? await findSessionUser(db, sessionIdOf(token)) : undefined;
  return row && toSessionUser(row);
}

/** URI-decoded path segment, or the raw one when it is malformed (the route answers that with a 4xx). */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const LOCKED = 'Pass the qualification test first: your tasks unlock when you do';

/**
 * Mounted on /api/* ahead of the task and file routes (which stay unaware of it): an annotator who
 * must still qualify sees only qualification tasks and cannot open other tasks (a sync push is not refused
 * here as a whole: the sync route rejects each mutation for a locked task, R7 `qualification_required`); an annotator
 * fetches only photos of their own tasks; everyone's task list gains the count of open rework per task.
 */
export function qualificationGate({ db }: AppOptions) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const path = c.req.path;
    const method = c.req.method;
    const taskMatch = method === 'GET' ? /^\/api\/tasks\/([^/]+)$/.exec(path) : null;
    const imageMatch = method === 'GET' ? /^\/api\/images\/([^/]+)$/.exec(path) : null;
    if (imageMatch) {
      const user = await peekUser(c, db);
      if (user?.role === 'annotator') {
        const imageId = decode(imageMatch[1]!);
        if (!(await imageInAssignedTask(db, user.id, imageId, await needsQualification(db, user))))
          return c.json({ error: 'http_error', message: `Photo ${imageId} is not in a task assigned to you` }, 403);
      }
      return next();
    }
    if (taskMatch) {
      const user = await peekUser(c, db);
      if (user && (await needsQualification(db, user))) {
        const taskId = decode(taskMatch[1]!);
        const kinds = await taskKinds(db, [taskId]);
        if (kinds.has(taskId) && kinds.get(taskId) !== QUALIFICATION_TASK_KIND)
          return c.json({ error: 'qualification_required', status: 'qualification_required', message: `${LOCKED} (task ${taskId})` }, 403);
      }
      return next();
    }
    if (method !== 'GET' || path !== '/api/tasks') return next();

    await next();
    const user = c.var.user as SessionUser | undefined;
    if (c.res.status !== 200 || !user) return;
    const tasks = (await c.res.clone().json()) as Array<{ id: string; rework?: number }>;
    if (!Array.isArray(tasks)) return;
    let visible = tasks;
    if (await needsQualification(db, user)) {
      const kinds = await taskKinds(db, tasks.map((t) => t.id));
      visible = tasks.filter((t) => kinds.get(t.id) === QUALIFICATION_TASK_KIND);
    }
    const rework = await openReworkByTask(db, user.id);
    const body = visible.map((t) => ({ ...t, rework: rework.get(t.id) ?? 0 }));
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    c.res = new Response(JSON.stringify(body), { status: 200, headers });
  });
}
