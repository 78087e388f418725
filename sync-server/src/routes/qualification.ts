// The qualification test (GET /api/qualification, attempts, submit). What stays locked until a new
// annotator passes is the access policy's rule (policy/access.ts).
import { score, scoreAttempt } from '@in3d/shared/metrics';
import type { AttemptDetail, AttemptSummary, QualificationStatus, QuestionResult } from '@in3d/shared/quality';
import type { SessionUser } from '@in3d/shared/types';
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import { requireUser } from '../middleware/auth';
import { readInput } from '../middleware/validate';
import { assertMayUseAttempt } from '../policy/access';
import { drawGold, revealable } from '../policy/gold-draw';
import { attemptAnswers } from '../repositories/attempt-answers';
import { goldIds, goldReferences } from '../repositories/gold';
import { recordReveals, revealedGold } from '../repositories/gold-reveals';
import {
  type Attempt, createAttempt, findAttempt, getQualificationSettings, infoKey, listAttempts,
  needsQualification, normalTaskIds, questionInfos, recordAttemptResult,
} from '../repositories/quality';

const Id = z.string().min(1).max(300);

const summary = ({ userId: _u, results: _r, thresholds: _t, ...s }: Attempt): AttemptSummary => s;

export function qualificationRoutes({ db }: AppOptions) {
  /** The attempt as `viewer` may see it: its annotator sees only the references they were shown (staff see all). */
  async function detail(attempt: Attempt, viewer: Pick<SessionUser, 'id' | 'role'>): Promise<AttemptDetail> {
    const { questionIds } = await attemptAnswers(db, attempt);
    const infos = await questionInfos(db, questionIds.map((questionId) => ({ questionId, taskId: attempt.taskId })));
    const shown = attempt.results && viewer.role === 'annotator' ? await revealedGold(db, attempt.userId) : null;
    return {
      ...summary(attempt),
      results: attempt.results && (shown ? attempt.results.map((r) => (shown.has(r.questionId) ? r : { ...r, reference: null })) : attempt.results),
      questions: questionIds.flatMap((q) => infos.get(infoKey(attempt.taskId, q)) ?? []),
      thresholds: attempt.thresholds ?? (await getQualificationSettings(db)),
    };
  }

  async function ownAttempt(c: Context<AppEnv>, write: boolean): Promise<Attempt> {
    const attemptId = readInput(c.req.param('attemptId'), Id, 'Invalid attempt id');
    const attempt = await findAttempt(db, attemptId);
    if (!attempt) throw new HTTPException(404, { message: `No qualification attempt ${attemptId}` });
    assertMayUseAttempt(c.get('user'), attempt, write);
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
      if (open) return c.json(await detail(open, user));
      const settings = await getQualificationSettings(db);
      const pool = await goldIds(db);
      if (pool.length === 0) throw new HTTPException(409, { message: 'The test has no gold questions yet: an admin marks them under Admin → Gold & qualification' });
      const ids = drawGold(pool, await revealedGold(db, user.id), settings.questionsPerAttempt);
      const attempt = await db.transaction().execute((trx) => createAttempt(trx, user.id, ids));
      return c.json(await detail(attempt, user), 201);
    })
    .get('/qualification/attempts/:attemptId', async (c) => c.json(await detail(await ownAttempt(c, false), c.get('user'))))
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
          ...(a.ambiguous.length > 0 ? { ambiguous: a.ambiguous } : {}),
        };
        return [{ questionId: a.questionId, index: a.index, revisionId: a.revisionId, answer, reference, ...score(answer, reference, thresholds) }];
      });
      const outcome = scoreAttempt(results, thresholds);
      const shown = revealable(await goldIds(db), await revealedGold(db, attempt.userId), questionIds, thresholds.questionsPerAttempt, outcome.passed);
      const stored = await db.transaction().execute(async (trx) => {
        if (!(await recordAttemptResult(trx, attempt, { passed: outcome.passed, thresholds, results }))) return false;
        await recordReveals(trx, attempt.userId, attempt.id, shown);
        return true;
      });
      if (!stored) throw new HTTPException(409, { message: `Attempt ${attempt.number} was already submitted` });
      return c.json(await detail((await findAttempt(db, attempt.id))!, c.get('user')));
    });
}
