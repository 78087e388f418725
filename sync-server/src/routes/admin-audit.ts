// GET /admin/audit: the newest admin actions (who, what, when) for the dashboard.
import { Hono } from 'hono';
import type { AppEnv, AppOptions } from '../app';
import { requireUser } from '../middleware/auth';
import { listAudit } from '../repositories/audit';

const LIMIT = 100;

export function adminAuditRoutes({ db }: AppOptions) {
  return new Hono<AppEnv>().use('/admin/audit', requireUser({ roles: ['admin'] })).get('/admin/audit', async (c) => c.json(await listAudit(db, LIMIT)));
}
