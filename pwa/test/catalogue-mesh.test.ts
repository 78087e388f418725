// A mesh arrives as format 2 (HTTP's brotli/gzip already undone by the browser) and is kept on the
// device as format 3 (gzip-wrapped, shared/src/mesh/v3.ts): smaller, and it decodes to the same mesh.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeMesh } from '@in3d/shared/mesh/codec';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import { encodeMeshV1 } from '@in3d/shared/mesh/v1';
import type { CadModelInfo } from '@in3d/shared/types';
import { createCatalogue } from '../src/data/catalogue';
import { LocalDb } from '../src/data/db';
import type { Api } from '../src/data/http';

// A wavy n × n grid of triangles: enough bytes for gzip to pay.
function grid(n: number) {
  const positions: number[] = [], triangles: number[] = [];
  for (let i = 0; i <= n; i++) for (let j = 0; j <= n; j++) positions.push(i, j, Math.sin(i * j));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const a = i * (n + 1) + j, b = a + 1, c = a + n + 1, d = c + 1;
      triangles.push(a, b, c, b, d, c);
    }
  return { positions: Float32Array.from(positions), triangles: Uint32Array.from(triangles) };
}

const cad = (etag: string): CadModelInfo => ({ category: 'chair', subtype: 1, name: 'c', vertexCount: 0, triangleCount: 0, meshUrl: `/api/meshes/${etag}`, etag });

let db: LocalDb | undefined;
afterEach(async () => {
  db?.close();
  if (db) await db.delete();
});

function catalogueServing(files: Record<string, Uint8Array>) {
  db = new LocalDb(`catalogue-mesh-${Math.random()}`);
  const api = {
    bytes: async (path: string) => ({ ok: true, data: { bytes: files[path]!.slice().buffer, type: 'application/octet-stream' } }),
  } as unknown as Api;
  return createCatalogue({ db, api, onError: (where, err) => { throw new Error(`${where}: ${String(err)}`); } });
}

describe('catalogue.getMesh keeps meshes gzip-wrapped on the device', () => {
  it('stores a format-2 mesh as format 3, smaller, decoding to the same mesh; the first view does not wait for the packing', async () => {
    const v2 = encodeMesh(grid(60));
    const catalogue = catalogueServing({ '/api/meshes/m2': v2 });
    // The first answer is the body as downloaded; the device copy is packed and stored behind it.
    expect(new Uint8Array(await catalogue.getMesh(cad('m2')))).toEqual(v2);
    const row = await vi.waitFor(async () => (await db!.meshes.get('m2')) ?? Promise.reject(new Error('not stored yet')));
    const bytes = new Uint8Array(row.bytes);
    expect(bytes[4]).toBe(3);
    expect(bytes.length).toBeLessThan(v2.length);
    expect(new Uint8Array(await catalogue.getMesh(cad('m2')))).toEqual(bytes);
    const [a, b] = [await decodeMesh(bytes), await decodeMesh(v2)];
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(Array.from(a.mesh.triangles)).toEqual(Array.from(b.mesh.triangles));
  });

  it('a mesh that cannot be kept on the device still opens, and the failure is reported', async () => {
    const v2 = encodeMesh(grid(20));
    db = new LocalDb(`catalogue-mesh-${Math.random()}`);
    const api = { bytes: async () => ({ ok: true, data: { bytes: v2.slice().buffer, type: 'application/octet-stream' } }) } as unknown as Api;
    const errors: string[] = [];
    const catalogue = createCatalogue({ db, api, onError: (where) => void errors.push(where) });
    vi.spyOn(db.meshes, 'put').mockRejectedValue(new Error('QuotaExceededError'));
    expect(new Uint8Array(await catalogue.getMesh(cad('m3')))).toEqual(v2);
    await vi.waitFor(() => expect(errors).toEqual(['mesh: keep on the device']));
  });

  it('keeps a format-1 mesh (a server before format 2) as it came', async () => {
    const v1 = encodeMeshV1(grid(10));
    const catalogue = catalogueServing({ '/api/meshes/m1': v1 });
    expect(new Uint8Array(await catalogue.getMesh(cad('m1')))).toEqual(v1);
  });
});
