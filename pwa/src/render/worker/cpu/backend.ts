// The CPU backend. The photo (scaled in JS, see photo.ts) and bbox make a `base` image kept between
// frames; every frame then restores the area the last overlay covered, rasterizes the new overlay
// and uploads only the union of the two (putImageData's dirty rectangle). No per-line canvas calls,
// no canvas read-backs and no full-canvas copies while dragging: that is what keeps 100k-edge
// meshes interactive without a GPU.
import type { DecodedMesh } from '@in3d/shared/mesh/types';
import type { Backend, FrameDesc } from '../layers';
import { drawLayers, Scratch, unionBox } from './overlay';
import { bitmapPixels, drawScaled, levelFor, type Pixels } from './photo';
import { copyBox, makeInk, strokeRect, type PixelBox } from './raster';

type Ctx2D = OffscreenCanvasRenderingContext2D;

export function createCpuBackend(canvas: OffscreenCanvas): Backend | null {
  const ctx = canvas.getContext('2d', { alpha: false }) as Ctx2D | null;
  if (!ctx) return null;
  const scratch = new Scratch();
  let image: ImageData | null = null;
  let frame = new Uint32Array(0);
  let base = new Uint32Array(0);
  let baseKey = '';
  /** Where the previous frame's overlay was: restored from `base` before the next one. */
  let lastBox: PixelBox | null = null;
  /** The current photo at full size, then halved levels for zoomed-out views. */
  let photo: { bitmap: ImageBitmap; pyramid: Pixels[] } | null = null;

  function buffersFor(width: number, height: number): void {
    if (image && image.width === width && image.height === height) return;
    image = new ImageData(width, height);
    frame = new Uint32Array(image.data.buffer);
    base = new Uint32Array(width * height);
  }

  function drawBase(f: FrameDesc): void {
    buffersFor(f.width, f.height);
    const target = { data: base, width: f.width, height: f.height };
    base.fill(f.background);
    if (f.photo) {
      if (photo?.bitmap !== f.photo.bitmap) photo = { bitmap: f.photo.bitmap, pyramid: [bitmapPixels(f.photo.bitmap)] };
      drawScaled(target, levelFor(photo.pyramid, f.photo.rect), f.photo.rect);
    } else photo = null;
    if (f.bbox) {
      const { rect, color, lineWidth } = f.bbox;
      const half = lineWidth / 2;
      strokeRect(target, rect.x - half, rect.y - half, rect.x + rect.w + half - 1, rect.y + rect.h + half - 1, makeInk(color, 1), lineWidth);
    }
    frame.set(base);
    baseKey = f.baseKey;
    lastBox = null;
  }

  return {
    kind: 'cpu',
    resize(width, height) {
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      baseKey = '';
    },
    draw(f) {
      if (f.width === 0 || f.height === 0) return 0;
      const fresh = baseKey !== f.baseKey || !image || image.width !== f.width || image.height !== f.height;
      if (fresh) drawBase(f);
      else if (lastBox) copyBox(frame, base, f.width, lastBox);
      const clip: PixelBox = [f.clip.x, f.clip.y, f.clip.x + f.clip.w, f.clip.y + f.clip.h];
      const { drawn, box } = drawLayers({ data: frame, width: f.width, height: f.height }, base, f.layers, scratch, f.minEdgeLength, clip);
      const dirty = fresh ? null : lastBox && box ? unionBox(lastBox, box) : (lastBox ?? box);
      if (fresh) ctx.putImageData(image!, 0, 0);
      else if (dirty) ctx.putImageData(image!, 0, 0, dirty[0], dirty[1], dirty[2] - dirty[0], dirty[3] - dirty[1]);
      lastBox = box;
      return drawn;
    },
    forget(_mesh: DecodedMesh) {},
    dispose() {
      image = null;
      photo = null;
      frame = base = new Uint32Array(0);
    },
  };
}
