import type { SessionUser } from '@in3d/shared/types';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Db } from './db/connect';
import { healthRoutes } from './routes/health';
import { syncRoutes } from './routes/sync';
import { authRoutes } from './routes/auth';
import { catalogueRoutes } from './routes/catalogue';
import { fileRoutes } from './routes/files';
import { qualificationGate, qualificationRoutes } from './routes/qualification';
import { reviewRoutes } from './routes/reviews';
import { abRoutes } from './routes/ab';
import { adminRoutes } from './routes/admin';
import { adminExchangeRoutes } from './routes/admin-exchange';
import { serveBuiltApp } from './middleware/static';
import { ValidationError } from './middleware/validate';

export interface AppOptions {
  db: Db;
  /** Where photos and other files live (DATA_DIR). */
  dataDir: string;
  /** The built PWA (vite build output); omitted in API-only tests. */
  staticDir?: string;
}

export interface AppEnv {
  Variables: { options: AppOptions; user: SessionUser };
}

export function createApp(options: AppOptions) {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('options', options);
    await next();
  });
  app.use('/api/*', qualificationGate(options));
  app.route('/api', healthRoutes(options));
  app.route('/api', syncRoutes(options));
  app.route('/api', authRoutes(options));
  app.route('/api', catalogueRoutes(options));
  app.route('/api', fileRoutes(options));
  app.route('/api', qualificationRoutes(options));
  app.route('/api', reviewRoutes(options));
  app.route('/api', abRoutes(options));
  app.route('/api', adminRoutes(options));
  app.route('/api', adminExchangeRoutes(options));
  // Last: everything that is not /api is the PWA.
  if (options.staticDir) app.use('*', serveBuiltApp({ root: options.staticDir }));

  app.notFound((c) => c.json({ error: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof ValidationError) {
      return c.json({ error: 'invalid_request', message: err.message, issues: err.issues }, 400);
    }
    if (err instanceof HTTPException) {
      // A route that built its own error body (e.g. a list of import conflicts) keeps it.
      if (err.res) return err.getResponse();
      return c.json({ error: 'http_error', message: err.message }, err.status);
    }
    console.error(err);
    return c.json({ error: 'internal', message: 'Internal server error' }, 500);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
