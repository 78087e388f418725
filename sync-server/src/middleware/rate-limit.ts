// In-memory fixed-window rate limiting. One process serves a lab, so memory is enough; a restart
// forgetting the counts is acceptable. Each `rateLimit()` call owns its own counters.
import type { Context, Env } from 'hono';
import { createMiddleware } from 'hono/factory';

export interface RateLimitOptions<E extends Env = Env> {
  windowMs: number;
  /** Counted requests allowed per key and window; the next one is answered 429. */
  max: number;
  key: (c: Context<E>) => string | Promise<string>;
  /**
   * Decides after the handler ran whether this request counts (e.g. only failed logins).
   * Default: every request counts.
   */
  count?: (c: Context<E>) => boolean;
  now?: () => number;
}

interface Window {
  hits: number;
  resetAt: number;
}

export function rateLimit<E extends Env = Env>(options: RateLimitOptions<E>) {
  const { windowMs, max, key, count = () => true, now = Date.now } = options;
  const windows = new Map<string, Window>();
  let lastSweep = now();

  const sweep = (t: number) => {
    if (t - lastSweep < windowMs) return;
    lastSweep = t;
    for (const [k, w] of windows) if (w.resetAt <= t) windows.delete(k);
  };

  return createMiddleware<E>(async (c, next) => {
    const t = now();
    sweep(t);
    const k = await key(c);
    const w = windows.get(k);
    if (w && w.resetAt > t && w.hits >= max) {
      const retryAfter = Math.max(1, Math.ceil((w.resetAt - t) / 1000));
      return c.json(
        { error: 'rate_limited', message: `Too many attempts; try again in ${Math.ceil(retryAfter / 60)} min` },
        429,
        { 'Retry-After': String(retryAfter) },
      );
    }
    await next();
    if (!count(c)) return;
    const current = windows.get(k);
    if (current && current.resetAt > t) current.hits++;
    else windows.set(k, { hits: 1, resetAt: t + windowMs });
  });
}
