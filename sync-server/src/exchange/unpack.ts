// Unpacks an uploaded .zip into a folder, streaming (fflate's Unzip: no archive is held in memory).
// Every member name comes from the upload, so each is confined to the folder (confine.ts); a member
// that would land outside (zip-slip: "../x", "/etc/x", a symlinked parent) is reported and skipped.
import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { Unzip, UnzipInflate } from 'fflate';
import { confineForWrite } from './confine';
import { ExchangeError, type Reports } from './report';

export interface UnpackResult {
  files: number;
  bytes: number;
}

/** Unpacks `zipPath` into `outDir`; `onBytes` sees how much of the archive has been read. */
export async function unpackZip(zipPath: string, outDir: string, reports: Reports, onBytes?: (read: number) => void): Promise<UnpackResult> {
  mkdirSync(outDir, { recursive: true });
  let files = 0, bytes = 0, read = 0;
  let failure: Error | undefined;
  const unzip = new Unzip((member) => {
    if (member.name.endsWith('/')) return; // a folder entry: folders are made for the files in them
    const c = confineForWrite(outDir, member.name);
    if (!c.ok) {
      reports.add(`upload:${member.name}`, 'unsafe_path', `${c.why}; skipped`);
      return;
    }
    let fd: number;
    try {
      mkdirSync(dirname(c.path), { recursive: true });
      fd = openSync(c.path, 'wx'); // wx: a second member of the same name does not overwrite the first
    } catch (e) {
      reports.add(`upload:${member.name}`, 'write_failed', (e as Error).message);
      return;
    }
    member.ondata = (err, chunk, final) => {
      if (err) {
        failure ??= new ExchangeError(`The zip member ${member.name} cannot be read: ${err.message}`);
        closeSync(fd);
        return;
      }
      writeSync(fd, chunk);
      bytes += chunk.byteLength;
      if (final) {
        closeSync(fd);
        files++;
      }
    };
    member.start();
  });
  unzip.register(UnzipInflate);
  for await (const chunk of createReadStream(zipPath)) {
    const b = chunk as Buffer;
    read += b.byteLength;
    unzip.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    if (failure) throw failure;
    onBytes?.(read);
  }
  unzip.push(new Uint8Array(0), true);
  if (failure) throw failure;
  if (files === 0) throw new ExchangeError('The upload is not a zip archive, or holds no files');
  return { files, bytes };
}
