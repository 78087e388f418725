// What the feature-edge overlay needs from a mesh once, whatever the view: a unit normal per face.
// Feature lines are then found per frame in screen space (see pwa/src/render/worker/cpu/features.ts):
// the fixture CAD meshes are mostly unwelded triangle soups (microphone/01: 77k of its 173k edges
// have one face or more than two), so object-space adjacency would call nearly half their edges
// "borders" and draw them all.
import type { Mesh } from './types';

/** Default crease threshold: folds sharper than this many degrees are drawn. */
export const DEFAULT_CREASE_DEG = 40;

/** Unit normal (xyz) per triangle, by the triangle's winding; (0, 0, 0) for a degenerate one. */
export function faceNormals(mesh: Mesh): Float32Array {
  const { positions, triangles } = mesh;
  const nT = (triangles.length / 3) | 0;
  const out = new Float32Array(3 * nT);
  for (let t = 0; t < nT; t++) {
    const a = 3 * triangles[3 * t]!, b = 3 * triangles[3 * t + 1]!, c = 3 * triangles[3 * t + 2]!;
    const ux = positions[b]! - positions[a]!, uy = positions[b + 1]! - positions[a + 1]!, uz = positions[b + 2]! - positions[a + 2]!;
    const vx = positions[c]! - positions[a]!, vy = positions[c + 1]! - positions[a + 1]!, vz = positions[c + 2]! - positions[a + 2]!;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
    if (len > 0) {
      out[3 * t] = nx / len;
      out[3 * t + 1] = ny / len;
      out[3 * t + 2] = nz / len;
    }
  }
  return out;
}
