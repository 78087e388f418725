// Copies a photo into DATA_DIR/images/<category>/<file> (the server serves from there). Re-importing
// the same photo writes nothing: an existing copy with the same bytes is left alone.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { contentEtag } from '../repositories/catalogue';
import { type ImageSize, imageSize } from './image-size';

export interface StoredPhoto {
  /** Relative to DATA_DIR, forward slashes. */
  filePath: string;
  etag: string;
  bytes: number;
  /** From the file header; undefined when the header is not JPEG/PNG or is damaged. */
  size: ImageSize | undefined;
}

export function storePhoto(dataDir: string, category: string, source: string): StoredPhoto {
  const bytes = readFileSync(source);
  const rel = `images/${category}/${basename(source)}`;
  const dest = join(dataDir, rel);
  const same = existsSync(dest) && statSync(dest).size === bytes.length && readFileSync(dest).equals(bytes);
  if (!same) {
    try {
      writeFileSync(dest, bytes);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      mkdirSync(join(dataDir, 'images', category), { recursive: true }); // first photo of the category
      writeFileSync(dest, bytes);
    }
  }
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { filePath: rel, etag: contentEtag(view), bytes: bytes.length, size: imageSize(view) };
}

/** The first existing file among candidate paths. */
export function firstExisting(paths: readonly string[]): string | undefined {
  return paths.find((p) => existsSync(p) && statSync(p).isFile());
}
