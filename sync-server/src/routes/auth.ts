// Login, logout, the current user and changing one's own password.
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import { clearSessionCookie, setSessionCookie } from '../auth/cookie';
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../auth/passwords';
import { normalizeUserId } from '../auth/user-id';
import { newSessionToken, SESSION_COOKIE, SESSION_DAYS, sessionIdOf } from '../auth/tokens';
import { requireUser } from '../middleware/auth';
import { createLoginLimiter, type LoginLimitPolicy } from '../auth/login-limiter';
import { clientIp } from '../middleware/client-ip';
import { readJson } from '../middleware/validate';
import { deleteSession, deleteUserSessions, insertSession } from '../repositories/sessions';
import { findUser, setPasswordHash, toSessionUser } from '../repositories/users';

const LoginBody = z.object({ userId: z.string().min(1).max(200).transform(normalizeUserId), password: z.string().min(1).max(1000) });
const PasswordBody = z.object({
  currentPassword: z.string().min(1).max(1000),
  newPassword: z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(1000),
});

// One message for an unknown id and a wrong password, so the answer does not confirm which ids exist.
const BAD_LOGIN = 'Wrong user id or password';

export interface AuthRouteOptions {
  /** Login throttling (defaults: DEFAULT_LOGIN_POLICY). */
  loginPolicy?: Partial<LoginLimitPolicy>;
  /** Throttling of wrong current passwords when changing one's password, per user (any address). */
  passwordPolicy?: Partial<LoginLimitPolicy>;
}

function tooMany(retryAfterMs: number, what = 'login attempts'): HTTPException {
  const s = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new HTTPException(429, {
    res: new Response(JSON.stringify({ error: 'rate_limited', message: `Too many ${what}; try again in ${s} s`, retryAfterSeconds: s }), {
      status: 429,
      headers: { 'Content-Type': 'application/json', 'Retry-After': String(s) },
    }),
  });
}

export function authRoutes({ db, trustProxy = 0, auth: limits = {} }: AppOptions) {
  const logins = createLoginLimiter(limits.loginPolicy);
  // A stolen session must not become a way to guess the current password either: the same limiter,
  // counted per user from any address (one pseudo-address, no per-address allowance).
  const passwordChanges = createLoginLimiter({ freePerIp: Number.POSITIVE_INFINITY, ...limits.passwordPolicy });

  return new Hono<AppEnv>()
    .post('/auth/login', async (c) => {
      const { userId, password } = await readJson(c, LoginBody);
      // Counted before the (slow) password check: concurrent guesses cannot overtake the counter.
      const admission = logins.admit(clientIp(c, trustProxy), userId);
      if (!admission.ok) throw tooMany(admission.retryAfterMs);
      const user = await findUser(db, userId);
      const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
      const success = !!user && ok && !user.disabled;
      admission.release(success);
      if (!success) throw new HTTPException(401, { message: BAD_LOGIN });
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
    .post('/auth/password', requireUser(), async (c) => {
      const { currentPassword, newPassword } = await readJson(c, PasswordBody);
      const user = c.get('user');
      const admission = passwordChanges.admit('any', user.id);
      if (!admission.ok) throw tooMany(admission.retryAfterMs, 'wrong current passwords');
      const row = await findUser(db, user.id);
      const ok = !!row && (await verifyPassword(row.password_hash, currentPassword));
      admission.release(ok);
      if (!ok) throw new HTTPException(403, { message: 'The current password is wrong' });
      await setPasswordHash(db, user.id, await hashPassword(newPassword));
      // Other devices must log in again with the new password; this one stays logged in.
      const token = getCookie(c, SESSION_COOKIE);
      await deleteUserSessions(db, user.id, token ? sessionIdOf(token) : undefined);
      return c.json({ ok: true });
    });
}
