// The Snap worker: refines a pose to the photo (shared/src/snap) off the main thread, so a second of
// search never blocks input or the render worker's frames. Imports only @in3d/shared and comlink.
// Expected failures (a mesh that does not decode, a bbox outside the photo) come back as results.
import { expose } from 'comlink';
import { decodeMesh } from '@in3d/shared/mesh/codec';
import { prepareSnapModel, type SnapModel } from '@in3d/shared/snap/model';
import { snapPose, type SnapResult } from '@in3d/shared/snap/search';
import type { RgbaImage } from '@in3d/shared/snap/image-edges';
import type { PoseJson } from '@in3d/shared/types';

export type Result<T> = ({ ok: true } & T) | { ok: false; error: string };

export interface SnapJob {
  meshKey: string;
  /** Cache key of the photo (the question id): the pixels are read once per photo. */
  photoKey: string;
  /** A copy of the photo, or null when the worker already holds `photoKey`'s pixels. */
  photo: ImageBitmap | null;
  bbox: [number, number, number, number];
  viewport: number;
  pose: PoseJson;
}

const MESH_CACHE = 4;
const models = new Map<string, SnapModel>();
let pixels: { key: string; image: RgbaImage } | null = null;

function readPixels(key: string, photo: ImageBitmap | null): RgbaImage {
  if (pixels?.key === key) return pixels.image;
  if (!photo) throw new Error(`photo ${key} was not sent`);
  const canvas = new OffscreenCanvas(photo.width, photo.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas in this worker');
  ctx.drawImage(photo, 0, 0);
  const data = ctx.getImageData(0, 0, photo.width, photo.height);
  photo.close();
  pixels = { key, image: { width: data.width, height: data.height, data: data.data } };
  return pixels.image;
}

const api = {
  ping: () => true,
  hasMesh: (key: string) => models.has(key),
  hasPhoto: (key: string) => pixels?.key === key,
  /** Decodes a binary mesh and prepares its feature edges once (tens of ms for the largest CAD models). */
  async loadMesh(key: string, bytes: ArrayBuffer): Promise<Result<{ featureEdges: number }>> {
    const d = await decodeMesh(new Uint8Array(bytes));
    if (!d.ok) return { ok: false, error: d.error };
    const model = prepareSnapModel(d.mesh);
    models.set(key, model);
    while (models.size > MESH_CACHE) models.delete(models.keys().next().value as string);
    return { ok: true, featureEdges: model.featureEdges };
  },
  snap(job: SnapJob): SnapResult {
    const model = models.get(job.meshKey);
    if (!model) return { ok: false, error: `mesh ${job.meshKey} is not loaded` };
    let image: RgbaImage;
    try {
      image = readPixels(job.photoKey, job.photo);
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    return snapPose({ image, bbox: job.bbox, viewport: job.viewport, pose: job.pose, model });
  },
};

export type SnapApi = typeof api;
expose(api);
