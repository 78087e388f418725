// The admin dashboard's API: accounts, tasks and assignments, gold questions, qualification settings
// and the statistics. Admin only.
import { randomUUID } from 'node:crypto';
import { poseSchema } from '@in3d/shared/protocol';
import { decimalInt, safeInt } from '@in3d/shared/safe-values';
import { DENSE_VALUES, OBJECT_STATUSES, ROLES } from '@in3d/shared/types';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords';
import { normalizeUserId, USER_ID, USER_ID_RULE } from '../auth/user-id';
import { requireUser } from '../middleware/auth';
import { readInput, readJson } from '../middleware/validate';
import { listAdminQuestions, listAdminTasks, listAdminUsers, QUESTION_STATUSES } from '../repositories/admin';
import { assignTask, setTaskQuestions, unassignTask, unknownQuestions, upsertTask } from '../repositories/catalogue';
import { currentAnswerReference, deleteGold, listGold, setGoldLabels, sourceReference, upsertGold } from '../repositories/gold';
import { getQualificationSettings, saveQualificationSettings } from '../repositories/quality';
import { deleteUserSessions } from '../repositories/sessions';
import { dashboardStats } from '../repositories/stats';
import { isAssigned, taskExists } from '../repositories/tasks';
import { insertUser, setPasswordHash, updateUser, userExists } from '../repositories/users';

const Id = z.string().min(1).max(200);
const UserId = z.string().max(200).transform(normalizeUserId).pipe(z.string().regex(USER_ID, USER_ID_RULE));
const Password = z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(1000);
const finite = z.number().finite();

const NewUser = z.object({
  id: UserId,
  displayName: z.string().min(1).max(200).optional(),
  role: z.enum(ROLES),
  password: Password.optional(),
  qualified: z.boolean().optional(),
});
const UserPatch = z.object({
  role: z.enum(ROLES).optional(),
  displayName: z.string().min(1).max(200).optional(),
  qualified: z.boolean().optional(),
  disabled: z.boolean().optional(),
}).strict();
const PasswordReset = z.object({ password: Password.optional() });
const NewTask = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/).optional(),
  name: z.string().min(1).max(200),
  questionIds: z.array(Id).min(1).max(100_000),
  assignees: z.array(UserId).max(1000).default([]),
});
const AssignBody = z.object({ userId: UserId });
const ReassignBody = z.object({ from: UserId, to: UserId });
const Contains = z.string().trim().max(100).optional();
const QuestionsQuery = z.object({
  category: Contains,
  annotator: Contains,
  task: Contains,
  status: z.enum(QUESTION_STATUSES).optional(),
  // Digits only, within what SQLite takes as an integer (offset=1e308 answered 500).
  limit: decimalInt(1, 5000).default('200'),
  offset: decimalInt(0).default('0'),
});
const Reference = z.object({
  // The same ranges as a saved pose (SPEC R33, R34): a gold pose of 1e308 would poison every comparison.
  pose: poseSchema,
  subtype: safeInt(1, 1000),
  objectStatus: z.enum(OBJECT_STATUSES).nullable().default(null),
  dense: z.enum(DENSE_VALUES).nullable().default(null),
});
const GoldBody = z.object({ questionId: Id, reference: Reference.optional() });
// Both named every time: a label left out must not silently stop being scored.
const GoldLabels = z.object({ objectStatus: z.enum(OBJECT_STATUSES).nullable(), dense: z.enum(DENSE_VALUES).nullable() }).strict();
const Settings = z.object({
  required: z.boolean(),
  questionsPerAttempt: z.number().int().min(0).max(1000),
  rotationDeg: finite.min(0).max(180),
  centrePx: finite.min(0),
  distanceRatio: finite.min(1),
  requireSubtype: z.boolean(),
  requireLabels: z.boolean(),
  minPassShare: finite.min(0).max(1),
}).strict();

export function adminRoutes({ db }: AppOptions) {
  const userParam = (v: string | undefined) => readInput(v, UserId, 'Invalid user id');
  const taskParam = async (v: string | undefined) => {
    const id = readInput(v, Id, 'Invalid task id');
    if (!(await taskExists(db, id))) throw new HTTPException(404, { message: `No task ${id}` });
    return id;
  };
  const mustExist = async (userId: string) => {
    if (!(await userExists(db, userId))) throw new HTTPException(404, { message: `No user ${userId}` });
  };

  return new Hono<AppEnv>()
    .use('/admin/*', requireUser({ roles: ['admin'] }))
    .get('/admin/users', async (c) => c.json(await listAdminUsers(db)))
    .post('/admin/users', async (c) => {
      const u = await readJson(c, NewUser);
      if (await userExists(db, u.id)) throw new HTTPException(409, { message: `User ${u.id} already exists` });
      const password = u.password ?? generatePassword();
      await insertUser(db, {
        id: u.id, displayName: u.displayName ?? u.id, role: u.role, passwordHash: await hashPassword(password),
        qualified: u.qualified ?? u.role !== 'annotator',
      });
      // The password is shown once, to the admin who hands it over.
      return c.json({ user: (await listAdminUsers(db)).find((x) => x.id === u.id), password: u.password ? null : password }, 201);
    })
    .patch('/admin/users/:userId', async (c) => {
      const id = userParam(c.req.param('userId'));
      const patch = await readJson(c, UserPatch);
      await mustExist(id);
      if (id === c.get('user').id && ((patch.role && patch.role !== 'admin') || patch.disabled))
        throw new HTTPException(409, { message: 'You cannot remove your own admin role or disable yourself' });
      await updateUser(db, id, patch);
      if (patch.disabled) await deleteUserSessions(db, id);
      return c.json((await listAdminUsers(db)).find((x) => x.id === id));
    })
    .post('/admin/users/:userId/password', async (c) => {
      const id = userParam(c.req.param('userId'));
      const body = await readJson(c, PasswordReset);
      await mustExist(id);
      const password = body.password ?? generatePassword();
      await setPasswordHash(db, id, await hashPassword(password));
      await deleteUserSessions(db, id);
      return c.json({ userId: id, password: body.password ? null : password });
    })
    .get('/admin/tasks', async (c) => c.json(await listAdminTasks(db)))
    .post('/admin/tasks', async (c) => {
      const t = await readJson(c, NewTask);
      const id = t.id ?? `task-${randomUUID().slice(0, 8)}`;
      if (await taskExists(db, id)) throw new HTTPException(409, { message: `Task ${id} already exists` });
      const questionIds = [...new Set(t.questionIds)];
      const unknown = await unknownQuestions(db, questionIds);
      if (unknown.length) throw new HTTPException(400, { message: `Unknown questions: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ' …' : ''}` });
      for (const u of t.assignees) await mustExist(u);
      await db.transaction().execute(async (trx) => {
        await upsertTask(trx, { id, name: t.name, kind: 'annotate' });
        await setTaskQuestions(trx, id, questionIds);
        for (const u of t.assignees) await assignTask(trx, id, u);
      });
      return c.json((await listAdminTasks(db)).find((x) => x.id === id), 201);
    })
    .post('/admin/tasks/:taskId/assignees', async (c) => {
      const taskId = await taskParam(c.req.param('taskId'));
      const { userId } = await readJson(c, AssignBody);
      await mustExist(userId);
      await assignTask(db, taskId, userId);
      return c.json((await listAdminTasks(db)).find((x) => x.id === taskId));
    })
    .delete('/admin/tasks/:taskId/assignees/:userId', async (c) => {
      const taskId = await taskParam(c.req.param('taskId'));
      const userId = userParam(c.req.param('userId'));
      if (!(await unassignTask(db, taskId, userId))) throw new HTTPException(404, { message: `${userId} is not assigned to ${taskId}` });
      return c.json((await listAdminTasks(db)).find((x) => x.id === taskId));
    })
    // Reassigning keeps what the first annotator saved (it is theirs, append-only); the new one starts fresh.
    .post('/admin/tasks/:taskId/reassign', async (c) => {
      const taskId = await taskParam(c.req.param('taskId'));
      const { from, to } = await readJson(c, ReassignBody);
      await mustExist(to);
      if (!(await isAssigned(db, taskId, from))) throw new HTTPException(404, { message: `${from} is not assigned to ${taskId}` });
      await db.transaction().execute(async (trx) => {
        await unassignTask(trx, taskId, from);
        await assignTask(trx, taskId, to);
      });
      return c.json((await listAdminTasks(db)).find((x) => x.id === taskId));
    })
    .get('/admin/questions', async (c) => {
      const q = readInput(c.req.query(), QuestionsQuery, 'Invalid query');
      return c.json(await listAdminQuestions(db, q));
    })
    .get('/admin/gold', async (c) => c.json(await listGold(db)))
    .post('/admin/gold', async (c) => {
      const body = await readJson(c, GoldBody);
      const fromSource = await sourceReference(db, body.questionId);
      if (fromSource === undefined) throw new HTTPException(404, { message: `No question ${body.questionId}` });
      // An original tool's folder or a release carries no reference: the answer the lab trusts (an imported
      // finished one, or the admin's own) is the one it has.
      const reference = body.reference ?? fromSource ?? (await currentAnswerReference(db, body.questionId));
      if (!reference)
        throw new HTTPException(400, { message: `Question ${body.questionId} has no reference pose in its source and no answer yet; answer it, or send one as "reference"` });
      await upsertGold(db, body.questionId, reference, c.get('user').id);
      return c.json((await listGold(db)).find((g) => g.questionId === body.questionId), 201);
    })
    // The labels a gold answer must match (when the settings require labels); null leaves one unscored.
    .patch('/admin/gold/:questionId', async (c) => {
      const questionId = readInput(c.req.param('questionId'), Id, 'Invalid question id');
      const labels = await readJson(c, GoldLabels);
      if (!(await setGoldLabels(db, questionId, labels))) throw new HTTPException(404, { message: `Question ${questionId} is not gold` });
      return c.json((await listGold(db)).find((g) => g.questionId === questionId));
    })
    .delete('/admin/gold/:questionId', async (c) => {
      const questionId = readInput(c.req.param('questionId'), Id, 'Invalid question id');
      if (!(await deleteGold(db, questionId))) throw new HTTPException(404, { message: `Question ${questionId} is not gold` });
      return c.json({ ok: true });
    })
    .get('/admin/settings/qualification', async (c) => c.json(await getQualificationSettings(db)))
    .put('/admin/settings/qualification', async (c) => {
      const s = await readJson(c, Settings);
      await saveQualificationSettings(db, s, c.get('user').id);
      return c.json(await getQualificationSettings(db));
    })
    .get('/admin/stats', async (c) => c.json(await dashboardStats(db)));
}
