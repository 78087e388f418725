import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'in3d_session';
export const SESSION_DAYS = 30;

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Sessions are stored by hash so a leaked database does not hand out live cookies. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
