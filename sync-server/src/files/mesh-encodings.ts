// Meshes go out precompressed: format 2 leaves the entropy coding to HTTP (shared/src/mesh/v2.ts).
// Brotli at its best quality is about 15 % smaller than gzip on our meshes but far too slow to run per
// request (1-2 s for the largest), so each encoding of a mesh is made once, off the event loop (zlib's
// thread pool), and kept under DATA_DIR/.cache/meshes. The brotli copies are made ahead of the first
// request (files/mesh-copies.ts); until a mesh's copy exists, a client that also takes gzip gets gzip
// (tens of ms to make) and the mesh moves to the front of that queue: a visitor never waits for brotli.
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { cachedFile, readCached } from './disk-cache';

export type MeshEncoding = 'br' | 'gzip';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

function compress(encoding: MeshEncoding, mesh: Uint8Array): Promise<Buffer> {
  if (encoding === 'gzip') return gzipAsync(mesh, { level: 9 });
  return brotliAsync(mesh, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: mesh.length },
  });
}

export function encodingFile(dataDir: string, etag: string, encoding: MeshEncoding): string {
  // The etag names the cache file: hex only, so it cannot point outside the cache folder.
  if (!/^[0-9a-f]{8,64}$/.test(etag)) throw new Error(`no cached encoding for etag ${JSON.stringify(etag)}`);
  return join(dataDir, '.cache', 'meshes', `${etag}.${encoding === 'br' ? 'br' : 'gz'}`);
}

/** The mesh with content etag `etag` in `encoding`, from the disk cache or made now (and kept). */
export async function encodedMesh(dataDir: string, etag: string, mesh: Uint8Array, encoding: MeshEncoding): Promise<Uint8Array> {
  return cachedFile(encodingFile(dataDir, etag, encoding), async () => new Uint8Array(await compress(encoding, mesh)));
}

/**
 * The mesh in the first of `accepted` (best first) that can be sent now, or undefined when the client
 * accepts none; `wantBrotli` hears of a mesh sent as gzip for want of its brotli copy.
 * @throws when the cache cannot be read or written, or zlib fails.
 */
export async function precompressedMesh(
  dataDir: string,
  etag: string,
  mesh: Uint8Array,
  accepted: readonly MeshEncoding[],
  wantBrotli: (etag: string, mesh: Uint8Array) => void,
): Promise<{ body: Uint8Array; encoding: MeshEncoding } | undefined> {
  const best = accepted[0];
  if (!best) return undefined;
  if (best === 'br' && accepted.includes('gzip')) {
    const ready = await readCached(encodingFile(dataDir, etag, 'br'));
    if (ready) return { body: ready, encoding: 'br' };
    wantBrotli(etag, mesh);
    return { body: await encodedMesh(dataDir, etag, mesh, 'gzip'), encoding: 'gzip' };
  }
  return { body: await encodedMesh(dataDir, etag, mesh, best), encoding: best };
}
