// Storage faults the server answers instead of crashing: another process holding SQLite's write lock
// (busy: 503, try again shortly) and a full disk (507: nothing was stored; retry when space is back).
import { HTTPException } from 'hono/http-exception';

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** SQLITE_BUSY / SQLITE_LOCKED and their extended codes: another connection holds the lock. */
export function isBusy(err: unknown): boolean {
  const code = codeOf(err);
  return code !== undefined && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/** SQLite's disk-full (also what it reports for ENOSPC) and Node's own ENOSPC / EDQUOT. */
export function isDiskFull(err: unknown): boolean {
  const code = codeOf(err);
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}

/** Seconds a client should wait before retrying after a busy database. */
export const BUSY_RETRY_AFTER_S = 2;

function jsonError(status: 503 | 507, error: string, message: string, headers: Record<string, string> = {}): HTTPException {
  return new HTTPException(status, {
    message,
    res: new Response(JSON.stringify({ error, message }), { status, headers: { 'Content-Type': 'application/json', ...headers } }),
  });
}

/** The HTTP answer for a storage fault, or undefined for any other error. */
export function storageFault(err: unknown): HTTPException | undefined {
  if (isBusy(err))
    return jsonError(503, 'database_busy', 'The database is busy (another program is writing to it); nothing was saved, try again shortly', {
      'Retry-After': String(BUSY_RETRY_AFTER_S),
    });
  if (isDiskFull(err)) return jsonError(507, 'disk_full', 'The server disk is full; nothing was saved. Retry when the administrator has freed space');
  return undefined;
}
