// Admin endpoints for data exchange, calling the same functions as the CLI. Imports read folders on the
// server (absolute), which is why only admins may use them. Exports are written only inside
// DATA_DIR/exports: an admin session must not be a way to overwrite the live database, the app's files
// or anything else the server may write (the CLI, run in a shell, writes where it is told).
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { AppEnv, RouteOptions } from '../app';
import { exportCocoFile } from '../exchange/export-coco';
import { exportNpz } from '../exchange/export-npz';
import { exportRelease } from '../exchange/export-release';
import { jsonlLines } from '../exchange/export-jsonl';
import { importImagenet3d } from '../exchange/imagenet3d';
import { importLegacy } from '../exchange/legacy';
import { confineForWrite } from '../exchange/confine';
import { ExchangeError, ImportConflict } from '../exchange/report';
import { requireUser } from '../middleware/auth';
import { readJson } from '../middleware/validate';

const ServerPath = z.string().min(1).max(4096).refine(isAbsolute, 'must be an absolute path on the server');
const Prefix = z.string().min(1).max(32);
const LegacyBody = z
  .object({
    source: ServerPath,
    cadDir: ServerPath.optional(),
    db: ServerPath.optional(),
    /** Colliding imported ids become `<userPrefix><id>`. */
    userPrefix: Prefix.optional(),
    /** Imported id → existing account id, for people the admin knows are the same. */
    samePerson: z.record(z.string().min(1).max(64), z.string().min(1).max(64)).optional(),
    categoryPrefix: Prefix.optional(),
  })
  .strict();
const ReleaseBody = z
  .object({
    source: ServerPath,
    cadDir: ServerPath.optional(),
    asAnnotated: z.boolean().optional(),
    annotator: z.string().min(1).max(64).optional(),
    categoryPrefix: Prefix.optional(),
  })
  .strict();
const ExportPath = z.string().min(1).max(1024);
const NpzBody = z.object({ outDir: ExportPath }).strict();
const FileBody = z.object({ file: ExportPath }).strict();

/** Where an export named `rel` (body field `field`) goes: inside DATA_DIR/exports, its parent made; else 400. */
function exportTarget(dataDir: string, field: string, rel: string): string {
  const root = join(dataDir, 'exports');
  const target = confineForWrite(root, rel);
  if (!target.ok) throw new HTTPException(400, { message: `${field}: ${JSON.stringify(rel)} ${target.why}; exports are written inside DATA_DIR/exports (give a path relative to it, e.g. "release-2026-12-01")` });
  try {
    mkdirSync(dirname(target.path), { recursive: true });
  } catch (e) {
    // e.g. a folder named where an earlier export wrote a file: the request's path, so a 400.
    throw new HTTPException(400, { message: `${field}: ${JSON.stringify(rel)} cannot be made inside DATA_DIR/exports: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
  }
  return target.path;
}

/**
 * An ExchangeError (no such folder, not a database) is the caller's mistake: 400 with its message. An
 * ImportConflict (ids or meshes that would merge) is 409 with every conflict, so the admin can choose.
 */
async function expected<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ImportConflict) {
      const body = JSON.stringify({ error: 'import_conflict', message: e.message, conflicts: e.conflicts });
      throw new HTTPException(409, { res: new Response(body, { status: 409, headers: { 'Content-Type': 'application/json' } }) });
    }
    if (e instanceof ExchangeError) throw new HTTPException(400, { message: e.message });
    throw e;
  }
}

export function adminExchangeRoutes({ db, dataDir, meshCopies }: RouteOptions) {
  const admin = requireUser({ roles: ['admin'] });
  return new Hono<AppEnv>()
    .use('/admin/import/*', admin)
    .use('/admin/export/*', admin)
    .use('/admin/export.jsonl', admin)
    .post('/admin/import/legacy', async (c) => {
      const b = await readJson(c, LegacyBody);
      const identity = { userPrefix: b.userPrefix, samePerson: b.samePerson && new Map(Object.entries(b.samePerson)) };
      // After a failed import too: it may have stored some of its meshes (as the upload job does).
      const summary = await expected(() => importLegacy(db, { source: b.source, cadDir: b.cadDir, legacyDb: b.db, dataDir, identity, categoryPrefix: b.categoryPrefix })).finally(() =>
        meshCopies.fillMissing(),
      );
      return c.json(summary);
    })
    .post('/admin/import/imagenet3d', async (c) => {
      const b = await readJson(c, ReleaseBody);
      const summary = await expected(() =>
        importImagenet3d(db, { source: b.source, cadDir: b.cadDir, dataDir, asAnnotated: b.asAnnotated, annotator: b.annotator, categoryPrefix: b.categoryPrefix }),
      ).finally(() => meshCopies.fillMissing());
      return c.json(summary);
    })
    .post('/admin/export/npz', async (c) => {
      const outDir = exportTarget(dataDir, 'outDir', (await readJson(c, NpzBody)).outDir);
      return c.json(await expected(() => exportNpz(db, { outDir })));
    })
    .post('/admin/export/release', async (c) => {
      const outDir = exportTarget(dataDir, 'outDir', (await readJson(c, NpzBody)).outDir);
      return c.json(await expected(() => exportRelease(db, { outDir })));
    })
    .post('/admin/export/coco', async (c) => {
      const file = exportTarget(dataDir, 'file', (await readJson(c, FileBody)).file);
      return c.json(await expected(() => exportCocoFile(db, { file })));
    })
    .get('/admin/export.jsonl', (c) => {
      c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
      c.header('Content-Disposition', 'attachment; filename="annotations.jsonl"');
      return stream(c, async (s) => {
        for await (const line of jsonlLines(db)) await s.write(line);
      });
    });
}
