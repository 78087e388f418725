// The .tar and .tar.gz half of unpack.ts, streaming through tar-stream (and node:zlib for gzip). Only
// regular files are unpacked: a symlink, hard link, device or fifo entry is reported by name and skipped,
// so nothing in the folder can point outside it; names go through the same confinement as zip members.
import { closeSync, createReadStream, createWriteStream, futimesSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { ExchangeError, type Reports } from './report';
import { openMember, UnpackBudget, type UnpackOptions, type UnpackResult } from './unpack-member';

const FILE_TYPES = new Set(['file', 'contiguous-file']);

export async function unpackTar(tarPath: string, outDir: string, reports: Reports, opts: UnpackOptions & { gzip: boolean }): Promise<UnpackResult> {
  const budget = new UnpackBudget(opts);
  const what = opts.gzip ? 'tar.gz' : 'tar';
  const source = createReadStream(tarPath);
  const extract = tarExtract();
  // Settles to the feeding error (a broken gzip stream, a truncated tar) or undefined, so it is never an unhandled rejection.
  const fed = (opts.gzip ? pipeline(source, createGunzip(), extract) : pipeline(source, extract)).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  const failure = (e: Error) => (e instanceof ExchangeError ? e : new ExchangeError(`The ${what} archive cannot be unpacked: ${e.message}`));
  let files = 0;
  try {
    for await (const entry of extract) {
      const { name, type = 'file', size = 0, mtime } = entry.header;
      opts.onBytes?.(source.bytesRead);
      if (type === 'directory') {
        entry.resume(); // folders are made for the files in them
        continue;
      }
      if (!FILE_TYPES.has(type)) {
        reports.add(`upload:${name}`, 'unsafe_path', `is a ${type} entry, not a file; skipped`);
        entry.resume();
        continue;
      }
      // The header says the size before any byte is written: an entry over the cap stops here.
      budget.take(size, name);
      budget.file(name);
      const fd = openMember(outDir, name, reports);
      if (fd === undefined) {
        entry.resume();
        continue;
      }
      const out = createWriteStream('', { fd, autoClose: false });
      try {
        await pipeline(entry, out);
        if (mtime && !Number.isNaN(mtime.getTime())) futimesSync(fd, mtime, mtime); // the entry's own time, not the upload's
      } finally {
        closeSync(fd);
      }
      files++;
    }
  } catch (e) {
    source.destroy(); // stop reading; the first error (this one) is the one reported
    throw failure(e as Error);
  }
  const failed = await fed;
  if (failed) throw failure(failed);
  return { files, bytes: budget.used };
}
