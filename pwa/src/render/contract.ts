// The contract between the annotate page and the renderer (worker or main-thread fallback).
// The page owns state; the renderer draws it. Photo pixels are the unit of the scene: the canvas
// shows the photo scaled by `zoom` with its top-left at `offset` (canvas CSS pixels).
import type { PoseJson } from '@in3d/shared/types';

/** 'edges': feature edges (silhouette, creases, depth jumps), hidden lines removed; 'wireframe': every edge. */
export type OverlayMode = 'edges' | 'wireframe' | 'shaded' | 'silhouette';
export type ViewMode = 'overlay' | 'model' | 'photo';

export interface SceneState {
  /** Key of a mesh given to `loadMesh` (e.g. the CAD etag). */
  meshKey: string | null;
  pose: PoseJson;
  /** Focal length in pixels. */
  viewport: number;
  photo: { width: number; height: number };
  bbox: [number, number, number, number] | null;
  overlay: {
    mode: OverlayMode;
    opacity: number;
    visible: boolean;
    color: string;
    /** Feature-edge line width in device pixels per CSS pixel (default 1.5). */
    lineWidth?: number;
    /** Feature edges: folds sharper than this many degrees are drawn (default DEFAULT_CREASE_DEG). */
    creaseDeg?: number;
  };
  view: ViewMode;
  /** Photo → canvas mapping in CSS pixels. */
  zoom: number;
  offset: { x: number; y: number };
  /** True while the user drags: the renderer may draw a lighter level of detail. */
  interacting: boolean;
  /** A second pose drawn in another colour (conflict and qualification review); optional. */
  ghost?: { pose: PoseJson; meshKey: string | null; color: string } | null;
}

export type Result<T> = ({ ok: true } & T) | { ok: false; error: string };

export interface FrameStats {
  /** Time spent drawing this frame in the renderer, ms. */
  frameMs: number;
  /** Edges or triangles actually drawn (after level of detail). */
  drawn: number;
  backend: RendererBackend;
  /**
   * When the renderer started this frame and when it handed it to the display (a 2D canvas commits at
   * the end of the drawing task; WebGL in a worker at the worker's next animation frame), ms since the
   * epoch (performance.timeOrigin + performance.now(): a worker's and the page's clocks compare); for
   * benchmarks.
   */
  startedAt?: number;
  drawnAt?: number;
}

export type RendererBackend = 'webgl' | 'cpu';

/** What `createRenderer()` in pwa/src/render/client.ts resolves to. All calls are async (comlink). */
export interface Renderer {
  readonly backend: RendererBackend;
  resize(cssWidth: number, cssHeight: number, devicePixelRatio: number): Promise<void>;
  /** Takes effect in call order: a `render` called after it draws this photo, without awaiting it. */
  setPhoto(photo: ImageBitmap | null): Promise<void>;
  /** Decodes a binary mesh (shared mesh codec) and keeps it under `key`. */
  loadMesh(key: string, bytes: ArrayBuffer): Promise<Result<{ vertexCount: number; triangleCount: number; edgeCount: number }>>;
  hasMesh(key: string): Promise<boolean>;
  render(scene: SceneState): Promise<FrameStats>;
  /** Small renders of several meshes at one rotation, for the subtype gallery. */
  thumbnails(meshKeys: string[], pose: PoseJson, size: number): Promise<ImageBitmap[]>;
  /**
   * Optional: drops thumbnail work asked for and not answered yet (a newer rotation replaced it). The
   * dropped `thumbnails()` calls still settle, possibly with fewer bitmaps or none; the gallery discards
   * them. Never affects `render`. The gallery calls it whenever the rotation changes under a request.
   */
  cancelThumbnails?(): void;
  dispose(): Promise<void>;
}
