import type { SessionUser } from '@in3d/shared/types';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Db } from './db/connect';
import { healthRoutes } from './routes/health';
import { syncRoutes } from './routes/sync';
import { authRoutes } from './routes/auth';
import { catalogueRoutes } from './routes/catalogue';
import { fileRoutes } from './routes/files';
import { AccessDenied } from './policy/access';
import { qualificationRoutes } from './routes/qualification';
import { reviewRoutes } from './routes/reviews';
import { reportRoutes } from './routes/reports';
import { supportRoutes } from './routes/support';
import { abRoutes } from './routes/ab';
import { adminRoutes } from './routes/admin';
import { adminExchangeRoutes } from './routes/admin-exchange';
import { adminUploadRoutes } from './routes/admin-upload';
import { adminAuditRoutes } from './routes/admin-audit';
import { serveBuiltApp } from './middleware/static';
import { ValidationError } from './middleware/validate';
import { MAX_PUSH_BYTES } from '@in3d/shared/protocol';
import { compress } from 'hono/compress';
import type { AuthRouteOptions } from './routes/auth';
import { storageFault } from './db/errors';
import { log as serverLog, type Logger } from './log';
import { type BodyLimit, bodyLimits } from './middleware/body-limit';
import { csrf } from './middleware/csrf';
import { auditAdmin } from './middleware/audit';
import { requestLog } from './middleware/request-log';
import { securityHeaders } from './middleware/security-headers';
import { type MeshCopies, meshCopies } from './files/mesh-copies';

export interface AppOptions {
  db: Db;
  /** Where photos and other files live (DATA_DIR). */
  dataDir: string;
  /** The built PWA (vite build output); omitted in API-only tests. */
  staticDir?: string;
  /** Origins besides this server's own allowed to make state-changing calls (ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  /** Reverse proxies in front (TRUST_PROXY): client address from X-Forwarded-For, host from X-Forwarded-Host. */
  trustProxy?: number;
  /** Request logs go here; none when omitted (in-process tests). */
  log?: Logger;
  auth?: AuthRouteOptions;
  /** Cap on what an uploaded archive may unpack to (default MAX_UNPACKED_BYTES, exchange/unpack-member.ts). */
  maxUnpackedBytes?: number;
  /** The meshes' brotli copies made in the background (files/mesh-copies.ts); createApp makes one when omitted. */
  meshCopies?: MeshCopies;
}

/** The options the routes see: with the one background maker of mesh copies. */
export type RouteOptions = AppOptions & { meshCopies: MeshCopies };

export interface AppEnv {
  Variables: { options: AppOptions; user: SessionUser; requestId: string };
}

/**
 * Upload endpoints (multipart or zip bodies, streamed with their own cap). They pass the same
 * same-origin check as every other state-changing request; only their Content-Type differs.
 */
export const UPLOAD_PATHS: readonly string[] = ['/api/admin/upload'];
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

const KB = 1024;
const MB = 1024 * KB;
/** Per route: a login is tiny; a push holds at most MAX_PUSH_MUTATIONS small mutations; admin JSON can list 20,000+ ids. */
export function bodyLimitFor(path: string): BodyLimit {
  if (UPLOAD_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return { stream: MAX_UPLOAD_BYTES };
  if (path.startsWith('/api/auth/')) return { json: 16 * KB };
  if (path === '/api/sync/push') return { json: MAX_PUSH_BYTES }; // SPEC R31
  if (path.startsWith('/api/admin/')) return { json: 16 * MB };
  return { json: 1 * MB };
}

export function createApp(appOptions: AppOptions) {
  const options: RouteOptions = { ...appOptions, meshCopies: appOptions.meshCopies ?? meshCopies(appOptions.db, appOptions.dataDir) };
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('options', options);
    await next();
  });
  if (options.log) app.use('*', requestLog<AppEnv>(options.log));
  app.use('*', securityHeaders());
  // Not octet-stream: the meshes (/api/meshes) come precompressed from their route (files/mesh-encodings.ts).
  app.use('/api/*', compress({ contentTypeFilter: /^application\/(json|x-ndjson)/ }));
  app.use('*', csrf({ allowedOrigins: options.allowedOrigins, uploadPaths: UPLOAD_PATHS, trustProxy: (options.trustProxy ?? 0) > 0 }));
  app.use('*', bodyLimits(bodyLimitFor));
  app.use('/api/admin/*', auditAdmin(options.db));
  app.route('/api', healthRoutes(options));
  app.route('/api', syncRoutes(options));
  app.route('/api', authRoutes(options));
  app.route('/api', catalogueRoutes(options));
  app.route('/api', fileRoutes(options));
  app.route('/api', qualificationRoutes(options));
  app.route('/api', reviewRoutes(options));
  app.route('/api', reportRoutes(options));
  app.route('/api', supportRoutes(options));
  app.route('/api', abRoutes(options));
  app.route('/api', adminRoutes(options));
  app.route('/api', adminExchangeRoutes(options));
  app.route('/api', adminUploadRoutes(options));
  app.route('/api', adminAuditRoutes(options));
  // Last: everything that is not /api is the PWA.
  if (options.staticDir) app.use('*', serveBuiltApp({ root: options.staticDir }));

  app.notFound((c) => c.json({ error: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof ValidationError) {
      return c.json({ error: 'invalid_request', message: err.message, issues: err.issues }, 400);
    }
    if (err instanceof HTTPException) {
      // Our own answers with headers (413, 429 Retry-After, 503) carry their response.
      if (err.res) return err.getResponse();
      return c.json({ error: err instanceof AccessDenied ? err.code : 'http_error', message: err.message }, err.status);
    }
    const fault = storageFault(err);
    if (fault) {
      (options.log ?? serverLog).warn({ err, reqId: c.get('requestId'), path: c.req.path }, 'storage fault');
      return fault.getResponse();
    }
    (options.log ?? serverLog).error({ err, reqId: c.get('requestId'), method: c.req.method, path: c.req.path }, 'unhandled error');
    return c.json({ error: 'internal', message: 'Internal server error' }, 500);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
