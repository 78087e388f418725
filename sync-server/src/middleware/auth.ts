// `requireUser()` guards a route: 401 without a live session, 403 when the role is not allowed.
import type { Role } from '@in3d/shared/types';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../app';
import { SESSION_COOKIE, sessionIdOf } from '../auth/tokens';
import { findSessionUser } from '../repositories/sessions';
import { toSessionUser } from '../repositories/users';

export function requireUser(options: { roles?: readonly Role[] } = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const row = token ? await findSessionUser(c.get('options').db, sessionIdOf(token)) : undefined;
    if (!row) throw new HTTPException(401, { message: 'Not logged in or the session expired; log in again' });
    const user = toSessionUser(row);
    if (options.roles && !options.roles.includes(user.role))
      throw new HTTPException(403, { message: `This needs the role ${options.roles.join(' or ')}; you are ${user.role}` });
    c.set('user', user);
    await next();
  });
}
