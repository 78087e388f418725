// CAD models from `<cadDir>/<category>/<NN>.off`: NN is the 1-based subtype (the original's cad_index;
// numbering may have gaps). Each is parsed, encoded with the shared mesh codec and upserted.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeMesh } from '@in3d/shared/mesh/codec';
import { parseOff } from '@in3d/shared/mesh/off';
import type { DbOrTrx } from '../db/connect';
import { confine, unsafeName } from './confine';
import { categoryExists, listCadModels, upsertCadModel, upsertCategory } from '../repositories/catalogue';
import type { Reports } from './report';

/**
 * Reads and encodes one category's models; the subtypes that are present (possibly none). Subtypes in
 * `skip` (already in the database) are not parsed again: encoding the largest meshes takes about a
 * second each, and a re-run must be quick and change nothing.
 */
export function readCadModels(cadDir: string, category: string, reports: Reports, skip: ReadonlySet<number> = new Set()) {
  const models: { subtype: number; name: string; mesh: Uint8Array; vertexCount: number; triangleCount: number }[] = [];
  const present: number[] = [];
  // The category comes from the dataset: it names a folder inside cadDir or nothing.
  const bad = unsafeName(category);
  const inside = bad ? { ok: false as const, why: bad } : confine(cadDir, category);
  if (!inside.ok) {
    reports.add(join(cadDir, category), 'unsafe_path', `category ${JSON.stringify(category)} ${inside.why}; no CAD models read`);
    return { models, present };
  }
  const dir = inside.path;
  if (!existsSync(dir)) {
    if (skip.size === 0) reports.add(dir, 'missing_cad_models');
    return { models, present };
  }
  const files = readdirSync(dir).filter((f) => /^\d+\.off$/i.test(f)).sort();
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
    if (skip.has(subtype)) {
      present.push(subtype);
      continue;
    }
    let parsed;
    try {
      parsed = parseOff(readFileSync(path, 'utf8'));
    } catch (e) {
      reports.add(path, 'unreadable_file', (e as Error).message);
      continue;
    }
    if (!parsed.ok) {
      reports.add(path, 'unreadable_file', `line ${parsed.error.line}: ${parsed.error.message}`);
      continue;
    }
    try {
      const mesh = encodeMesh(parsed.mesh);
      models.push({
        subtype,
        name: `${category} ${f.replace(/\.off$/i, '')}`,
        mesh,
        vertexCount: parsed.mesh.positions.length / 3,
        triangleCount: parsed.mesh.triangles.length / 3,
      });
    } catch (e) {
      reports.add(path, 'unreadable_file', (e as Error).message);
    }
  }
  return { models, present };
}

export async function saveCadModels(db: DbOrTrx, category: string, models: ReturnType<typeof readCadModels>['models']): Promise<void> {
  await ensureCategory(db, category);
  for (const m of models) await upsertCadModel(db, { category, ...m });
}

/** Subtypes of the category's models already in the database. */
export async function storedSubtypes(db: DbOrTrx, category: string): Promise<Set<number>> {
  return new Set((await listCadModels(db, category)).map((m) => m.subtype));
}

/** Creates the category if it is new; an existing one keeps the name an admin may have given it. */
export async function ensureCategory(db: DbOrTrx, category: string): Promise<void> {
  if (!(await categoryExists(db, category))) await upsertCategory(db, { id: category });
}
