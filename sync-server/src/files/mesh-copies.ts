// The meshes' brotli copies, made ahead of the first request: after an import and at server start for
// every stored mesh that lacks one, in the background and one at a time. Brotli at its best quality
// takes up to 1-2 s a mesh in zlib's thread pool (off the event loop); one at a time leaves the pool's
// other threads to requests (a gzip copy, a file read). A mesh a request just got as gzip goes first.
import type { DbOrTrx } from '../db/connect';
import { log } from '../log';
import { findMeshByEtag, listMeshEtags } from '../repositories/catalogue';
import { isCached } from './disk-cache';
import { encodedMesh, encodingFile } from './mesh-encodings';

export interface MeshCopies {
  /** Queues every stored mesh without a brotli copy (server start, after an import). */
  fillMissing(): void;
  /** A request got `etag` as gzip for want of its copy: it is made next. */
  want(etag: string, mesh: Uint8Array): void;
  /** Meshes queued or being compressed, plus a running scan. */
  readonly pending: number;
  /** Resolves once nothing is queued, compressed or scanned. */
  idle(): Promise<void>;
}

export function meshCopies(db: DbOrTrx, dataDir: string): MeshCopies {
  const queue: { etag: string; mesh?: Uint8Array }[] = [];
  const queued = new Set<string>();
  let current: string | null = null;
  let draining: Promise<void> | null = null;
  let scanning: Promise<void> | null = null;
  let rescan = false;

  const drain = () => {
    draining ??= (async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        queued.delete(job.etag);
        current = job.etag;
        try {
          const mesh = job.mesh ?? (await findMeshByEtag(db, job.etag));
          if (mesh) await encodedMesh(dataDir, job.etag, mesh, 'br'); // gone since (a re-import): nothing to make
        } catch (err) {
          log.warn({ err, etag: job.etag }, 'making the brotli copy of a mesh failed; it goes out as gzip');
        }
      }
      current = null;
    })().finally(() => {
      draining = null;
      if (queue.length) drain(); // queued after the loop's last look
    });
  };

  const scan = async () => {
    do {
      rescan = false;
      for (const etag of await listMeshEtags(db)) {
        if (queued.has(etag) || etag === current || (await isCached(encodingFile(dataDir, etag, 'br')))) continue;
        queued.add(etag);
        queue.push({ etag });
        drain();
      }
    } while (rescan);
  };

  return {
    fillMissing() {
      if (scanning) {
        rescan = true; // an import landed during the scan: look again once it ends
        return;
      }
      scanning = scan()
        .catch((err: unknown) => log.warn({ err }, 'looking for meshes without a brotli copy failed; they get one at their first request'))
        .finally(() => (scanning = null));
    },
    want(etag, mesh) {
      if (etag === current) return;
      if (queued.has(etag)) queue.splice(queue.findIndex((j) => j.etag === etag), 1);
      queued.add(etag);
      queue.unshift({ etag, mesh });
      drain();
    },
    get pending() {
      return queue.length + (current !== null ? 1 : 0) + (scanning ? 1 : 0);
    },
    async idle() {
      while (scanning || draining) await (scanning ?? draining);
    },
  };
}
