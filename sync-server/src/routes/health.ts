import { Hono } from 'hono';
import type { AppOptions } from '../app';
import { pingDatabase } from '../repositories/health';

export function healthRoutes({ db }: AppOptions) {
  return new Hono().get('/health', async (c) => c.json({ ok: await pingDatabase(db), time: new Date().toISOString() }));
}
