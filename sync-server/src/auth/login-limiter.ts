// Login throttling (policy in README "Login limits"). An attempt is counted when it is admitted, before
// the password is checked, and admission is decided synchronously, so 100 concurrent guesses cannot all
// slip past a counter that is only raised after the slow argon2 check. Two counters must both admit:
// one per (IP, user id) and one per IP across all user ids (spraying). Past a free allowance each
// further attempt must wait a delay that doubles up to a short cap: a guesser is slowed to a crawl,
// while the right password is never locked out for longer than the cap. A success clears its (IP, user)
// counter and gives its IP attempt back; counters are forgotten after `forgetMs` without attempts. In memory: one process per lab.

export interface LoginLimitPolicy {
  /** Attempts per (IP, user id) admitted without delay. */
  freePerUser: number;
  /** Attempts per IP, across user ids, admitted without delay. */
  freePerIp: number;
  /** The first delay after the free attempts; it doubles with each further attempt. */
  baseDelayMs: number;
  /** The longest delay between two attempts. */
  maxDelayMs: number;
  /** A counter with no attempt for this long starts again from zero. */
  forgetMs: number;
}

export const DEFAULT_LOGIN_POLICY: LoginLimitPolicy = {
  freePerUser: 5,
  freePerIp: 30,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  forgetMs: 15 * 60_000,
};

interface Counter {
  attempts: number;
  lastAt: number;
}

export type Admission = { ok: true; release(success: boolean): void } | { ok: false; retryAfterMs: number };

export function createLoginLimiter(policy: Partial<LoginLimitPolicy> = {}, now: () => number = Date.now) {
  const p = { ...DEFAULT_LOGIN_POLICY, ...policy };
  const perUser = new Map<string, Counter>();
  const perIp = new Map<string, Counter>();
  let lastSweep = now();

  const live = (map: Map<string, Counter>, key: string, t: number): Counter | undefined => {
    const c = map.get(key);
    if (c && t - c.lastAt >= p.forgetMs) {
      map.delete(key);
      return undefined;
    }
    return c;
  };
  /** How long until this counter admits another attempt (0: now). */
  const waitOf = (c: Counter | undefined, free: number, t: number): number => {
    if (!c || c.attempts < free) return 0;
    const delay = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** Math.min(30, c.attempts - free));
    return Math.max(0, c.lastAt + delay - t);
  };
  const bump = (map: Map<string, Counter>, key: string, c: Counter | undefined, t: number) => {
    if (c) {
      c.attempts++;
      c.lastAt = t;
    } else map.set(key, { attempts: 1, lastAt: t });
  };
  const sweep = (t: number) => {
    if (t - lastSweep < p.forgetMs) return;
    lastSweep = t;
    for (const map of [perUser, perIp]) for (const [k, c] of map) if (t - c.lastAt >= p.forgetMs) map.delete(k);
  };

  return {
    /** Admits (and counts) one attempt, or says how long to wait. Synchronous on purpose. */
    admit(ip: string, userId: string): Admission {
      const t = now();
      sweep(t);
      const userKey = `${ip}\u0000${userId.toLowerCase()}`;
      const u = live(perUser, userKey, t);
      const i = live(perIp, ip, t);
      const wait = Math.max(waitOf(u, p.freePerUser, t), waitOf(i, p.freePerIp, t));
      if (wait > 0) return { ok: false, retryAfterMs: wait };
      bump(perUser, userKey, u, t);
      bump(perIp, ip, i, t);
      return {
        ok: true,
        release(success) {
          if (!success) return;
          perUser.delete(userKey);
          // A lab behind one NAT address logs in all morning; only failures should add up per IP.
          const c = perIp.get(ip);
          if (c && c.attempts > 0) c.attempts--;
        },
      };
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
