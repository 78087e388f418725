// Copies a photo into DATA_DIR/images/<category>/<file> (the server serves from there). Re-importing
// the same photo writes nothing: an existing copy with the same bytes is left alone. The category and
// file name come from the dataset, so the copy is confined to DATA_DIR (see confine.ts).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { contentEtag } from '../repositories/catalogue';
import { confine, confineForWrite, unsafeName, UnsafePathError } from './confine';
import { asStored } from '../photos/orientation';
import { MAX_PHOTO_PIXELS } from '../photos/limits';
import { type ImageSize, imageSize, photoDamage } from './image-size';
import type { Reason } from './report';


/** A photo that is not stored because no browser could show it. */
export class DamagedPhotoError extends Error {}

/** The report reason for what storePhoto threw. */
export const storeFailure = (e: unknown): Reason => (e instanceof UnsafePathError ? 'unsafe_path' : e instanceof DamagedPhotoError ? 'damaged_photo' : 'unreadable_file');

export interface StoredPhoto {
  /** Relative to DATA_DIR, forward slashes. */
  filePath: string;
  etag: string;
  bytes: number;
  /** From the file header; undefined when the header is not JPEG/PNG or is damaged. */
  size: ImageSize | undefined;
  /** Stored, but named in the report as damaged (cut off before its end marker). */
  warning?: string;
}

/**
 * `source` must already be confined to its dataset (FileFinder.find, confinedFile).
 * @throws UnsafePathError when the category or file name would place the copy outside DATA_DIR/images.
 * @throws DamagedPhotoError when the file is not a JPEG/PNG or is over MAX_PHOTO_PIXELS (one cut off is stored, with `warning`).
 */
export function storePhoto(dataDir: string, category: string, source: string): StoredPhoto {
  const name = basename(source);
  const bad = unsafeName(category) ?? unsafeName(name);
  if (bad) throw new UnsafePathError(`images/${category}/${name} ${bad}`);
  const rel = `images/${category}/${name}`;
  const target = confineForWrite(dataDir, rel);
  if (!target.ok) throw new UnsafePathError(`${rel} in the data folder ${target.why}`);
  const dest = target.path;
  const read = readFileSync(source);
  // Stored as its pixels are (EXIF Orientation 1), so its etag names the bytes the server sends.
  const view = asStored(new Uint8Array(read.buffer, read.byteOffset, read.byteLength));
  const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  const damage = photoDamage(view, MAX_PHOTO_PIXELS);
  if (damage && 'refuse' in damage) throw new DamagedPhotoError(`${name} ${damage.refuse}; imported without its photo`);
  const same = existsSync(dest) && statSync(dest).size === bytes.length && readFileSync(dest).equals(bytes);
  if (!same) {
    try {
      writeFileSync(dest, bytes);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      mkdirSync(dirname(dest), { recursive: true }); // first photo of the category
      writeFileSync(dest, bytes);
    }
  }
  return { filePath: rel, etag: contentEtag(view), bytes: bytes.length, size: imageSize(view), warning: damage && 'warn' in damage ? `${name} ${damage.warn}` : undefined };
}

/**
 * The first existing file among candidates (each a path relative to its own root), or the first that
 * resolves outside its root, refused: candidates are built from checked names, so only a symlink can do that.
 */
export function firstExisting(candidates: readonly (readonly [root: string, rel: string])[]): { ok: true; path: string } | { ok: false; path: string; why: string } | undefined {
  for (const [root, rel] of candidates) {
    const c = confine(root, rel);
    if (!c.ok) return { ok: false, path: join(root, rel), why: c.why };
    if (existsSync(c.path) && statSync(c.path).isFile()) return { ok: true, path: c.path };
  }
  return undefined;
}
