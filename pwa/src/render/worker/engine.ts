// The renderer itself, independent of where it runs: the worker exposes it over comlink, and the
// main-thread fallback calls it directly, so both paths run this same code. It keeps the decoded
// meshes and the photo, turns the page's SceneState into device-pixel layers and hands them to a
// backend (WebGL through three.js, or the CPU rasterizer).
import { decodeMesh } from '@in3d/shared/mesh/codec';
import { DEFAULT_CREASE_DEG, faceNormals } from '@in3d/shared/mesh/features';
import type { DecodedMesh } from '@in3d/shared/mesh/types';
import type { PoseJson } from '@in3d/shared/types';
import type { FrameStats, RendererBackend, Result, SceneState } from '../contract';
import { eachInBackground } from './background';
import { chooseBackend, probeWebgl, type BackendRequest, type GlProbe } from './capability';
import { createCpuBackend } from './cpu/backend';
import { Scratch } from './cpu/overlay';
import { fillMesh } from './cpu/unique';
import type { Backend, FrameDesc, Layer } from './layers';
import { minEdgeLength } from './lod';
import { thumbnailSteps } from './thumbnails';
import { bboxRect, modelProjection, overlayProjection, parseColor, photoRect, type Rect } from './view';

/** Decoded meshes kept; a task's subtypes plus a few neighbours' fit comfortably. */
const MAX_MESHES = 32;
const BACKGROUND = 0xff271811; // #111827
const BBOX_COLOR = 0xff5ec522; // #22c55e
const GHOST_FALLBACK = 0xfff6823b;

export interface InitOptions {
  backend?: BackendRequest;
}

export type InitResult = Result<{ backend: RendererBackend; glRenderer: string }>;

export interface MeshCounts {
  vertexCount: number;
  triangleCount: number;
  edgeCount: number;
}

export function createEngine() {
  let canvas: OffscreenCanvas | null = null;
  let backend: Backend | null = null;
  let probe: GlProbe = { available: false, renderer: '', software: false };
  let dpr = 1;
  let photo: ImageBitmap | null = null;
  let photoId = 0;
  const meshes = new Map<string, DecodedMesh>();
  /** Face normals per mesh for the feature-edge overlay, computed once at decode. */
  const normals = new WeakMap<DecodedMesh, Float32Array>();
  const thumbScratch = new Scratch();
  /** How long the last frame with a wireframe took: the level of detail adapts to it. */
  let lastWireMs = 0;
  /** Bumped by cancelThumbnails: thumbnail runs started before it stop at their next yield. */
  let thumbGeneration = 0;
  let thumbRuns: Promise<void> = Promise.resolve();

  function getMesh(key: string | null | undefined): DecodedMesh | undefined {
    if (key == null) return undefined;
    const m = meshes.get(key);
    if (m) {
      // Most recently used last, so eviction takes the oldest.
      meshes.delete(key);
      meshes.set(key, m);
    }
    return m;
  }

  function frameFor(scene: SceneState): FrameDesc {
    const width = canvas?.width ?? 0, height = canvas?.height ?? 0;
    const layers: Layer[] = [];
    const mesh = getMesh(scene.meshKey);
    const color = parseColor(scene.overlay.color);
    let showPhoto = scene.view !== 'model';
    let bbox: FrameDesc['bbox'] = null;

    if (scene.view === 'model') {
      // The model alone: shaded and opaque, so its rotation reads at a glance.
      if (mesh) layers.push({ mesh, projection: modelProjection(mesh, scene.pose, width, height), mode: 'shaded', color, opacity: 1, fillCell: fillCell() });
    } else if (scene.view === 'overlay') {
      const r = bboxRect(scene, dpr);
      if (r) bbox = { rect: r, color: BBOX_COLOR, lineWidth: Math.max(1, Math.round(2 * dpr)) };
      if (scene.overlay.visible) {
        const ghost = scene.ghost;
        const ghostMesh = ghost ? getMesh(ghost.meshKey ?? scene.meshKey) : undefined;
        if (ghost && ghostMesh) layers.push(overlayLayer(scene, ghostMesh, ghost.pose, parseColor(ghost.color, GHOST_FALLBACK)));
        if (mesh) layers.push(overlayLayer(scene, mesh, scene.pose, color));
      }
    }
    showPhoto &&= photo !== null;
    const rect = photoRect(scene, dpr);
    const edges = layers.reduce((n, l) => n + (l.mode === 'wireframe' ? l.mesh.edgeCount : 0), 0);
    // The overlay stays on the photo; the model view has the whole canvas.
    const clip = scene.view === 'model' ? { x: 0, y: 0, w: width, h: height } : clampRect(rect, width, height);
    return {
      width,
      height,
      background: BACKGROUND,
      photo: showPhoto && photo ? { bitmap: photo, rect } : null,
      bbox,
      baseKey: [width, height, showPhoto ? photoId : -1, rect.x, rect.y, rect.w, rect.h, bbox ? Object.values(bbox.rect).join() : ''].join('|'),
      layers,
      clip,
      minEdgeLength: minEdgeLength(edges, scene.interacting, lastWireMs),
    };
  }

  function overlayLayer(scene: SceneState, mesh: DecodedMesh, pose: PoseJson, color: number): Layer {
    const n = normals.get(mesh);
    const { mode, opacity, lineWidth = 1.5, creaseDeg = DEFAULT_CREASE_DEG } = scene.overlay;
    return {
      mesh,
      projection: overlayProjection(scene, pose, dpr),
      mode,
      color,
      opacity,
      features: n ? { normals: n, creaseDeg, lineWidth: lineWidth * dpr } : undefined,
      fillCell: fillCell(),
    };
  }

  /** Shading is sampled once a CSS pixel on dense screens: dpr 2 looks as dpr 1 does, at a quarter of the fill. */
  function fillCell(): number {
    return Math.max(1, Math.min(2, Math.floor(dpr)));
  }

  async function makeBackend(c: OffscreenCanvas, kind: RendererBackend): Promise<Backend | null> {
    if (kind === 'webgl') {
      try {
        // Loaded only when chosen: the CPU path never pays for three.js.
        const { createWebglBackend } = await import('./webgl/backend');
        const b = createWebglBackend(c);
        if (b) return b;
      } catch {
        // A context that fails to start leaves the canvas without a context type; 2D still works.
      }
    }
    return createCpuBackend(c);
  }

  return {
    async init(c: OffscreenCanvas, opts: InitOptions = {}): Promise<InitResult> {
      canvas = c;
      probe = probeWebgl();
      const wanted = chooseBackend(opts.backend ?? 'auto', probe);
      backend = await makeBackend(c, wanted);
      if (!backend) return { ok: false, error: 'this browser offers neither WebGL nor a 2D canvas here' };
      return { ok: true, backend: backend.kind, glRenderer: probe.renderer };
    },

    get backend(): RendererBackend {
      return backend?.kind ?? 'cpu';
    },

    resize(cssWidth: number, cssHeight: number, devicePixelRatio: number): void {
      dpr = devicePixelRatio > 0 ? devicePixelRatio : 1;
      const w = Math.max(0, Math.round(cssWidth * dpr)), h = Math.max(0, Math.round(cssHeight * dpr));
      backend?.resize(w, h);
    },

    /** Returns the previous photo, which the caller may close if it owns it (the worker does). */
    setPhoto(bitmap: ImageBitmap | null): ImageBitmap | null {
      const previous = photo;
      photo = bitmap;
      photoId++;
      return previous === bitmap ? null : previous;
    },

    async loadMesh(key: string, bytes: ArrayBuffer | Uint8Array): Promise<Result<MeshCounts>> {
      const decoded = await decodeMesh(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
      if (!decoded.ok) return { ok: false, error: decoded.error };
      const old = meshes.get(key);
      if (old) backend?.forget(old);
      meshes.delete(key);
      meshes.set(key, decoded.mesh);
      normals.set(decoded.mesh, faceNormals(decoded.mesh));
      // The CPU fill's welded mesh (10-20 ms on a 100k-face mesh, warm) at load, not in the first frame.
      if (backend?.kind !== 'webgl') fillMesh(decoded.mesh);
      while (meshes.size > MAX_MESHES) {
        const [oldest, m] = meshes.entries().next().value!;
        meshes.delete(oldest);
        backend?.forget(m);
      }
      const { vertexCount, triangleCount, edgeCount } = decoded.mesh;
      return { ok: true, vertexCount, triangleCount, edgeCount };
    },

    hasMesh(key: string): boolean {
      return meshes.has(key);
    },

    render(scene: SceneState): FrameStats {
      const kind = backend?.kind ?? 'cpu';
      if (!backend || !canvas) return { frameMs: 0, drawn: 0, backend: kind };
      const t0 = performance.now();
      const frame = frameFor(scene);
      const drawn = backend.draw(frame);
      const frameMs = performance.now() - t0;
      if (frame.layers.some((l) => l.mode === 'wireframe')) lastWireMs = frameMs;
      return { frameMs, drawn, backend: kind, startedAt: performance.timeOrigin + t0, drawnAt: performance.timeOrigin + t0 + frameMs };
    },

    /**
     * One bitmap per key, in order; a key without a loaded mesh gives a transparent one. Drawn in steps
     * at background priority (see background.ts), so an overlay frame asked for meanwhile waits for one
     * step at most; none (an empty list) once cancelThumbnails is called before the last one is drawn.
     */
    async thumbnails(meshKeys: string[], pose: PoseJson, size: number): Promise<ImageBitmap[]> {
      const s = Math.max(1, Math.round(size));
      const generation = thumbGeneration;
      // One run at a time: the steps of two runs would share the scratch buffers.
      const run = thumbRuns.then(() => eachInBackground(meshKeys, (k) => thumbnailSteps(meshes.get(k), pose, s, thumbScratch), () => generation !== thumbGeneration));
      // The next run waits for this one to end either way; its failure reaches its own caller below.
      thumbRuns = run.then(() => undefined, () => undefined);
      const pixels = await run;
      return pixels ? Promise.all(pixels.map((p) => createImageBitmap(new ImageData(p, s, s)))) : [];
    },

    cancelThumbnails(): void {
      thumbGeneration++;
    },

    dispose(): void {
      backend?.dispose();
      backend = null;
      photo = null;
      meshes.clear();
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;

/** `r` rounded out to whole pixels and cut to the frame. */
function clampRect(r: Rect, width: number, height: number): Rect {
  const x0 = Math.max(0, Math.floor(r.x)), y0 = Math.max(0, Math.floor(r.y));
  const x1 = Math.min(width, Math.ceil(r.x + r.w)), y1 = Math.min(height, Math.ceil(r.y + r.h));
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}
