// CSRF defence for every state-changing request (POST, PUT, PATCH, DELETE), login included:
// 1. A body must be `application/json` (or, on the upload paths, multipart/zip): a page on another
//    origin can send text/plain, form and multipart bodies without a CORS preflight, not JSON.
// 2. What the browser says about where the request comes from must be this server: an `Origin` on
//    this server's host (or one of `allowedOrigins`) and, when sent, `Sec-Fetch-Site: same-origin`.
//    Both headers are set by the browser, not by page scripts. A request with neither
//    header is not from a browser (curl, the CLI, tests) and cannot carry a victim's cookie.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const JSON_TYPE = /^application\/json\s*(;|$)/i;
const UPLOAD_TYPE = /^(multipart\/form-data|application\/zip|application\/octet-stream)\s*(;|$)/i;

export interface CsrfOptions {
  /** Other origins allowed to call the API (e.g. `https://annotate.lab.example`), exact match. */
  allowedOrigins?: readonly string[];
  /** Path prefixes that accept uploads (multipart or zip bodies); they still need a same origin. */
  uploadPaths?: readonly string[];
  /** Trust X-Forwarded-Host for this server's own host (behind a proxy). */
  trustProxy?: boolean;
}

/**
 * This server's host as the browser addressed it. The scheme is not compared: the same host on http and
 * https is this server (a proxy terminating TLS), and browsers mark a scheme change cross-site anyway.
 */
export function ownHost(c: Context, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  return (forwarded || c.req.header('host') || new URL(c.req.url).host).toLowerCase();
}

function originHost(origin: string): string | undefined {
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.host.toLowerCase() : undefined;
  } catch {
    return undefined; // "null" (sandboxed frames, file:) and garbage are never same-origin
  }
}

function hasBody(c: Context): boolean {
  const length = c.req.header('content-length');
  return c.req.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

export function csrf(options: CsrfOptions = {}) {
  const allowed = new Set((options.allowedOrigins ?? []).map((o) => o.replace(/\/+$/, '').toLowerCase()));
  const uploads = options.uploadPaths ?? [];
  const trustProxy = options.trustProxy ?? false;

  return createMiddleware(async (c, next) => {
    if (!STATE_CHANGING.has(c.req.method)) return next();

    const type = c.req.header('content-type');
    const upload = uploads.some((p) => c.req.path === p || c.req.path.startsWith(`${p}/`));
    if (type !== undefined || hasBody(c)) {
      const ok = type !== undefined && (JSON_TYPE.test(type) || (upload && UPLOAD_TYPE.test(type)));
      if (!ok)
        throw new HTTPException(415, {
          message: `${c.req.method} ${c.req.path} needs Content-Type: application/json${upload ? ' (or multipart/form-data, application/zip)' : ''}; got ${type ?? 'none'}`,
        });
    }

    const site = c.req.header('sec-fetch-site')?.toLowerCase();
    const origin = c.req.header('origin')?.replace(/\/+$/, '').toLowerCase();
    const listed = origin !== undefined && allowed.has(origin);
    if (origin !== undefined && !listed && originHost(origin) !== ownHost(c, trustProxy))
      throw new HTTPException(403, { message: `Cross-origin request refused (Origin: ${origin}); add it to ALLOWED_ORIGINS if it is yours` });
    if (site !== undefined && site !== 'same-origin' && !listed)
      throw new HTTPException(403, { message: `Cross-site request refused (Sec-Fetch-Site: ${site}); use the app at this server's own address` });
    await next();
  });
}
