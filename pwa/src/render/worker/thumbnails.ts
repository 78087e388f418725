// Subtype gallery thumbnails: each mesh shaded alone at the current rotation, centred, on a
// transparent background. Always the CPU rasterizer (a few small images, no canvas needed), rendered
// at twice the size and box-filtered down for smooth edges. A dense mesh takes tens of ms, so the
// drawing comes in steps of at most STEP vertices or triangles: the worker can draw an overlay frame
// between two steps instead of after the whole thumbnail.
import type { PoseJson } from '@in3d/shared/types';
import type { DecodedMesh } from '@in3d/shared/mesh/types';
import { Scratch } from './cpu/overlay';
import { fillTriangles, markCovered, projectedBox, resolveShaded } from './cpu/raster';
import { fillMesh } from './cpu/unique';
import { inverseDepth, projectVertices, triangleShades } from './project';
import { modelProjection } from './view';

const SUPERSAMPLE = 2;
/** Vertices or triangles per step: well under a millisecond on a phone-class core. */
export const STEP = 4096;
/** The warm orange of the ImageNet3D renders, readable on light and dark tiles. */
export const THUMBNAIL_COLOR = 0xff3c8ae0;

/**
 * RGBA pixels (size x size, straight alpha) of one mesh, all transparent for a missing mesh, in steps:
 * each `yield` is a point where the caller may give the thread to other work.
 */
export function* thumbnailSteps(mesh: DecodedMesh | undefined, pose: PoseJson, size: number, scratch = new Scratch()): Generator<void, Uint8ClampedArray<ArrayBuffer>> {
  const out = new Uint8ClampedArray(size * size * 4);
  if (!mesh || size <= 0) return out;
  const big = size * SUPERSAMPLE;
  const frame = { data: new Uint32Array(big * big), width: big, height: big };
  const { pose: camera, viewport } = modelProjection(mesh, pose, big, big, 0.92);
  const { positions, triangles, triangleCount: nT } = mesh;
  // Vertices at one position projected once, repeated faces skipped (see cpu/unique.ts).
  const fill = fillMesh(mesh);
  const nV = fill.vertexCount;
  scratch.forFrame(big * big);
  scratch.forMesh(nV, nT);
  const xy = scratch.xy.subarray(0, 2 * nV), depth = scratch.depth.subarray(0, nV), shades = scratch.shades.subarray(0, nT);
  for (let v = 0; v < nV; v += STEP) {
    const end = Math.min(nV, v + STEP);
    projectVertices(fill.positions.subarray(3 * v, 3 * end), camera, viewport, xy.subarray(2 * v, 2 * end));
    inverseDepth(fill.positions.subarray(3 * v, 3 * end), camera, depth.subarray(v, end));
    yield;
  }
  const box = projectedBox(xy, big, big);
  if (!box) return out;
  // A run abandoned midway (cancelled) leaves its marks: start from clean buffers.
  const { ids, zbuf } = scratch;
  ids.fill(-1);
  zbuf.fill(0);
  const only = fill.faces;
  const nFill = only ? only.length : nT;
  for (let k = 0; k < nFill; k += STEP) {
    const end = Math.min(nFill, k + STEP);
    if (only) fillTriangles(ids, big, big, xy, fill.triangles, depth, zbuf, null, 0, only.subarray(k, end));
    else fillTriangles(ids, big, big, xy, fill.triangles.subarray(3 * k, 3 * end), depth, zbuf, null, k);
    yield;
  }
  // Only the faces that won a pixel need a shade.
  shades.fill(0);
  markCovered(ids, big, box, shades);
  for (let t = 0; t < nT; t += STEP) {
    const end = Math.min(nT, t + STEP);
    triangleShades(positions, triangles.subarray(3 * t, 3 * end), camera, THUMBNAIL_COLOR, shades.subarray(t, end), true);
    yield;
  }
  // The base is transparent: uncovered samples stay 0, covered ones become the opaque shade.
  resolveShaded(frame, new Uint32Array(big * big), ids, box, shades, 1);
  yield;
  boxFilter(new Uint8Array(frame.data.buffer), big, size, out);
  return out;
}

/** `src` (RGBA, big x big, big = size x SUPERSAMPLE) averaged down into `out` (size x size). */
export function boxFilter(src: Uint8Array, big: number, size: number, out: Uint8ClampedArray): void {
  const n = SUPERSAMPLE * SUPERSAMPLE;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Average premultiplied colour, then un-premultiply, so transparent samples do not darken edges.
      let r = 0, g = 0, b = 0, a = 0;
      for (let dy = 0; dy < SUPERSAMPLE; dy++) {
        for (let dx = 0; dx < SUPERSAMPLE; dx++) {
          const i = 4 * ((y * SUPERSAMPLE + dy) * big + x * SUPERSAMPLE + dx);
          const al = src[i + 3]!;
          r += src[i]! * al;
          g += src[i + 1]! * al;
          b += src[i + 2]! * al;
          a += al;
        }
      }
      const o = 4 * (y * size + x);
      if (a > 0) {
        out[o] = r / a;
        out[o + 1] = g / a;
        out[o + 2] = b / a;
      }
      out[o + 3] = a / n;
    }
  }
}
