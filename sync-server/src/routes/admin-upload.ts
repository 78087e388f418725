// Import and export from the browser. POST /admin/upload?name=<file> streams the archive (.zip, .tar,
// .tar.gz or .tgz, told by the name) to DATA_DIR/uploads/<id>
// (the body cap is counted by middleware/body-limit.ts as it is read), answers 202 with the job, and
// runs the import in the background; GET /admin/upload/jobs[/<id>] returns its status, also after a
// reload. GET /admin/export.zip?layout=npz|release|coco|jsonl streams an export as a zip.
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import type { AppEnv, RouteOptions } from '../app';
import { exportZip, ZIP_LAYOUTS } from '../exchange/export-zip';
import { jobDir, JobStore } from '../exchange/jobs';
import { CATEGORY_PREFIX } from '../exchange/cad';
import { archiveKind } from '../exchange/unpack';
import { runImportJob, uploadPath } from '../exchange/upload-import';
import { USER_PREFIX } from '../auth/user-id';
import { requireUser } from '../middleware/auth';
import { readInput } from '../middleware/validate';

const FileName = z.string().min(1).max(255).regex(/^[^/\\\0]+$/, 'a file name, no folders');
const Layout = z.enum(ZIP_LAYOUTS);
/** Prefixes for imported ids that collide with this server's (as the CLI's --user-prefix / --category-prefix). */
const UploadPrefixes = z
  .object({
    userPrefix: z.string().regex(USER_PREFIX, 'a letter or digit, then letters, digits, dot, underscore, @ and dash, at most 32').optional(),
    categoryPrefix: z.string().regex(CATEGORY_PREFIX, 'a letter or digit, then letters, digits, dot, underscore and dash, at most 32').optional(),
  })
  .strip();

export function adminUploadRoutes({ db, dataDir, maxUnpackedBytes, meshCopies }: RouteOptions) {
  const admin = requireUser({ roles: ['admin'] });
  const jobs = new JobStore(dataDir);
  return new Hono<AppEnv>()
    .use('/admin/upload', admin)
    .use('/admin/upload/*', admin)
    .use('/admin/export.zip', admin)
    .post('/admin/upload', async (c) => {
      const name = FileName.safeParse(c.req.query('name') ?? 'upload.zip');
      if (!name.success) throw new HTTPException(400, { message: `name: ${name.error.issues[0]!.message}` });
      const archive = archiveKind(name.data);
      if (!archive) throw new HTTPException(400, { message: `name: ${name.data} is not a .zip, .tar, .tar.gz or .tgz archive` });
      const prefixes = readInput(c.req.query(), UploadPrefixes, 'Invalid upload');
      const body = c.req.raw.body;
      if (!body) throw new HTTPException(400, { message: 'The upload has no body' });
      const id = randomUUID();
      const dir = jobDir(dataDir, id);
      mkdirSync(dir, { recursive: true });
      const job = jobs.create({
        id, by: c.get('user').id, fileName: name.data, kind: 'unknown', phase: 'uploading', progress: 0, label: 'uploading',
        startedAt: new Date().toISOString(), reports: [],
      });
      let size = 0;
      try {
        const counted = Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
        counted.on('data', (b: Buffer) => (size += b.byteLength));
        await pipeline(counted, createWriteStream(uploadPath(dir, archive)));
      } catch (e) {
        rmSync(uploadPath(dir, archive), { force: true });
        const tooLarge = e instanceof HTTPException && e.status === 413;
        jobs.update(id, { phase: 'failed', error: tooLarge ? e.message : `The upload broke off: ${(e as Error).message}`, finishedAt: new Date().toISOString() });
        throw e instanceof HTTPException ? e : new HTTPException(400, { message: `The upload broke off: ${(e as Error).message}` });
      }
      void runImportJob(db, dataDir, jobs, { id, size, archive, ...prefixes, maxUnpackedBytes, afterImport: () => meshCopies.fillMissing() });
      return c.json(job, 202);
    })
    .get('/admin/upload/jobs', (c) => c.json(jobs.list()))
    .get('/admin/upload/jobs/:id', (c) => {
      const job = jobs.get(c.req.param('id'));
      if (!job) throw new HTTPException(404, { message: `No import job ${c.req.param('id')}` });
      return c.json(job);
    })
    .get('/admin/export.zip', (c) => {
      const layout = Layout.safeParse(c.req.query('layout') ?? 'npz');
      if (!layout.success) throw new HTTPException(400, { message: `layout: must be one of ${Layout.options.join(', ')}` });
      c.header('Content-Type', 'application/zip');
      c.header('Content-Disposition', `attachment; filename="annotations-${layout.data}.zip"`);
      return stream(c, async (s) => {
        for await (const chunk of exportZip(db, layout.data)) await s.write(chunk);
      });
    });
}
