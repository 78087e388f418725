// One structured line per request through the server's logger: request id (also sent back as
// X-Request-Id, and taken from the proxy's when it sends a sane one), user, method, route, status,
// duration. Query strings are left out: they can carry search terms and ids nobody needs in a log.
import { randomUUID } from 'node:crypto';
import type { Env } from 'hono';
import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import type { Logger } from '../log';

const SANE_ID = /^[A-Za-z0-9._-]{1,100}$/;

export function requestLog<E extends Env & { Variables: { requestId: string; user?: { id: string } } }>(logger: Logger) {
  return createMiddleware<E>(async (c, next) => {
    const start = performance.now();
    const given = c.req.header('x-request-id');
    const id = given && SANE_ID.test(given) ? given : randomUUID();
    c.set('requestId', id);
    await next();
    c.header('X-Request-Id', id);
    const status = c.res.status;
    const line = {
      reqId: id,
      method: c.req.method,
      route: routePath(c, -1),
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - start) * 10) / 10,
      user: c.get('user')?.id,
    };
    if (status >= 500) logger.error(line, 'request failed');
    else logger.info(line, 'request');
  });
}
