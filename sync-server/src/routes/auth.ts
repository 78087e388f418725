// Login, logout, the current user and changing one's own password.
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import { clearSessionCookie, setSessionCookie } from '../auth/cookie';
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../auth/passwords';
import { newSessionToken, SESSION_COOKIE, SESSION_DAYS, sessionIdOf } from '../auth/tokens';
import { requireUser } from '../middleware/auth';
import { clientIp, rateLimit } from '../middleware/rate-limit';
import { readJson } from '../middleware/validate';
import { deleteSession, deleteUserSessions, insertSession } from '../repositories/sessions';
import { findUser, setPasswordHash, toSessionUser } from '../repositories/users';

const LoginBody = z.object({ userId: z.string().min(1).max(200), password: z.string().min(1).max(1000) });
const PasswordBody = z.object({
  currentPassword: z.string().min(1).max(1000),
  newPassword: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(1000),
});

// One message for an unknown id and a wrong password, so the answer does not confirm which ids exist.
const BAD_LOGIN = 'Wrong user id or password';

/** The userId of a login body, best effort: the limiter runs before validation. */
async function loginKey(c: Parameters<typeof clientIp>[0]): Promise<string> {
  let userId = '';
  try {
    const body: unknown = JSON.parse(await c.req.text());
    if (body && typeof body === 'object' && 'userId' in body && typeof body.userId === 'string') userId = body.userId;
  } catch {
    // Malformed bodies are counted under the empty id; readJson answers them 400.
  }
  return `${clientIp(c)}|${userId.toLowerCase()}`;
}

export interface AuthRouteOptions {
  /** Failed logins allowed per IP and user id within `loginWindowMs` (default 10 per 15 min). */
  loginMaxFailures?: number;
  loginWindowMs?: number;
}

export function authRoutes({ db }: AppOptions, limits: AuthRouteOptions = {}) {
  const loginLimit = rateLimit<AppEnv>({
    windowMs: limits.loginWindowMs ?? 15 * 60_000,
    max: limits.loginMaxFailures ?? 10,
    key: loginKey,
    count: (c) => c.res.status === 401 || c.res.status === 400,
  });
  // A stolen session must not become a way to guess the current password either.
  const passwordLimit = rateLimit<AppEnv>({
    windowMs: limits.loginWindowMs ?? 15 * 60_000,
    max: limits.loginMaxFailures ?? 10,
    key: (c) => c.get('user').id,
    count: (c) => c.res.status === 403,
  });

  return new Hono<AppEnv>()
    .post('/auth/login', loginLimit, async (c) => {
      const { userId, password } = await readJson(c, LoginBody);
      const user = await findUser(db, userId);
      const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
      if (!user || !ok || user.disabled) throw new HTTPException(401, { message: BAD_LOGIN });
      const token = newSessionToken();
      await insertSession(db, {
        id: sessionIdOf(token),
        userId: user.id,
        expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 3600_000),
      });
      setSessionCookie(c, token);
      return c.json({ user: toSessionUser(user) });
    })
    .post('/auth/logout', async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await deleteSession(db, sessionIdOf(token));
      clearSessionCookie(c);
      return c.json({ ok: true });
    })
    .get('/me', requireUser(), (c) => c.json({ user: c.get('user') }))
    .post('/auth/password', requireUser(), passwordLimit, async (c) => {
      const { currentPassword, newPassword } = await readJson(c, PasswordBody);
      const user = c.get('user');
      const row = await findUser(db, user.id);
      if (!row || !(await verifyPassword(row.password_hash, currentPassword)))
        throw new HTTPException(403, { message: 'The current password is wrong' });
      await setPasswordHash(db, user.id, await hashPassword(newPassword));
      // Other devices must log in again with the new password; this one stays logged in.
      const token = getCookie(c, SESSION_COOKIE);
      await deleteUserSessions(db, user.id, token ? sessionIdOf(token) : undefined);
      return c.json({ ok: true });
    });
}
