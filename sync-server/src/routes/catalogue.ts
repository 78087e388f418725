// What an annotator needs to work: their tasks with progress, a task's questions, a category's CADs.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import { requireUser } from '../middleware/auth';
import { readInput } from '../middleware/validate';
import { categoryExists, listCadModels } from '../repositories/catalogue';
import { getTaskSummary, isAssigned, listAssignedTasks, listTaskQuestions } from '../repositories/tasks';

const Id = z.string().min(1).max(300);
const TaskParams = z.object({ taskId: Id });
const CategoryParams = z.object({ category: Id });

export function catalogueRoutes({ db }: AppOptions) {
  return new Hono<AppEnv>()
    .use('/tasks', requireUser())
    .use('/tasks/*', requireUser())
    .use('/categories/*', requireUser())
    .get('/tasks', async (c) => c.json(await listAssignedTasks(db, c.get('user').id)))
    .get('/tasks/:taskId', async (c) => {
      const { taskId } = readInput(c.req.param(), TaskParams, 'Invalid task URL');
      const user = c.get('user');
      const task = await getTaskSummary(db, taskId, user.id);
      if (!task) throw new HTTPException(404, { message: `No task ${taskId}` });
      // Reviewers and admins look at anyone's tasks; annotators only at their own.
      if (user.role === 'annotator' && !(await isAssigned(db, taskId, user.id)))
        throw new HTTPException(403, { message: `Task ${taskId} is not assigned to you` });
      return c.json({ task, questions: await listTaskQuestions(db, taskId) });
    })
    .get('/categories/:category/cads', async (c) => {
      const { category } = readInput(c.req.param(), CategoryParams, 'Invalid category URL');
      const cads = await listCadModels(db, category);
      if (cads.length === 0 && !(await categoryExists(db, category)))
        throw new HTTPException(404, { message: `No category ${category}` });
      return c.json(cads);
    });
}
