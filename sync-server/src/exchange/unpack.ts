// Unpacks an uploaded archive (.zip, .tar, .tar.gz / .tgz) into a folder, streaming: no archive is held
// in memory. Every member name comes from the upload, so each is confined to the folder (confine.ts); a
// member that would land outside (zip-slip: "../x", "/etc/x", a symlinked parent) is reported by name and
// skipped. What the members unpack to is capped (a small compressed upload can expand without bound).
import { closeSync, createReadStream, futimesSync, mkdirSync, writeSync } from 'node:fs';
import { Unzip, UnzipInflate } from 'fflate';
import { ExchangeError, type Reports } from './report';
import { openMember, UnpackBudget, type UnpackOptions, type UnpackResult } from './unpack-member';
import { unpackTar } from './unpack-tar';
import { zipMemberTimes } from './zip-times';

export type { UnpackOptions, UnpackResult } from './unpack-member';

export const ARCHIVE_KINDS = ['zip', 'tar', 'tgz'] as const;
export type ArchiveKind = (typeof ARCHIVE_KINDS)[number];

/** The archive format an upload's file name says, or undefined when it names none of them. */
export function archiveKind(name: string): ArchiveKind | undefined {
  if (/\.zip$/i.test(name)) return 'zip';
  if (/\.tar$/i.test(name)) return 'tar';
  if (/\.(tar\.gz|tgz)$/i.test(name)) return 'tgz';
  return undefined;
}

/** Unpacks `path`, an archive of `kind`, into `outDir`. */
export async function unpackArchive(kind: ArchiveKind, path: string, outDir: string, reports: Reports, opts: UnpackOptions = {}): Promise<UnpackResult> {
  mkdirSync(outDir, { recursive: true });
  const out = kind === 'zip' ? await unpackZip(path, outDir, reports, opts) : await unpackTar(path, outDir, reports, { ...opts, gzip: kind === 'tgz' });
  if (out.files === 0) throw new ExchangeError(`The upload is not a ${kind === 'tgz' ? 'tar.gz' : kind} archive, or holds no files`);
  return out;
}

async function unpackZip(zipPath: string, outDir: string, reports: Reports, opts: UnpackOptions): Promise<UnpackResult> {
  const budget = new UnpackBudget(opts);
  let files = 0, read = 0;
  let failure: Error | undefined;
  const times = zipMemberTimes(zipPath);
  const unzip = new Unzip((member) => {
    if (member.name.endsWith('/') || failure) return; // a folder entry: folders are made for the files in them
    try {
      budget.file(member.name);
    } catch (e) {
      failure = e as Error;
      return;
    }
    const fd = openMember(outDir, member.name, reports);
    if (fd === undefined) return;
    member.ondata = (err, chunk, final) => {
      if (failure) return;
      try {
        if (err) throw new ExchangeError(`The zip member ${member.name} cannot be read: ${err.message}`);
        budget.take(chunk.byteLength, member.name);
        writeSync(fd, chunk);
        if (final) {
          const time = times.get(member.name);
          if (time) futimesSync(fd, time, time); // the member's own time (zip-times.ts), not the upload's
          files++;
        }
      } catch (e) {
        failure = e as Error;
      }
      if (final || failure) closeSync(fd);
    };
    member.start();
  });
  unzip.register(UnzipInflate);
  for await (const chunk of createReadStream(zipPath)) {
    const b = chunk as Buffer;
    read += b.byteLength;
    unzip.push(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
    if (failure) throw failure;
    opts.onBytes?.(read);
  }
  unzip.push(new Uint8Array(0), true);
  if (failure) throw failure;
  return { files, bytes: budget.used };
}
