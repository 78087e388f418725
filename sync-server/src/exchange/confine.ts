// Paths that come from a dataset (database rows, npz fields and members, file and category names) are
// untrusted: each is resolved inside a root (the dataset to read, DATA_DIR to write) or refused with a
// reason that the importer reports by name. Nothing a dataset says is ever followed outside its root.
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export type Confined = { ok: true; path: string } | { ok: false; why: string };

/** Thrown where a refused path cannot simply be returned; importers report it as `unsafe_path`. */
export class UnsafePathError extends Error {
  override name = 'UnsafePathError';
}

/** Why `rel` (forward or back slashes) cannot name a place inside a root, or undefined when it can. */
export function unsafeRelative(rel: string): string | undefined {
  if (rel.includes('\0')) return 'contains a NUL byte';
  const p = rel.replace(/\\/g, '/');
  if (p === '') return 'is empty';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'is an absolute path';
  if (p.split('/').includes('..')) return 'climbs out of the folder with ..';
  return undefined;
}

/** Why `name` cannot be one path segment (a category, a file name), or undefined when it can. */
export function unsafeName(name: string): string | undefined {
  if (name.includes('\0')) return 'contains a NUL byte';
  if (name === '' || name === '.' || name === '..') return `is "${name}", not a name`;
  if (/[/\\]/.test(name)) return 'contains a slash';
  if (/[\x00-\x1f\x7f]/.test(name)) return 'contains a control character';
  return undefined;
}

const inside = (root: string, p: string) => {
  const r = relative(root, p);
  return r !== '' && r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r);
};

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p; // a root that does not exist yet (DATA_DIR before its first photo) is its own real path
  }
}

/**
 * `rel` resolved inside `root`: refused when it is absolute, climbs with `..`, holds a NUL byte, or leads
 * out of the real root through a symlink anywhere on the way (checked up to the deepest part that exists,
 * so a file about to be written is checked through its existing parents). A dangling symlink is refused:
 * writing through it would create its target wherever it points.
 */
export function confine(root: string, rel: string): Confined {
  const why = unsafeRelative(rel);
  if (why) return { ok: false, why };
  const base = resolve(root);
  const path = resolve(base, rel.replace(/\\/g, '/'));
  if (!inside(base, path)) return { ok: false, why: 'does not name anything inside the folder' };
  const realBase = realOrSelf(base);
  for (let probe = path; probe !== base && inside(base, probe); probe = dirname(probe)) {
    let real: string;
    try {
      real = realpathSync(probe);
    } catch {
      if (isSymlink(probe)) return { ok: false, why: 'is a dangling symlink' };
      continue; // not there yet: check its parent
    }
    return inside(realBase, real) ? { ok: true, path } : { ok: false, why: 'leads outside the folder through a symlink' };
  }
  return { ok: true, path };
}

/** Like confine, for a file about to be written: the file itself must not be a symlink (it would be written through). */
export function confineForWrite(root: string, rel: string): Confined {
  const c = confine(root, rel);
  if (c.ok && isSymlink(c.path)) return { ok: false, why: 'is a symlink; it is not written through' };
  return c;
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
