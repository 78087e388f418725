// The CPU backend: Canvas2D draws the photo and bbox once (scaled, smoothed), then every frame is
// "copy those pixels, rasterize the overlay into the copy, putImageData". One upload per frame and no
// per-line canvas calls, which is what keeps 100k-edge meshes interactive without a GPU.
import type { DecodedMesh } from '@in3d/shared/mesh/types';
import type { Backend, FrameDesc } from '../layers';
import { drawLayers, Scratch } from './overlay';

type Ctx2D = OffscreenCanvasRenderingContext2D;

export function createCpuBackend(canvas: OffscreenCanvas): Backend | null {
  // willReadFrequently keeps the canvas in CPU memory: we read the photo back and write whole frames.
  const ctx = canvas.getContext('2d', { alpha: false, willReadFrequently: true }) as Ctx2D | null;
  if (!ctx) return null;
  const scratch = new Scratch();
  let image: ImageData | null = null;
  let frame = new Uint32Array(0);
  let base = new Uint32Array(0);
  let baseKey = '';

  function drawBase(f: FrameDesc): void {
    ctx!.setTransform(1, 0, 0, 1, 0, 0);
    ctx!.fillStyle = cssColor(f.background);
    ctx!.fillRect(0, 0, f.width, f.height);
    if (f.photo) {
      const { bitmap, rect } = f.photo;
      ctx!.imageSmoothingEnabled = true;
      ctx!.imageSmoothingQuality = 'high';
      ctx!.drawImage(bitmap, rect.x, rect.y, rect.w, rect.h);
    }
    if (f.bbox) {
      const { rect, color, lineWidth } = f.bbox;
      ctx!.strokeStyle = cssColor(color);
      ctx!.lineWidth = lineWidth;
      ctx!.strokeRect(rect.x, rect.y, rect.w, rect.h);
    }
    image = ctx!.getImageData(0, 0, f.width, f.height);
    base = new Uint32Array(image.data.buffer.slice(0));
    frame = new Uint32Array(image.data.buffer);
    baseKey = f.baseKey;
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
      if (baseKey !== f.baseKey || !image || image.width !== f.width || image.height !== f.height) drawBase(f);
      else frame.set(base);
      const drawn = drawLayers({ data: frame, width: f.width, height: f.height }, base, f.layers, scratch, f.minEdgeLength);
      ctx.putImageData(image!, 0, 0);
      return drawn;
    },
    forget(_mesh: DecodedMesh) {},
    dispose() {
      image = null;
      frame = base = new Uint32Array(0);
    },
  };
}

function cssColor(c: number): string {
  return `rgb(${c & 0xff},${(c >>> 8) & 0xff},${(c >>> 16) & 0xff})`;
}
