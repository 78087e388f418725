// Subtype gallery thumbnails: each mesh shaded alone at the current rotation, centred, on a
// transparent background. Always the CPU rasterizer (a few small images, no canvas needed), rendered
// at twice the size and box-filtered down for smooth edges.
import type { PoseJson } from '@in3d/shared/types';
import type { DecodedMesh } from '@in3d/shared/mesh/types';
import { drawLayers, Scratch } from './cpu/overlay';
import { modelProjection } from './view';

const SUPERSAMPLE = 2;
/** The warm orange of the ImageNet3D renders, readable on light and dark tiles. */
export const THUMBNAIL_COLOR = 0xff3c8ae0;

/** RGBA pixels (size x size, straight alpha) of one mesh; all transparent for a missing mesh. */
export function thumbnailPixels(mesh: DecodedMesh | undefined, pose: PoseJson, size: number, scratch = new Scratch()): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(size * size * 4);
  if (!mesh || size <= 0) return out;
  const big = size * SUPERSAMPLE;
  const base = new Uint32Array(big * big);
  const frame = { data: new Uint32Array(big * big), width: big, height: big };
  const layer = { mesh, projection: modelProjection(mesh, pose, big, big, 0.92), mode: 'shaded' as const, color: THUMBNAIL_COLOR, opacity: 1 };
  drawLayers(frame, base, [layer], scratch, 0);
  const src = new Uint8Array(frame.data.buffer);
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
  return out;
}
