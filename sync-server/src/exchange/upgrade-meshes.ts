// Meshes stored before format 2 (shared/src/mesh/v2.ts) are format 1: larger on the wire once
// compressed and slower to decode. This re-encodes them in place, each under its new content etag
// (devices fetch the new URL; what they kept under the old one still opens). Idempotent: a second run
// finds no format-1 mesh.
import { decodeMesh } from '@in3d/shared/mesh/codec';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import type { DbOrTrx } from '../db/connect';
import { cadModelsInMeshFormat, upsertCadModel } from '../repositories/catalogue';

export interface MeshUpgrade {
  upgraded: { category: string; subtype: number; fromBytes: number; toBytes: number }[];
  /** Format-1 meshes that do not decode: left as they are, for the admin to re-import. */
  failed: { category: string; subtype: number; error: string }[];
}

export async function upgradeV1Meshes(db: DbOrTrx): Promise<MeshUpgrade> {
  const result: MeshUpgrade = { upgraded: [], failed: [] };
  for (const cad of await cadModelsInMeshFormat(db, 1)) {
    const decoded = await decodeMesh(cad.mesh);
    if (!decoded.ok) {
      result.failed.push({ category: cad.category, subtype: cad.subtype, error: decoded.error });
      continue;
    }
    // Format 1's positions were quantised over the same box format 2 quantises over: nothing moves.
    const mesh = encodeMesh({ positions: decoded.mesh.positions, triangles: decoded.mesh.triangles });
    await upsertCadModel(db, { ...cad, mesh });
    result.upgraded.push({ category: cad.category, subtype: cad.subtype, fromBytes: cad.mesh.length, toBytes: mesh.length });
  }
  return result;
}
