// What an annotator needs to work: their tasks with progress, a task's questions (with its categories'
// CAD models), a category's CADs.
// Who sees which task is the access policy's call (policy/access.ts).
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { TaskPayload } from '@in3d/shared/catalogue';
import type { AppEnv, AppOptions } from '../app';
import { requireUser } from '../middleware/auth';
import { readInput } from '../middleware/validate';
import { assertMayOpenTask, visibleTasks } from '../policy/access';
import { categoryExists, listCadModels } from '../repositories/catalogue';
import { getTaskSummary, listTaskQuestions } from '../repositories/tasks';

const Id = z.string().min(1).max(300);
const TaskParams = z.object({ taskId: Id });
const CategoryParams = z.object({ category: Id });

export function catalogueRoutes({ db }: AppOptions) {
  return new Hono<AppEnv>()
    .use('/tasks', requireUser())
    .use('/tasks/*', requireUser())
    .use('/categories/*', requireUser())
    .get('/tasks', async (c) => c.json(await visibleTasks(db, c.get('user'))))
    .get('/tasks/:taskId', async (c) => {
      const { taskId } = readInput(c.req.param(), TaskParams, 'Invalid task URL');
      const user = c.get('user');
      const task = await getTaskSummary(db, taskId, user.id);
      if (!task) throw new HTTPException(404, { message: `No task ${taskId}` });
      await assertMayOpenTask(db, user, taskId);
      const questions = await listTaskQuestions(db, taskId);
      // The models come along, so the app asks for the current mesh with the photo (no list round trip).
      const categories = [...new Set(questions.map((q) => q.category))].sort();
      const cads = (await Promise.all(categories.map((cat) => listCadModels(db, cat)))).flat();
      return c.json({ task, questions, cads } satisfies TaskPayload);
    })
    .get('/categories/:category/cads', async (c) => {
      const { category } = readInput(c.req.param(), CategoryParams, 'Invalid category URL');
      const cads = await listCadModels(db, category);
      if (cads.length === 0 && !(await categoryExists(db, category)))
        throw new HTTPException(404, { message: `No category ${category}` });
      return c.json(cads);
    });
}
