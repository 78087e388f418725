// Writes a file whole or not at all: into a temporary file beside it, then renamed over it, so a reader
// never sees half of it. The temporary name is one no user picks (hidden, random) and it is created
// exclusively (O_EXCL), so nothing planted in an export folder under that name, a symlink included, is
// followed or overwritten; the rename replaces the target's directory entry, never what a link names.
import { randomUUID } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
