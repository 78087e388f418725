// The binary mesh format the server sends and devices keep: a versioned header ("I3DM", a version
// byte) and what that version stores. Version 2 (v2.ts, meshoptimizer's codecs) is what the server
// writes (encode.ts) and sends; version 3 (v3.ts, a gzip-wrapped version 2) is what a device keeps
// (packMesh at store time); version 1 (v1.ts, the project's own) is still read, because a mesh cached
// on a device before version 2 must still open.
import { failed, hasMagic, MESH_MAGIC, type DecodeResult } from './format';
import { decodeMeshV1 } from './v1';
import { decodeMeshV2, V2 } from './v2';
import { unpackMeshV3, V3 } from './v3';

export type { DecodedMesh } from './types';
export { MESH_MAGIC, type DecodeResult } from './format';
export { packMesh } from './v3';

/** The version `encodeMesh` writes. */
export const MESH_FORMAT_VERSION = V2.version;
/** Every version `decodeMesh` reads. */
export const MESH_READ_VERSIONS = [1, 2, 3] as const;

/**
 * Decodes any version of the format. Never throws: anything malformed, or a version this build
 * does not read, comes back as `{ ok: false }`. Async because version 2's WASM decoder starts
 * asynchronously (once per realm) and version 3 inflates through a stream.
 */
export async function decodeMesh(bytes: Uint8Array): Promise<DecodeResult> {
  if (bytes.length < 5) return failed(`truncated: ${bytes.length} bytes, too short for a mesh header`);
  if (!hasMagic(bytes)) return failed(`not a mesh file: bad magic (expected "${MESH_MAGIC}")`);
  const version = bytes[4]!;
  if (version === 1) return decodeMeshV1(bytes);
  if (version === 2) return decodeMeshV2(bytes);
  if (version === V3.version) {
    const unpacked = await unpackMeshV3(bytes);
    if (!unpacked.ok) return unpacked;
    const inner = unpacked.inner;
    // Only version 2 is ever wrapped (packMesh): no nesting, so no second inflate to bound.
    if (!(inner.length >= 5 && hasMagic(inner) && inner[4] === V2.version)) return failed('corrupt: the gzip stream of a version-3 file does not hold a version-2 mesh');
    return decodeMeshV2(inner);
  }
  return failed(`unsupported mesh format version ${version} (this build reads versions ${MESH_READ_VERSIONS.join(', ')})`);
}
