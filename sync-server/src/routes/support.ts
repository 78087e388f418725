// The support link: every signed-in user reads it (the annotate page shows it), an admin sets it.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import { requireUser } from '../middleware/auth';
import { readJson } from '../middleware/validate';
import { getSupportSettings, saveSupportSettings } from '../repositories/support';

const SupportBody = z
  .object({
    url: z
      .string()
      .trim()
      .max(2000)
      .regex(/^(https?:\/\/|mailto:)\S+$/, 'must be an http(s):// or mailto: link')
      .nullable(),
  })
  .strict();

export function supportRoutes({ db }: AppOptions) {
  return new Hono<AppEnv>()
    .get('/settings/support', requireUser(), async (c) => c.json(await getSupportSettings(db)))
    .put('/admin/settings/support', requireUser({ roles: ['admin'] }), async (c) => {
      const body = await readJson(c, SupportBody);
      await saveSupportSettings(db, body, c.get('user').id);
      return c.json(await getSupportSettings(db));
    });
}
