// Finds the file a legacy database row names. Real data folders drift from their database: a path
// recorded on another machine (absolute, or under `train/`), `.JPEG` saved as `.jpg`, a name in other
// case. Each folder is listed once, so 15,000 lookups in missing folders cost a few dozen readdirs.
import { readdirSync } from 'node:fs';
import { basename, extname, join, posix } from 'node:path';

const ANCHORS = ['images/', 'annotations_new/', 'annotations/'];

interface Listing {
  exact: Set<string>;
  /** Lower-cased name → a real name. */
  lower: Map<string, string>;
}

export class FileFinder {
  /** null for a folder that does not exist. */
  private readonly listings = new Map<string, Listing | null>();
  constructor(readonly root: string) {}

  private listing(dir: string): Listing | null {
    let l = this.listings.get(dir);
    if (l === undefined) {
      try {
        const names = readdirSync(join(this.root, dir), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
        l = { exact: new Set(names), lower: new Map(names.map((n) => [n.toLowerCase(), n])) };
      } catch {
        l = null;
      }
      this.listings.set(dir, l);
    }
    return l;
  }

  /**
   * The path relative to root of the file `dbPath` names, or undefined. Tries the path as recorded,
   * then from its last images/ or annotations(_new)/ segment; in each folder the exact name, the name
   * in any case, then the same stem with any of `extensions`.
   */
  find(dbPath: string, extensions: readonly string[] = []): string | undefined {
    const p = dbPath.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
    const candidates = [p.replace(/^\/+/, '')];
    for (const a of ANCHORS) {
      const i = p.lastIndexOf(a);
      if (i > 0 && p[i - 1] === '/') candidates.push(p.slice(i));
    }
    for (const c of candidates) {
      const dir = posix.dirname(c), name = basename(c);
      const l = this.listing(dir === '.' ? '' : dir);
      if (!l) continue;
      const real = l.exact.has(name) ? name : l.lower.get(name.toLowerCase());
      if (real) return posix.join(dir, real);
      const stem = basename(name, extname(name)).toLowerCase();
      for (const ext of extensions) {
        const hit = l.lower.get(stem + ext.toLowerCase());
        if (hit) return posix.join(dir, hit);
      }
    }
    return undefined;
  }
}

export const PHOTO_EXTENSIONS = ['.JPEG', '.jpg', '.jpeg', '.png'];
