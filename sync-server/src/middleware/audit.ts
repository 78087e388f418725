// Records every successful state-changing call under /api/admin (who, what, when) in the audit log.
// Runs after the handler, so a refused or failed call is not logged as done.
import { createMiddleware } from 'hono/factory';
import type { Db } from '../db/connect';
import { insertAudit } from '../repositories/audit';
import type { SessionUser } from '@in3d/shared/types';

export function auditAdmin(db: Db) {
  return createMiddleware<{ Variables: { user: SessionUser } }>(async (c, next) => {
    await next();
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.res.status >= 400) return;
    const user = c.get('user');
    if (!user) return;
    const verb = c.req.method;
    const target = decodeURIComponent(c.req.path.replace(/^\/api\/admin\//, ''));
    await insertAudit(db, { at: new Date().toISOString(), actor: user.id, action: verb, target, status: c.res.status });
  });
}
