// The address a request came from. Behind a reverse proxy the socket peer is the proxy; with
// TRUST_PROXY=N (the number of proxies in front, usually 1) the client is the N-th address from the
// right of X-Forwarded-For, the one our own proxy appended. Entries further left are the client's say.
import type { Context } from 'hono';

/** Parses TRUST_PROXY: unset/0/false: none; true: 1; a number: that many hops. */
export function parseTrustProxy(value: string | undefined): number {
  if (value === undefined || value === '' || /^(0|false|no)$/i.test(value)) return 0;
  if (/^(true|yes)$/i.test(value)) return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new Error(`TRUST_PROXY must be a number of proxies (0-10) or true/false, not ${JSON.stringify(value)}`);
  return n;
}

/** The peer address under @hono/node-server; 'unknown' in in-process tests. */
export function socketIp(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

export function clientIp(c: Context, trustProxy: number): string {
  if (trustProxy <= 0) return socketIp(c);
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustProxy] ?? hops[0] ?? socketIp(c);
}
