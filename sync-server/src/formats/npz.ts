// .npz: a zip of .npy members named `<key>.npy`. numpy writes them stored (savez) or deflated
// (savez_compressed); fflate reads both. We write stored members dated 1980-01-01 like numpy's
// zipfile, in the given key order, so `numpy.load` sees the same keys in the same order.
import { unzipSync, Zip, ZipPassThrough } from 'fflate';
import { unsafeRelative } from '../exchange/confine';
import type { NdArray } from './ndarray';
import { NpyError, type ReadNpyOptions, readNpy, writeNpy } from './npy';

/** Keys in the order the zip holds them (Map keeps insertion order, even for numeric-looking keys). */
export type NpzEntries = Map<string, NdArray>;

export interface ReadNpzOptions extends ReadNpyOptions {
  /**
   * A member whose name could never be a file inside a folder (zip-slip: `..`, absolute, NUL) is
   * skipped, not unpacked, and named here; without this callback the file is refused instead.
   */
  onUnsafeMember?: (name: string, why: string) => void;
}

export function readNpz(bytes: Uint8Array, options: ReadNpzOptions = {}): NpzEntries {
  const order: string[] = [];
  const unsafe: [string, string][] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        const why = unsafeRelative(f.name);
        if (why) {
          unsafe.push([f.name, why]);
          return false;
        }
        order.push(f.name);
        return true;
      },
    });
  } catch (e) {
    throw new NpyError(`Not a readable .npz (zip) file: ${(e as Error).message}`);
  }
  if (unsafe.length && !options.onUnsafeMember) throw new NpyError(`member ${JSON.stringify(unsafe[0]![0])} ${unsafe[0]![1]}`);
  for (const [name, why] of unsafe) options.onUnsafeMember?.(name, why);
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
