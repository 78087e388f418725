// The catalogue: categories, CAD models, photos, questions, tasks and who is assigned to them.
//
// Writers, for importers and the demo seed. All take `db | trx` first and are idempotent: calling one
// twice with the same input leaves the same rows. Run a whole import in one `db.transaction()`.
//   contentEtag(bytes)                  sha256 hex prefix; the etag of meshes and photos
//   upsertCategory(db, { id, name? })   insert, or rename
//   upsertCadModel(db, cad)             keyed by (category, subtype); returns the etag
//   upsertImage(db, image)              keyed by id; filePath is relative to DATA_DIR, null if missing
//   upsertQuestion(db, question)        keyed by id; poses in degrees, `source` kept as JSON
//   upsertTask(db, { id, name, kind? }) keyed by id
//   setTaskQuestions(db, taskId, ids)   replaces the task's question list; positions 0..n-1, any length
//   assignTask(db, taskId, userId)      no-op when already assigned
//   unassignTask(db, taskId, userId)
// Readers: countQuestions, unknownQuestions, listCadModels, storedCadModels, cadModelsInMeshFormat,
// findMeshByEtag, findImage.
import { createHash } from 'node:crypto';
import type { CadModelInfo, PoseJson } from '@in3d/shared/types';
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/connect';
import { chunks, selectIn } from './chunks';

export function contentEtag(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

export async function upsertCategory(db: DbOrTrx, category: { id: string; name?: string }): Promise<void> {
  const name = category.name ?? category.id;
  await db
    .insertInto('categories')
    .values({ id: category.id, name })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name }))
    .execute();
}

export interface NewCadModel {
  category: string;
  /** 1-based, as the original's cad_index. */
  subtype: number;
  name: string;
  /** Encoded with shared/src/mesh/codec.ts. */
  mesh: Uint8Array;
  vertexCount: number;
  triangleCount: number;
  /** sha256 of the file it was imported from, so a re-import can skip re-encoding it. */
  sourceSha256?: string;
}

/** Inserts or replaces the model of (category, subtype); the etag changes only when the bytes do. */
export async function upsertCadModel(db: DbOrTrx, cad: NewCadModel): Promise<string> {
  const etag = contentEtag(cad.mesh);
  const values = {
    name: cad.name,
    mesh: cad.mesh,
    etag,
    vertex_count: cad.vertexCount,
    triangle_count: cad.triangleCount,
    source_sha256: cad.sourceSha256 ?? null,
  };
  await db
    .insertInto('cad_models')
    .values({ category_id: cad.category, subtype: cad.subtype, ...values })
    .onConflict((oc) => oc.columns(['category_id', 'subtype']).doUpdateSet(values))
    .execute();
  return etag;
}

export interface NewImage {
  id: string;
  category: string;
  /** Relative to DATA_DIR, forward slashes; null when the photo is missing. */
  filePath: string | null;
  width: number;
  height: number;
  etag: string | null;
  bytes: number | null;
}

export async function upsertImage(db: DbOrTrx, image: NewImage): Promise<void> {
  const values = {
    category_id: image.category,
    file_path: image.filePath,
    width: image.width,
    height: image.height,
    etag: image.etag,
    bytes: image.bytes,
  };
  await db
    .insertInto('images')
    .values({ id: image.id, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

export interface NewQuestion {
  id: string;
  imageId: string;
  category: string;
  /** x1, y1, x2, y2 in image pixels. */
  bbox: readonly [number, number, number, number];
  viewport: number;
  /** Degrees, object units, pixels. */
  initialPose: PoseJson;
  initialSubtype: number;
  /** Anything else worth keeping (the original file's other keys, gold poses); stored as JSON. */
  source?: unknown;
}

export async function upsertQuestion(db: DbOrTrx, q: NewQuestion): Promise<void> {
  const p = q.initialPose;
  const values = {
    image_id: q.imageId,
    category_id: q.category,
    bbox_x1: q.bbox[0], bbox_y1: q.bbox[1], bbox_x2: q.bbox[2], bbox_y2: q.bbox[3],
    viewport: q.viewport,
    init_azimuth: p.azimuth, init_elevation: p.elevation, init_theta: p.theta,
    init_distance: p.distance, init_px: p.px, init_py: p.py,
    init_subtype: q.initialSubtype,
    source_json: q.source === undefined ? null : JSON.stringify(q.source),
  };
  await db
    .insertInto('questions')
    .values({ id: q.id, ...values, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

export async function upsertTask(db: DbOrTrx, task: { id: string; name: string; kind?: string; createdAt?: Date }): Promise<void> {
  const values = task.kind === undefined ? { name: task.name } : { name: task.name, kind: task.kind };
  await db
    .insertInto('tasks')
    .values({ id: task.id, ...values, created_at: (task.createdAt ?? new Date()).toISOString() })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

/** Makes `questionIds` (in this order) the task's questions. */
export async function setTaskQuestions(db: DbOrTrx, taskId: string, questionIds: readonly string[]): Promise<void> {
  await db.deleteFrom('task_questions').where('task_id', '=', taskId).execute();
  const rows = questionIds.map((question_id, position) => ({ task_id: taskId, question_id, position }));
  for (const slice of chunks(rows, 3)) await db.insertInto('task_questions').values(slice).execute();
}

export async function assignTask(db: DbOrTrx, taskId: string, userId: string, now = new Date()): Promise<void> {
  await db
    .insertInto('assignments')
    .values({ task_id: taskId, user_id: userId, assigned_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['task_id', 'user_id']).doNothing())
    .execute();
}

export async function unassignTask(db: DbOrTrx, taskId: string, userId: string): Promise<boolean> {
  const r = await db.deleteFrom('assignments').where('task_id', '=', taskId).where('user_id', '=', userId).executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** The ids among `ids` that are not questions, in their order; any number of ids. */
export async function unknownQuestions(db: DbOrTrx, ids: readonly string[]): Promise<string[]> {
  const found = new Set(await selectIn(ids, async (slice) => (await db.selectFrom('questions').select('id').where('id', 'in', slice).execute()).map((r) => r.id)));
  return ids.filter((id) => !found.has(id));
}

export async function countQuestions(db: DbOrTrx): Promise<number> {
  const r = await db.selectFrom('questions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export const meshUrl = (etag: string) => `/api/meshes/${etag}`;

/** The category's CAD models by subtype, without the mesh bytes. */
export async function listCadModels(db: DbOrTrx, category: string): Promise<CadModelInfo[]> {
  const rows = await db
    .selectFrom('cad_models')
    .select(['category_id', 'subtype', 'name', 'vertex_count', 'triangle_count', 'etag'])
    .where('category_id', '=', category)
    .orderBy('subtype')
    .execute();
  return rows.map((r) => ({
    category: r.category_id,
    subtype: r.subtype,
    name: r.name,
    vertexCount: r.vertex_count,
    triangleCount: r.triangle_count,
    meshUrl: meshUrl(r.etag),
    etag: r.etag,
  }));
}

export interface StoredCad {
  subtype: number;
  etag: string;
  vertexCount: number;
  triangleCount: number;
  sourceSha256: string | null;
}

/** What an import compares a category's models against, by subtype. */
export async function storedCadModels(db: DbOrTrx, category: string): Promise<Map<number, StoredCad>> {
  const rows = await db
    .selectFrom('cad_models')
    .select(['subtype', 'etag', 'vertex_count', 'triangle_count', 'source_sha256'])
    .where('category_id', '=', category)
    .execute();
  return new Map(rows.map((r) => [r.subtype, { subtype: r.subtype, etag: r.etag, vertexCount: r.vertex_count, triangleCount: r.triangle_count, sourceSha256: r.source_sha256 }]));
}

/** Every CAD model whose mesh is stored in format `version` (the version byte after the magic), with its bytes. */
export async function cadModelsInMeshFormat(db: DbOrTrx, version: number): Promise<(NewCadModel & { etag: string })[]> {
  if (!Number.isInteger(version) || version < 0 || version > 255) throw new RangeError(`no mesh format version ${version}`);
  const rows = await db
    .selectFrom('cad_models')
    .select(['category_id', 'subtype', 'name', 'mesh', 'etag', 'vertex_count', 'triangle_count', 'source_sha256'])
    .where(sql<string>`hex(substr(mesh, 5, 1))`, '=', version.toString(16).toUpperCase().padStart(2, '0'))
    .orderBy('category_id')
    .orderBy('subtype')
    .execute();
  return rows.map((r) => ({
    category: r.category_id,
    subtype: r.subtype,
    name: r.name,
    mesh: r.mesh,
    etag: r.etag,
    vertexCount: r.vertex_count,
    triangleCount: r.triangle_count,
    ...(r.source_sha256 !== null ? { sourceSha256: r.source_sha256 } : {}),
  }));
}

/** The etag of every stored mesh. */
export async function listMeshEtags(db: DbOrTrx): Promise<string[]> {
  const rows = await db.selectFrom('cad_models').select('etag').distinct().orderBy('etag').execute();
  return rows.map((r) => r.etag);
}

export async function findMeshByEtag(db: DbOrTrx, etag: string): Promise<Uint8Array | undefined> {
  const row = await db.selectFrom('cad_models').select('mesh').where('etag', '=', etag).executeTakeFirst();
  return row?.mesh;
}

export async function findImage(db: DbOrTrx, id: string) {
  return db.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function categoryExists(db: DbOrTrx, id: string): Promise<boolean> {
  return !!(await db.selectFrom('categories').select('id').where('id', '=', id).executeTakeFirst());
}
