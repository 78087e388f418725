// Files the server derives from what it stores (a photo at a smaller width, a mesh precompressed)
// are made once and kept under DATA_DIR/.cache: later requests read a file instead of redoing the work.
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const running = new Map<string, Promise<Uint8Array>>();

/** The bytes at `path`, or undefined when there is no such file yet. */
export async function readCached(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Whether the file at `path` exists, without reading it. */
export async function isCached(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * The bytes at `path`, or `make()`'s, written there first. Concurrent callers for one path share one
 * `make`. The caller builds `path` from checked names only (it must stay inside the cache folder).
 */
export function cachedFile(path: string, make: () => Promise<Uint8Array>): Promise<Uint8Array> {
  const shared = running.get(path);
  if (shared) return shared;
  const p = (async () => {
    const hit = await readCached(path);
    if (hit) return hit;
    const body = await make();
    await mkdir(dirname(path), { recursive: true });
    // Written aside and renamed: a reader never sees half a file.
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, body);
    await rename(tmp, path);
    return body;
  })().finally(() => running.delete(path));
  running.set(path, p);
  return p;
}
