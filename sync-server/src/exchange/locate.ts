// Finds the file a legacy database row names. Real data folders drift from their database: a path
// recorded on another machine (absolute, or under `train/`), `.JPEG` saved as `.jpg`, a name in other
// case. Each folder is listed once, so 15,000 lookups in missing folders cost a few dozen readdirs.
// The recorded path is untrusted: what it names must lie inside the data folder (see confine.ts).
import { readdirSync } from 'node:fs';
import { basename, extname, join, posix } from 'node:path';
import { confine, unsafeRelative } from './confine';

const ANCHORS = ['images/', 'annotations_new/', 'annotations/'];
const STATIC = 'static/';

interface Listing {
  exact: Set<string>;
  /** Lower-cased name → a real name. */
  lower: Map<string, string>;
}

/** A file inside the folder (`rel` relative to it, `path` absolute), or why the recorded path was refused. */
export type Found = { ok: true; rel: string; path: string } | { ok: false; why: string };

export class FileFinder {
  /** null for a folder that does not exist. */
  private readonly listings = new Map<string, Listing | null>();
  constructor(readonly root: string) {}

  private listing(dir: string): Listing | null {
    let l = this.listings.get(dir);
    if (l === undefined) {
      try {
        // Symlinks are listed too: find() follows one only when it stays inside the folder, and refuses it by name otherwise.
        const names = readdirSync(join(this.root, dir), { withFileTypes: true }).filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
        l = { exact: new Set(names), lower: new Map(names.map((n) => [n.toLowerCase(), n])) };
      } catch {
        l = null;
      }
      this.listings.set(dir, l);
    }
    return l;
  }

  /**
   * The file `dbPath` names, undefined when there is none, or a refusal when the path is not one to
   * follow (`..`, a NUL byte, an absolute path with no images/ or annotations(_new)/ segment to
   * relocate it by, a symlink out of the folder). Tries the path as recorded (when relative), then from
   * its last images/ or annotations(_new)/ segment, then each of those under static/; in each folder the
   * exact name, the name in any case, then the same stem with any of `extensions`.
   */
  find(dbPath: string, extensions: readonly string[] = []): Found | undefined {
    const p = dbPath.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
    const why = unsafeRelative(p);
    const absolute = why !== undefined && unsafeRelative(p.replace(/^(\/|[A-Za-z]:\/?)+/, '')) === undefined;
    if (why !== undefined && !absolute) return { ok: false, why };
    // A path recorded on another machine is relocated by its anchor segment, never read where it points.
    const recorded = absolute ? [] : [p];
    for (const a of ANCHORS) {
      const i = p.lastIndexOf(a);
      if (i > 0 && p[i - 1] === '/') recorded.push(p.slice(i));
    }
    // The original tool is a Flask app: its database.sqlite sits at the app's root and the files it
    // records as images/… are served from static/images/…, so each path is tried under static/ too.
    const candidates = [...recorded, ...recorded.map((c) => `${STATIC}${c}`)];
    if (candidates.length === 0) return { ok: false, why: 'is an absolute path outside the data folder' };
    for (const c of candidates) {
      const rel = this.lookup(c, extensions);
      if (rel === undefined) continue;
      const inside = confine(this.root, rel);
      return inside.ok ? { ok: true, rel, path: inside.path } : { ok: false, why: `(found as ${rel}) ${inside.why}` };
    }
    return undefined;
  }

  /** The real name, relative to root, of the file `c` names in its folder's listing. */
  private lookup(c: string, extensions: readonly string[]): string | undefined {
    const dir = posix.dirname(c), name = basename(c);
    const l = this.listing(dir === '.' ? '' : dir);
    if (!l) return undefined;
    const real = l.exact.has(name) ? name : l.lower.get(name.toLowerCase());
    if (real) return posix.join(dir, real);
    const stem = basename(name, extname(name)).toLowerCase();
    for (const ext of extensions) {
      const hit = l.lower.get(stem + ext.toLowerCase());
      if (hit) return posix.join(dir, hit);
    }
    return undefined;
  }
}

export const PHOTO_EXTENSIONS = ['.JPEG', '.jpg', '.jpeg', '.png'];
