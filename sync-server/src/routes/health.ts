import { Hono } from 'hono';
import { sql } from 'kysely';
import type { AppOptions } from '../app';

export function healthRoutes({ db }: AppOptions) {
  return new Hono().get('/health', async (c) => {
    const row = await sql<{ ok: number }>`SELECT 1 AS ok`.execute(db);
    return c.json({ ok: row.rows[0]?.ok === 1, time: new Date().toISOString() });
  });
}
