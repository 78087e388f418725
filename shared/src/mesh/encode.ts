// Writes the current version of the binary mesh format (version 2, layout in v2.ts). Its own module,
// apart from the decoder, because meshoptimizer's encoder is a second WASM module that only the
// server (import, demo data) and the tools need: the workers that decode never load it.
import { MeshoptEncoder } from 'meshoptimizer/encoder';
import { uniqueEdges } from './edges';
import { boundsOf, checksum, MESH_MAGIC, quantise, quantScale, writeBounds } from './format';
import type { Mesh } from './types';
import { V2, vertexCountFits } from './v2';

// Once per process, before the first encode: encodeMesh stays synchronous for its callers.
await MeshoptEncoder.ready;

const UNUSED = 0xffffffff;

/**
 * Encodes a mesh (version 2). Positions are quantised to 16 bits over the bounding box; vertices and
 * triangles are reordered for compression (see v2.ts); the vertex and triangle counts are kept.
 * @throws RangeError on a mesh that is not one: non-finite positions, indices out of range, or more
 *   unused vertices than the format allows.
 */
export function encodeMesh(mesh: Mesh): Uint8Array {
  const { positions, triangles } = mesh;
  const { min, max } = boundsOf(positions);
  const nV = positions.length / 3, nT = triangles.length / 3;
  if (triangles.length % 3 !== 0) throw new RangeError(`triangles has ${triangles.length} indices, not a multiple of 3`);
  if (nV > 0xffffffff) throw new RangeError(`${nV} vertices do not fit 32-bit indices`);
  for (let i = 0; i < triangles.length; i++)
    if (triangles[i]! >= nV) throw new RangeError(`triangle index ${triangles[i]} ≥ vertex count ${nV}`);

  // Vertex fetch order for the used vertices (remap: old index → new, UNUSED for the others), then
  // the unused ones after them, so the vertex count stays the file's.
  const indices = triangles.slice();
  let remap: Uint32Array = new Uint32Array(0), used = 0;
  if (nT > 0) [remap, used] = MeshoptEncoder.reorderMesh(indices, true, true);
  const q = new Uint16Array(4 * nV);
  const scale = [0, 1, 2].map((k) => quantScale(min[k]!, max[k]!));
  let next = used;
  for (let v = 0; v < nV; v++) {
    const r = v < remap.length && remap[v] !== UNUSED ? remap[v]! : next++;
    for (let k = 0; k < 3; k++) q[4 * r + k] = quantise(positions[3 * v + k]!, min[k]!, scale[k]!);
  }
  const edges = uniqueEdges(indices, nV);

  const vertexStream = MeshoptEncoder.encodeVertexBuffer(new Uint8Array(q.buffer), nV, V2.vertexBytes);
  const triangleStream = MeshoptEncoder.encodeIndexBuffer(new Uint8Array(indices.buffer), indices.length, 4);
  const edgeStream = MeshoptEncoder.encodeIndexSequence(new Uint8Array(edges.buffer), edges.length, 4);
  if (!vertexCountFits(nV, nT, vertexStream.length))
    throw new RangeError(`${nV - used} of ${nV} vertices are used by no triangle: too many for the format`);

  const H = V2.headerBytes;
  const out = new Uint8Array(H + vertexStream.length + triangleStream.length + edgeStream.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = MESH_MAGIC.charCodeAt(i);
  out[4] = V2.version;
  view.setUint32(8, nV, true);
  view.setUint32(12, nT, true);
  view.setUint32(16, edges.length / 2, true);
  writeBounds(view, 20, min, max);
  view.setUint32(44, vertexStream.length, true);
  view.setUint32(48, triangleStream.length, true);
  view.setUint32(52, edgeStream.length, true);
  out.set(vertexStream, H);
  out.set(triangleStream, H + vertexStream.length);
  out.set(edgeStream, H + vertexStream.length + triangleStream.length);
  view.setUint32(V2.crcOffset, checksum(out, V2.crcOffset), true);
  return out;
}
