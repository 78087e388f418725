// Binary downloads: CAD meshes by content etag, photos by id. Both are cacheable forever when the
// URL names the content, which is what lets the app keep them offline without revalidating. Meshes
// are sent precompressed (files/mesh-encodings.ts): brotli where the client accepts it, else gzip.
import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { AppEnv, RouteOptions } from '../app';
import { requireUser } from '../middleware/auth';
import { confine } from '../exchange/confine';
import { acceptedEncodings, contentTypeOf, IMMUTABLE, NO_CACHE, sendWithEtag } from '../middleware/static';
import { precompressedMesh } from '../files/mesh-encodings';
import { readInput } from '../middleware/validate';
import { assertMayFetchImage } from '../policy/access';
import { findImage, findMeshByEtag } from '../repositories/catalogue';
import { log } from '../log';
import { asStored } from '../photos/orientation';
import { MAX_WIDTH, servedWidth, sizedJpeg } from '../photos/sized';

const MeshParams = z.object({ etag: z.string().regex(/^[0-9a-f]{8,64}$/, 'an etag is 8 to 64 lowercase hex digits') });
const ImageParams = z.object({ imageId: z.string().min(1).max(300) });
/** `w`: the most pixels across the client can show (capped at MAX_WIDTH; the original stays at no `w`). */
const ImageQuery = z.object({
  v: z.string().max(100).optional(),
  w: z
    .string()
    .regex(/^[1-9][0-9]{0,4}$/, 'w is a whole number of pixels')
    .transform(Number)
    .pipe(z.number().int().min(16, 'w is at least 16').max(4 * MAX_WIDTH, `w is at most ${4 * MAX_WIDTH}`))
    .optional(),
});

export function fileRoutes({ db, dataDir, meshCopies }: RouteOptions) {
  return new Hono<AppEnv>()
    .use('/meshes/*', requireUser())
    .use('/images/*', requireUser())
    .get('/meshes/:etag', async (c) => {
      const { etag } = readInput(c.req.param(), MeshParams, 'Invalid mesh URL');
      const mesh = await findMeshByEtag(db, etag);
      if (!mesh) throw new HTTPException(404, { message: `No mesh ${etag}` });
      // Each encoding its own strong ETag (as static.ts does for the app's files): a 304 is only for the bytes the client holds.
      const sent = { etag, cacheControl: IMMUTABLE, contentType: 'application/octet-stream', vary: true };
      const accepted = acceptedEncodings(c.req.header('accept-encoding'));
      try {
        const packed = await precompressedMesh(dataDir, etag, mesh, accepted, (e, m) => meshCopies.want(e, m));
        if (packed) return sendWithEtag(c, packed.body, { ...sent, etag: `${etag}-${packed.encoding}`, encoding: packed.encoding });
      } catch (err) {
        // No disk for the cache (or zlib failed): the mesh is still sent, uncompressed.
        log.warn({ err, etag, accepted }, 'precompressed mesh failed; sending it uncompressed');
      }
      return sendWithEtag(c, mesh, sent);
    })
    .get('/images/:imageId', async (c) => {
      const { imageId } = readInput(c.req.param(), ImageParams, 'Invalid image URL');
      const query = readInput(c.req.query(), ImageQuery, 'Invalid image URL');
      await assertMayFetchImage(db, c.get('user'), imageId); // before the lookup: a refused id says nothing about existence
      const image = await findImage(db, imageId);
      if (!image) throw new HTTPException(404, { message: `No image ${imageId}` });
      if (!image.file_path || !image.etag) throw new HTTPException(404, { message: `The photo of ${imageId} is missing on the server` });
      const file = confine(dataDir, image.file_path);
      if (!file.ok) throw new HTTPException(404, { message: `The photo of ${imageId} is outside the data folder` });
      const contentType = contentTypeOf(image.file_path);
      const width = query.w !== undefined && contentType === 'image/jpeg' ? servedWidth(query.w, image.width) : null;
      let body: Uint8Array | null = null;
      let sizedBody: Uint8Array | null = null;
      /** A photo stored before imports reset its EXIF Orientation: its bytes sent differ from its etag's. */
      let turned = false;
      if (width !== null) {
        try {
          body = sizedBody = await sizedJpeg(dataDir, file.path, image.etag, width);
        } catch (err) {
          // A photo this server cannot shrink (odd JPEG, no disk for the cache) is still sent, at full size.
          log.warn({ err, imageId, width }, 'sized photo failed; sending the original');
        }
      }
      if (!body) {
        try {
          const raw = new Uint8Array(await readFile(file.path));
          body = asStored(raw);
          turned = body !== raw;
        } catch {
          throw new HTTPException(404, { message: `The photo of ${imageId} is missing on the server (${image.file_path})` });
        }
      }
      // Only a URL that names the version may be cached without asking again.
      const versioned = query.v === image.etag;
      const sized = sizedBody !== null;
      return sendWithEtag(c, body, {
        etag: sized ? `${image.etag}-w${width}` : turned ? `${image.etag}-o1` : image.etag,
        cacheControl: versioned ? 'private, max-age=31536000, immutable' : NO_CACHE,
        contentType,
      });
    });
}
