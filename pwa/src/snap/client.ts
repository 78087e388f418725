// The page's side of the Snap worker: started on first use, one per app, meshes loaded into it once.
import { wrap, type Remote } from 'comlink';
import type { PoseJson } from '@in3d/shared/types';
import type { SnapResult } from '@in3d/shared/snap/search';
import type { SnapApi } from './worker';

export interface SnapCall {
  meshKey: string;
  /** Fetches the mesh bytes when the worker does not have them yet. */
  meshBytes: () => Promise<ArrayBuffer>;
  photoKey: string;
  photo: ImageBitmap;
  bbox: [number, number, number, number];
  viewport: number;
  pose: PoseJson;
}

export interface Snapper {
  snap(call: SnapCall): Promise<SnapResult>;
}

let api: Remote<SnapApi> | null = null;

function worker(): Remote<SnapApi> {
  api ??= wrap<SnapApi>(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'snap' }));
  return api;
}

export const snapper: Snapper = {
  async snap(c) {
    const w = worker();
    if (!(await w.hasMesh(c.meshKey))) {
      const loaded = await w.loadMesh(c.meshKey, await c.meshBytes());
      if (!loaded.ok) return loaded;
    }
    // The bitmap is copied (not transferred): the page's photo cache keeps its own.
    const photo = (await w.hasPhoto(c.photoKey)) ? null : c.photo;
    return w.snap({ meshKey: c.meshKey, photoKey: c.photoKey, photo, bbox: c.bbox, viewport: c.viewport, pose: c.pose });
  },
};
