// Meshes go out precompressed: format 2 leaves the entropy coding to HTTP (shared/src/mesh/v2.ts).
// Brotli at its best quality is about 15 % smaller than gzip on our meshes but far too slow to run per
// request (about a second for the largest), so each encoding of a mesh is made once, on its first
// request, off the event loop (zlib's thread pool), and kept under DATA_DIR/.cache/meshes.
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { cachedFile } from './disk-cache';

export type MeshEncoding = 'br' | 'gzip';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

function compress(encoding: MeshEncoding, mesh: Uint8Array): Promise<Buffer> {
  if (encoding === 'gzip') return gzipAsync(mesh, { level: 9 });
  return brotliAsync(mesh, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: mesh.length },
  });
}

/** The mesh with content etag `etag` in `encoding`, from the disk cache or made now (and kept). */
export function encodedMesh(dataDir: string, etag: string, mesh: Uint8Array, encoding: MeshEncoding): Promise<Uint8Array> {
  // The etag names the cache file: hex only, so it cannot point outside the cache folder.
  if (!/^[0-9a-f]{8,64}$/.test(etag)) return Promise.reject(new Error(`no cached encoding for etag ${JSON.stringify(etag)}`));
  const file = join(dataDir, '.cache', 'meshes', `${etag}.${encoding === 'br' ? 'br' : 'gz'}`);
  return cachedFile(file, async () => new Uint8Array(await compress(encoding, mesh)));
}
