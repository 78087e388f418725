// .npz: a zip of .npy members named `<key>.npy`. numpy writes them stored (savez) or deflated
// (savez_compressed); fflate reads both. We write stored members dated 1980-01-01 like numpy's
// zipfile, in the given key order, so `numpy.load` sees the same keys in the same order.
import { unzipSync, Zip, ZipPassThrough } from 'fflate';
import type { NdArray } from './ndarray';
import { NpyError, type ReadNpyOptions, readNpy, writeNpy } from './npy';

/** Keys in the order the zip holds them (Map keeps insertion order, even for numeric-looking keys). */
export type NpzEntries = Map<string, NdArray>;

export function readNpz(bytes: Uint8Array, options: ReadNpyOptions = {}): NpzEntries {
  const order: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        order.push(f.name);
        return true;
      },
    });
  } catch (e) {
    throw new NpyError(`Not a readable .npz (zip) file: ${(e as Error).message}`);
  }
  const out: NpzEntries = new Map();
  for (const name of order) {
    const member = files[name];
    if (!member || name.endsWith('/')) continue;
    const key = name.endsWith('.npy') ? name.slice(0, -4) : name;
    try {
      out.set(key, readNpy(member, options));
    } catch (e) {
      if (e instanceof NpyError) throw new NpyError(`${name}: ${e.message}`, e.code);
      throw e;
    }
  }
  return out;
}

const NUMPY_EPOCH = new Date(1980, 0, 1, 0, 0, 0); // zipfile's default date_time, in DOS local time

export function writeNpz(entries: Iterable<[string, NdArray]>): Uint8Array {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else chunks.push(data);
  });
  for (const [key, arr] of entries) {
    const file = new ZipPassThrough(`${key}.npy`);
    file.mtime = NUMPY_EPOCH;
    zip.add(file);
    file.push(writeNpy(arr), true);
  }
  zip.end();
  if (failure) throw failure;
  const size = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(size);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
