// Question reports (SPEC R50) for the people who act on them: reviewers and admins list them, an admin
// marks one resolved. Annotators send them through the sync push, never here.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import { requireUser } from '../middleware/auth';
import { readInput } from '../middleware/validate';
import { listQuestionReports, resolveQuestionReport } from '../repositories/question-reports';

const ListQuery = z.object({ open: z.enum(['0', '1']).optional(), limit: z.coerce.number().int().min(1).max(5000).optional() });
const ReportId = z.string().uuid();

export function reportRoutes({ db }: AppOptions) {
  return new Hono<AppEnv>()
    .get('/reports', requireUser({ roles: ['reviewer', 'admin'] }), async (c) => {
      const q = readInput(c.req.query(), ListQuery, 'Invalid query');
      return c.json(await listQuestionReports(db, { open: q.open === '1', limit: q.limit }));
    })
    .post('/admin/reports/:id/resolve', requireUser({ roles: ['admin'] }), async (c) => {
      const id = readInput(c.req.param('id'), ReportId, 'Invalid report id');
      if (!(await resolveQuestionReport(db, id, c.get('user').id, new Date().toISOString())))
        throw new HTTPException(404, { message: `No open report ${id}` });
      return c.json({ ok: true });
    });
}
