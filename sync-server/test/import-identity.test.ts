// Imports never merge identities silently: a user id or a CAD subtype that already means something
// else on this server stops the import (nothing written) until the admin chooses a mapping, and an
// imported question always names the mesh its own dataset brought, also next to the seeded demo.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMesh } from '@in3d/shared/mesh/codec';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import { parseOff } from '@in3d/shared/mesh/off';
import { encodeMeshV1 } from '@in3d/shared/mesh/v1';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type OpenedDb, openDatabase } from '../src/db/connect';
import { demoCategories } from '../src/demo/meshes';
import { seedDemo } from '../src/demo/seed';
import { importLegacy } from '../src/exchange/legacy';
import { ImportConflict } from '../src/exchange/report';
import { parseSamePerson } from '../src/exchange/users';
import { contentEtag, upsertCadModel, upsertCategory } from '../src/repositories/catalogue';
import { insertUser } from '../src/repositories/users';
import { hasFixtures, IMAGENET3D } from '../../shared/test/fixtures';

const FIX = IMAGENET3D;
const LEGACY = join(FIX, 'legacy');
const CAD = join(FIX, 'cad');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function freshDb(): Promise<OpenedDb & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'in3d-identity-'));
  const opened = openDatabase(join(dir, 'annotator.sqlite'));
  await migrateToLatest(opened.db);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => opened.close());
  return { ...opened, dir };
}

const rows = <T>(o: OpenedDb, sql: string, ...args: unknown[]) => o.sqlite.prepare(sql).all(...args) as T[];
const offCounts = (category: string, subtype: number) => {
  const [v, f] = readFileSync(join(CAD, category, `${String(subtype).padStart(2, '0')}.off`), 'utf8').split('\n')[1]!.trim().split(/\s+/).map(Number);
  return { vertices: v!, faces: f! };
};
/** The mesh the server would send for (category, subtype), decoded. */
const servedCounts = async (o: OpenedDb, category: string, subtype: number) => {
  const row = o.sqlite.prepare('SELECT mesh FROM cad_models WHERE category_id = ? AND subtype = ?').get(category, subtype) as { mesh: Uint8Array } | undefined;
  if (!row) return undefined;
  const d = await decodeMesh(new Uint8Array(row.mesh));
  if (!d.ok) throw new Error(d.error);
  return { vertices: d.mesh.positions.length / 3, faces: d.mesh.triangles.length / 3 };
};
const writtenTables = (o: OpenedDb) =>
  Object.fromEntries(['users', 'categories', 'cad_models', 'questions', 'tasks', 'assignments', 'annotations'].map((t) => [t, rows(o, `SELECT count(*) AS n FROM ${t}`)]));

describe.skipIf(!hasFixtures)('legacy import next to the seeded demo', () => {
  it('every imported question (and its saved annotation) names the fixture\'s own mesh, never a demo model', async () => {
    const o = await freshDb();
    const seeded = await seedDemo(o.db, o.dir, { password: 'pw', photosPerCategory: 1 });
    expect(seeded.seeded).toBe(true);
    const demoCats = rows<{ id: string }>(o, 'SELECT id FROM categories ORDER BY id').map((r) => r.id);
    expect(demoCats).toEqual(['demo-car', 'demo-chair', 'demo-tvmonitor']);

    const s = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir });
    expect(s.cadModels).toEqual({ categories: 3, imported: 20, kept: 0 });
    const qs = rows<{ id: string; category_id: string; init_subtype: number }>(o, `SELECT id, category_id, init_subtype FROM questions WHERE id LIKE 'objnet3d_%'`);
    expect(qs).toHaveLength(9);
    for (const q of qs) {
      expect(q.category_id).not.toMatch(/^demo-/);
      expect({ q: q.id, ...(await servedCounts(o, q.category_id, q.init_subtype)) }).toEqual({ q: q.id, ...offCounts(q.category_id, q.init_subtype) });
    }
    // The real chair/03 (1,020 faces in the fixture), not the demo's bar stool.
    expect(await servedCounts(o, 'chair', 3)).toEqual(offCounts('chair', 3));
    for (const a of rows<{ question_id: string; subtype: number }>(o, 'SELECT question_id, subtype FROM annotations')) {
      const cat = rows<{ category_id: string }>(o, 'SELECT category_id FROM questions WHERE id = ?', a.question_id)[0]!.category_id;
      expect(await servedCounts(o, cat, a.subtype)).toEqual(offCounts(cat, a.subtype));
    }
    // The demo's own questions still show the demo's meshes.
    const stool = demoCategories().find((c) => c.category === 'chair')!.subtypes[2]!.mesh;
    expect(await servedCounts(o, 'demo-chair', 3)).toEqual({ vertices: stool.positions.length / 3, faces: stool.triangles.length / 3 });
  });

  it('stops with a cad_model_conflict (nothing written) when a subtype holds a different mesh, and imports under a category prefix', async () => {
    const o = await freshDb();
    // A server seeded before the demo had categories of its own: procedural chairs 01-04 under "chair".
    await upsertCategory(o.db, { id: 'chair' });
    for (const s of demoCategories().find((c) => c.category === 'chair')!.subtypes) {
      await upsertCadModel(o.db, { category: 'chair', subtype: s.subtype, name: s.name, mesh: encodeMesh(s.mesh), vertexCount: s.mesh.positions.length / 3, triangleCount: s.mesh.triangles.length / 3 });
    }
    const before = writtenTables(o);
    const err = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportConflict);
    const conflicts = (err as ImportConflict).conflicts;
    expect(conflicts.map((c) => [c.reason, c.path.split('/').slice(-2).join('/')])).toEqual([1, 2, 3, 4].map((n) => ['cad_model_conflict', `chair/0${n}.off`]));
    expect((err as Error).message).toMatch(/--category-prefix/);
    expect(writtenTables(o)).toEqual(before);

    const s = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir, categoryPrefix: 'legacy-' });
    expect(s.questions.imported).toBe(9);
    for (const q of rows<{ category_id: string; init_subtype: number }>(o, `SELECT category_id, init_subtype FROM questions`)) {
      expect(q.category_id).toMatch(/^legacy-/);
      expect(await servedCounts(o, q.category_id, q.init_subtype)).toEqual(offCounts(q.category_id.slice('legacy-'.length), q.init_subtype));
    }
  });

  it('keeps a stored subtype with the same geometry (a re-run, or a model imported before its source hash was kept)', async () => {
    const o = await freshDb();
    await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir });
    o.sqlite.prepare('UPDATE cad_models SET source_sha256 = NULL').run();
    const again = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir });
    expect(again.cadModels).toEqual({ categories: 3, imported: 0, kept: 20 });
    // Imported before mesh format 2: the stored bytes are version 1 of the same files.
    const update = o.sqlite.prepare('UPDATE cad_models SET mesh = ?, etag = ? WHERE category_id = ? AND subtype = ?');
    for (const r of rows<{ category_id: string; subtype: number }>(o, 'SELECT category_id, subtype FROM cad_models')) {
      const parsed = parseOff(readFileSync(join(CAD, r.category_id, `${String(r.subtype).padStart(2, '0')}.off`), 'utf8'));
      if (!parsed.ok) throw new Error(parsed.error.message);
      const v1 = encodeMeshV1(parsed.mesh);
      update.run(v1, contentEtag(v1), r.category_id, r.subtype);
    }
    const third = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir });
    expect(third.cadModels).toEqual({ categories: 3, imported: 0, kept: 20 });
    expect(rows<{ v: string }>(o, 'SELECT DISTINCT hex(substr(mesh, 5, 1)) AS v FROM cad_models')).toEqual([{ v: '01' }]); // kept as they were
  });

  it('refuses a category prefix that would land in the demo\'s namespace', async () => {
    const o = await freshDb();
    await expect(importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir, categoryPrefix: 'demo-' })).rejects.toThrow(/belong to the demo/);
  });
});

describe.skipIf(!hasFixtures)('imported user ids', () => {
  const hand = (o: OpenedDb, id: string) => insertUser(o.db, { id, role: 'annotator', passwordHash: 'x', qualified: false });

  it('an existing account of another origin is reported and nothing is merged or written', async () => {
    const o = await freshDb();
    await hand(o, 'alice');
    const before = writtenTables(o);
    const err = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportConflict);
    expect((err as ImportConflict).conflicts).toEqual([
      { path: 'db:annotators/alice', reason: 'user_id_collision', message: 'the account alice exists already (created on this server)' },
    ]);
    expect((err as Error).message).toMatch(/--user-prefix[\s\S]*--same-person/);
    expect(writtenTables(o)).toEqual(before);
    expect(rows(o, `SELECT * FROM assignments WHERE user_id = 'alice'`)).toEqual([]);
  });

  it('with a prefix the imported alice is legacy-alice: her tasks and annotation are hers, the existing alice keeps nothing; a re-run changes nothing', async () => {
    const o = await freshDb();
    await hand(o, 'alice');
    const s = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir, identity: { userPrefix: 'legacy-' } });
    expect(s.users.created.map((u) => u.id)).toEqual(['legacy-alice', 'bob']);
    expect(s.reports.filter((r) => r.reason === 'user_renamed').map((r) => r.path)).toEqual(['db:annotators/alice']);
    expect(rows(o, `SELECT task_id, user_id FROM assignments ORDER BY task_id`)).toEqual([
      { task_id: 'objnet3d_car', user_id: 'legacy-alice' },
      { task_id: 'objnet3d_chair', user_id: 'legacy-alice' },
      { task_id: 'objnet3d_tvmonitor', user_id: 'bob' },
    ]);
    expect(rows(o, `SELECT user_id FROM annotations`)).toEqual([{ user_id: 'legacy-alice' }]);
    const again = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir, identity: { userPrefix: 'legacy-' } });
    expect(again.users).toEqual({ created: [], existing: ['legacy-alice', 'bob'] });
    expect(again.annotations).toEqual({ found: 1, imported: 0, alreadyPresent: 1 });
  });

  it('a re-run of the same dataset is not a collision; another dataset naming the same people is', async () => {
    const o = await freshDb();
    await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir });
    await expect(importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir })).resolves.toMatchObject({ users: { existing: ['alice', 'bob'] } });
    // The same rows from another database file: another dataset whose alice and bob are not known to be ours.
    const other = join(o.dir, 'other.sqlite');
    copyFileSync(join(LEGACY, 'database.sqlite'), other);
    const err = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir, legacyDb: other }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportConflict);
    expect((err as ImportConflict).conflicts.map((c) => [c.path, c.reason])).toEqual([['db:annotators/alice', 'user_id_collision'], ['db:annotators/bob', 'user_id_collision']]);
    expect((err as ImportConflict).conflicts[0]!.message).toMatch(/imported from legacy:.*database\.sqlite/);
  });

  it('"same person" merges only the ids the admin names, and only into accounts that exist', async () => {
    const o = await freshDb();
    await hand(o, 'alice.smith');
    await hand(o, 'alice');
    const s = await importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir, identity: { samePerson: parseSamePerson('alice=alice.smith') } });
    expect(s.users.existing).toEqual(['alice.smith']);
    expect(rows(o, `SELECT user_id FROM annotations`)).toEqual([{ user_id: 'alice.smith' }]);
    expect(rows(o, `SELECT user_id FROM assignments WHERE task_id = 'objnet3d_chair'`)).toEqual([{ user_id: 'alice.smith' }]);
    await expect(importLegacy(o.db, { source: LEGACY, cadDir: CAD, dataDir: o.dir, identity: { samePerson: parseSamePerson('alice=nobody') } })).rejects.toThrow(/no account nobody/);
    expect(() => parseSamePerson('=x')).toThrow(/not <imported id>/);
  });
});
