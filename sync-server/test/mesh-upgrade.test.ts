// `meshes upgrade` (exchange/upgrade-meshes.ts): CAD meshes stored in format 1 are re-encoded as
// format 2 under their new content etag, the same geometry; a second run does nothing; a format-1
// mesh that does not decode is reported and left alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMesh } from '@in3d/shared/mesh/codec';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import { encodeMeshV1 } from '@in3d/shared/mesh/v1';
import { commands } from '../src/cli/commands';
import { openDataDir } from '../src/cli/context';
import { runCli } from '../src/cli/registry';
import { demoCategories } from '../src/demo/meshes';
import { cadModelsInMeshFormat, contentEtag, listCadModels, upsertCadModel, upsertCategory } from '../src/repositories/catalogue';

let dataDir: string;
let out: string[];
let err: string[];
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'in3d-mesh-upgrade-'));
  out = [];
  err = [];
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCli(argv, commands, { dataDir, openDb: openDataDir, out: (l) => out.push(l), err: (l) => err.push(l) });

async function withDb<T>(f: (db: Awaited<ReturnType<typeof openDataDir>>['db']) => Promise<T>): Promise<T> {
  const opened = await openDataDir(dataDir);
  try {
    return await f(opened.db);
  } finally {
    await opened.close();
  }
}

const [chair] = demoCategories();
const [a, b] = chair!.subtypes;

describe('meshes upgrade', () => {
  it('re-encodes format-1 meshes as format 2 with the same geometry, keeps format 2, and is idempotent', async () => {
    const old = encodeMeshV1(a!.mesh), current = encodeMesh(b!.mesh);
    await withDb(async (db) => {
      await upsertCategory(db, { id: 'chair' });
      await upsertCadModel(db, { category: 'chair', subtype: 1, name: 'old', mesh: old, vertexCount: 8, triangleCount: 12, sourceSha256: 'abc' });
      await upsertCadModel(db, { category: 'chair', subtype: 2, name: 'current', mesh: current, vertexCount: 8, triangleCount: 12 });
    });
    expect(await cli('meshes', 'upgrade')).toBe(0);
    expect(out).toEqual([`Re-encoded 1 mesh(es) from format 1 to format 2 (${old.length} → ${encodeMesh(await v1Geometry(old)).length} bytes).`]);

    await withDb(async (db) => {
      expect(await cadModelsInMeshFormat(db, 1)).toEqual([]);
      const upgraded = await cadModelsInMeshFormat(db, 2);
      expect(upgraded.map((c) => [c.subtype, c.name, c.sourceSha256])).toEqual([[1, 'old', 'abc'], [2, 'current', undefined]]);
      const cads = await listCadModels(db, 'chair');
      expect(cads[0]!.etag).toBe(contentEtag(upgraded[0]!.mesh));
      expect(cads[0]!.etag).not.toBe(contentEtag(old));
      expect(cads[1]!.etag).toBe(contentEtag(current));
      // The same triangles over the same positions (format 2 reorders them: compare the sets of corner triples).
      const [was, now] = [await decodeMesh(old), await decodeMesh(upgraded[0]!.mesh)];
      if (!was.ok || !now.ok) throw new Error('does not decode');
      expect(now.mesh.vertexCount).toBe(was.mesh.vertexCount);
      expect(now.mesh.edgeCount).toBe(was.mesh.edgeCount);
      expect(shapes(now.mesh)).toEqual(shapes(was.mesh));
    });

    out = [];
    expect(await cli('meshes', 'upgrade')).toBe(0);
    expect(out).toEqual(['No mesh in format 1: nothing to do.']);
    out = [];
    expect(await cli('meshes', 'upgrade', '--json')).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual({ upgraded: [], failed: [] });
  });

  it('reports a format-1 mesh that does not decode, leaves it, and exits non-zero', async () => {
    const broken = encodeMeshV1(a!.mesh);
    broken[broken.length - 1]! ^= 0xff;
    await withDb(async (db) => {
      await upsertCategory(db, { id: 'chair' });
      await upsertCadModel(db, { category: 'chair', subtype: 1, name: 'broken', mesh: broken, vertexCount: 8, triangleCount: 12 });
    });
    expect(await cli('meshes', 'upgrade')).toBe(2);
    expect(err.join('\n')).toMatch(/1 format-1 mesh\(es\) do not decode and were left as they are:\n {2}chair subtype 1: corrupt/);
    await withDb(async (db) => expect((await cadModelsInMeshFormat(db, 1)).map((c) => new Uint8Array(c.mesh))).toEqual([broken]));
  });
});

async function v1Geometry(bytes: Uint8Array) {
  const d = await decodeMesh(bytes);
  if (!d.ok) throw new Error(d.error);
  return { positions: d.mesh.positions, triangles: d.mesh.triangles };
}

/** Each triangle as its three corners' positions, rotated to start at the smallest, sorted: order-free. */
function shapes(m: { positions: Float32Array; triangles: Uint32Array }): string[] {
  const p = (i: number) => Array.from(m.positions.subarray(3 * i, 3 * i + 3), (x) => x.toFixed(4)).join(',');
  const out: string[] = [];
  for (let t = 0; t < m.triangles.length; t += 3) {
    const c = [p(m.triangles[t]!), p(m.triangles[t + 1]!), p(m.triangles[t + 2]!)];
    const k = c.indexOf([...c].sort()[0]!);
    out.push([...c.slice(k), ...c.slice(0, k)].join(' '));
  }
  return out.sort();
}
