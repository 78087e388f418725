// The render worker: the engine behind comlink. The main thread types its proxy from this object
// (`RendererApi`), so the two sides cannot drift apart.
import { expose, transfer } from 'comlink';
import type { PoseJson } from '@in3d/shared/types';
import type { SceneState } from '../contract';
import { createEngine, type InitOptions } from './engine';

const engine = createEngine();

const api = {
  /** Answers once the module has loaded, before the canvas is handed over for good. */
  ping(): true {
    return true;
  },
  init(canvas: OffscreenCanvas, opts: InitOptions) {
    return engine.init(canvas, opts);
  },
  resize(cssWidth: number, cssHeight: number, devicePixelRatio: number): void {
    engine.resize(cssWidth, cssHeight, devicePixelRatio);
  },
  setPhoto(photo: ImageBitmap | null): void {
    // The worker got its own copy of the bitmap; free the one it replaces now rather than at GC.
    engine.setPhoto(photo)?.close();
  },
  loadMesh(key: string, bytes: ArrayBuffer) {
    return engine.loadMesh(key, bytes);
  },
  hasMesh(key: string): boolean {
    return engine.hasMesh(key);
  },
  async render(scene: SceneState) {
    const stats = engine.render(scene);
    // A worker's WebGL frame reaches the screen at its next animation frame (2D ones at the end of
    // the task): answer when the frame is visible, or the last frame of a drag would wait for the next.
    // Hidden pages get no animation frames: do not hold the page's render queue hostage then.
    if (engine.backend !== 'webgl') return stats;
    await new Promise((r) => {
      requestAnimationFrame(r);
      setTimeout(r, 100);
    });
    return { ...stats, drawnAt: performance.timeOrigin + performance.now() };
  },
  async thumbnails(meshKeys: string[], pose: PoseJson, size: number): Promise<ImageBitmap[]> {
    const bitmaps = await engine.thumbnails(meshKeys, pose, size);
    return transfer(bitmaps, bitmaps);
  },
  cancelThumbnails(): void {
    engine.cancelThumbnails();
  },
  dispose(): void {
    engine.dispose();
  },
};

export type RendererApi = typeof api;

expose(api);
