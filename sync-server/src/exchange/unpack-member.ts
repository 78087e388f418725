// What the zip and tar unpackers share: where a member is written (confined, never overwriting) and the
// cap on what an upload unpacks to.
import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { confineForWrite } from './confine';
import { ExchangeError, type Reports } from './report';

export interface UnpackResult {
  files: number;
  bytes: number;
}

/** The most an upload may unpack to: four times the largest upload (MAX_UPLOAD_BYTES, 2 GB). */
export const MAX_UNPACKED_BYTES = 8 * 1024 ** 3;
/**
 * The most files an upload may unpack to: a 2 GB upload holds ~18k ImageNet-sized photos, while a zip
 * of a million empty members (~100 MB) would spend the disk's inodes and minutes of the import.
 */
export const MAX_UNPACKED_FILES = 300_000;

export interface UnpackOptions {
  /** Sees how much of the archive file has been read. */
  onBytes?: (read: number) => void;
  /** Cap on the bytes all members unpack to (default MAX_UNPACKED_BYTES). */
  maxBytes?: number;
  /** Cap on how many files the members unpack to (default MAX_UNPACKED_FILES). */
  maxFiles?: number;
}

/** Counts unpacked bytes and files against the caps; going over fails the whole unpack, naming the member. */
export class UnpackBudget {
  used = 0;
  files = 0;
  readonly max: number;
  readonly maxFiles: number;
  constructor(opts: UnpackOptions) {
    this.max = opts.maxBytes ?? MAX_UNPACKED_BYTES;
    this.maxFiles = opts.maxFiles ?? MAX_UNPACKED_FILES;
  }
  take(bytes: number, member: string): void {
    this.used += bytes;
    if (this.used > this.max) throw new ExchangeError(`The archive unpacks to more than ${this.max} bytes (at ${member}); nothing more is unpacked`);
  }
  /** One more file, before it is created. */
  file(member: string): void {
    if (++this.files > this.maxFiles) throw new ExchangeError(`The archive holds more than ${this.maxFiles} files (at ${member}); nothing more is unpacked`);
  }
}

/**
 * The file a member is written to, opened for writing, or undefined (reported by name) when its name is
 * unsafe or it cannot be created. `wx`: a second member of the same name does not overwrite the first.
 */
export function openMember(outDir: string, name: string, reports: Reports): number | undefined {
  const c = confineForWrite(outDir, name);
  if (!c.ok) {
    reports.add(`upload:${name}`, 'unsafe_path', `${c.why}; skipped`);
    return undefined;
  }
  try {
    mkdirSync(dirname(c.path), { recursive: true });
    return openSync(c.path, 'wx');
  } catch (e) {
    reports.add(`upload:${name}`, 'write_failed', (e as Error).message);
    return undefined;
  }
}
