// CAD models from `<cadDir>/<category>/<NN>.off`: NN is the 1-based subtype (the original's cad_index;
// numbering may have gaps). Each is parsed, encoded with the shared mesh codec and upserted. A subtype
// the server already holds is reused only when it holds the same geometry: an imported question must
// show the mesh its dataset meant, never another dataset's (or the demo's) model of the same number.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import { encodeMeshV1 } from '@in3d/shared/mesh/v1';
import { parseOff } from '@in3d/shared/mesh/off';
import type { DbOrTrx } from '../db/connect';
import { categoryExists, contentEtag, type StoredCad, storedCadModels, upsertCadModel, upsertCategory } from '../repositories/catalogue';
import { DEMO_CATEGORY_PREFIX } from '../demo/category-ids';
import { confine, unsafeName } from './confine';
import { ExchangeError, type Report, type Reports } from './report';

export interface CadFile {
  subtype: number;
  name: string;
  mesh: Uint8Array;
  vertexCount: number;
  triangleCount: number;
  sourceSha256: string;
}

export interface CadPlan {
  /** Models to write (new subtypes). */
  models: CadFile[];
  /** Subtypes the folder brought that the server already holds with the same geometry. */
  present: number[];
  /** Subtypes whose stored mesh differs from the folder's: never reused. */
  conflicts: Report[];
}

/** What a category prefix (--category-prefix, the upload's categoryPrefix) may be. */
export const CATEGORY_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * Reads one category's models and compares each with what `stored` holds for its subtype. A file whose
 * sha256 matches the stored source is not parsed again (encoding the largest meshes takes about a second
 * each, and a re-run must be quick and change nothing); otherwise the encoded geometry is compared.
 */
export function readCadModels(cadDir: string, category: string, reports: Reports, stored: ReadonlyMap<number, StoredCad> = new Map()): CadPlan {
  const plan: CadPlan = { models: [], present: [], conflicts: [] };
  // The category comes from the dataset: it names a folder inside cadDir or nothing.
  const bad = unsafeName(category);
  const inside = bad ? { ok: false as const, why: bad } : confine(cadDir, category);
  if (!inside.ok) {
    reports.add(join(cadDir, category), 'unsafe_path', `category ${JSON.stringify(category)} ${inside.why}; no CAD models read`);
    return plan;
  }
  const dir = inside.path;
  if (!existsSync(dir)) {
    reports.add(dir, 'missing_cad_models');
    return plan;
  }
  const all = readdirSync(dir);
  const files = all.filter((f) => /^\d+\.off$/i.test(f)).sort();
  // An .off file whose name is no number has no subtype: named, so the admin can renumber it.
  for (const f of all) if (/\.off$/i.test(f) && !files.includes(f)) reports.add(join(dir, f), 'bad_value', 'a CAD file must be named <NN>.off, its subtype number; skipped');
  if (files.length === 0) reports.add(dir, 'missing_cad_models', 'the folder holds no <NN>.off files');
  for (const f of files) {
    const file = confine(cadDir, `${category}/${f}`);
    const path = join(dir, f);
    if (!file.ok) {
      reports.add(path, 'unsafe_path', `${file.why}; skipped`);
      continue;
    }
    const subtype = Number.parseInt(f, 10);
    if (subtype < 1) {
      reports.add(path, 'bad_value', 'CAD subtypes are numbered from 01');
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      reports.add(path, 'unreadable_file', (e as Error).message);
      continue;
    }
    const sourceSha256 = sha256(bytes);
    const have = stored.get(subtype);
    if (have && have.sourceSha256 === sourceSha256) {
      plan.present.push(subtype);
      continue;
    }
    const parsed = parseOff(Buffer.from(bytes).toString('utf8'));
    if (!parsed.ok) {
      reports.add(path, 'unreadable_file', `line ${parsed.error.line}: ${parsed.error.message}`);
      continue;
    }
    if (parsed.mesh.triangles.length === 0) {
      reports.add(path, 'unreadable_file', 'the model has no faces: nothing to draw; skipped');
      continue;
    }
    let mesh: Uint8Array;
    try {
      mesh = encodeMesh(parsed.mesh);
    } catch (e) {
      reports.add(path, 'unreadable_file', (e as Error).message);
      continue;
    }
    const vertexCount = parsed.mesh.positions.length / 3;
    const triangleCount = parsed.mesh.triangles.length / 3;
    if (have) {
      // A model stored before mesh format 2 holds the version-1 bytes of the same file.
      if (contentEtag(mesh) === have.etag || contentEtag(encodeMeshV1(parsed.mesh)) === have.etag) plan.present.push(subtype);
      else
        plan.conflicts.push({
          path,
          reason: 'cad_model_conflict',
          message: `${category} subtype ${subtype} already holds a different mesh (${have.vertexCount} vertices, ${have.triangleCount} triangles) than this file (${vertexCount} vertices, ${triangleCount} triangles)`,
        });
      continue;
    }
    plan.models.push({ subtype, name: `${category} ${f.replace(/\.off$/i, '')}`, mesh, vertexCount, triangleCount, sourceSha256 });
  }
  return plan;
}

/** The stored models of `category` and, with a CAD folder, the plan against them. */
export async function planCategory(db: DbOrTrx, cadDir: string | undefined, sourceCategory: string, category: string, reports: Reports) {
  const stored = await storedCadModels(db, category);
  const plan = cadDir ? readCadModels(cadDir, sourceCategory, reports, stored) : { models: [], present: [], conflicts: [] };
  // With a folder, only the dataset's own models may be named by its cad_index; without one, the stored
  // models are all there is (unverified, reported once by the caller).
  const subtypes = cadDir ? new Set([...plan.present, ...plan.models.map((m) => m.subtype)]) : new Set(stored.keys());
  return { plan, subtypes, kept: cadDir ? plan.present.length : stored.size };
}

export async function saveCadModels(db: DbOrTrx, category: string, models: readonly CadFile[]): Promise<void> {
  await ensureCategory(db, category);
  for (const m of models) await upsertCadModel(db, { category, ...m });
}

/** Creates the category if it is new; an existing one keeps the name an admin may have given it. */
export async function ensureCategory(db: DbOrTrx, category: string): Promise<void> {
  if (!(await categoryExists(db, category))) await upsertCategory(db, { id: category });
}

/** `<prefix><category>`: where an import stores a dataset's category when the admin asked for a prefix. */
export function targetCategory(category: string, prefix: string | undefined): string {
  if (prefix !== undefined && !CATEGORY_PREFIX.test(prefix)) throw new ExchangeError(`category prefix "${prefix}": letters, digits, . _ - only`);
  const id = prefix ? `${prefix}${category}` : category;
  // The demo's categories are its own: imported data never shares their meshes.
  if (id.startsWith(DEMO_CATEGORY_PREFIX)) throw new ExchangeError(`category ${id}: names starting with "${DEMO_CATEGORY_PREFIX}" belong to the demo; choose another category prefix`);
  return id;
}
