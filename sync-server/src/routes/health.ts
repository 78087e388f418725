// GET /api/health: a read (SELECT 1) only, never the write lock, so it answers at once even while
// another process holds that lock. `logWritesDropped` > 0 says the log's disk is full.
import { Hono } from 'hono';
import type { AppOptions } from '../app';
import { droppedLogWrites } from '../log';
import { pingDatabase } from '../repositories/health';

export function healthRoutes({ db }: AppOptions) {
  return new Hono().get('/health', async (c) =>
    c.json({ ok: await pingDatabase(db), time: new Date().toISOString(), logWritesDropped: droppedLogWrites() }),
  );
}
