// A page that drives the real renderer (pwa/src/render/client.ts, worker and all) for the render
// benchmark and the pixel test. Tests reach it through `window.harness`; timing loops run here, in
// the page, so Playwright round trips never land inside a measurement.
import { packMesh } from '@in3d/shared/mesh/v3';
import type { PoseJson } from '@in3d/shared/types';
import { createRenderer, type CreateRendererOptions, type RendererHandle } from '../../pwa/src/render/client';
import type { FrameStats, SceneState } from '../../pwa/src/render/contract';

export interface StartOptions extends CreateRendererOptions {
  /** Canvas size in CSS pixels. */
  width: number;
  height: number;
  dpr?: number;
}

export interface PoseRun {
  /** render() call to resolved promise, ms: the page's view of a pose change. */
  times: number[];
  /** Time the renderer spent drawing, ms. */
  frameMs: number[];
  drawn: number[];
}

export interface OpenRun {
  /** Whole opening, ms, and its parts: photo decoded and handed over, mesh decoded, first frame. */
  times: number[];
  photoMs: number[];
  meshMs: number[];
  frameMs: number[];
}

let renderer: RendererHandle | null = null;
const meshBytes = new Map<string, ArrayBuffer>();
const photoBlobs = new Map<string, Blob>();

async function fetchOk(url: string): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res;
}

/** A scratch 2D context; a <canvas> element, so the page works where OffscreenCanvas is missing. */
function canvas2d(width: number, height: number): CanvasRenderingContext2D {
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c.getContext('2d', { willReadFrequently: true })!;
}

function need(): RendererHandle {
  if (!renderer) throw new Error('call harness.start() first');
  return renderer;
}

export const harness = {
  async start(opts: StartOptions) {
    await renderer?.dispose();
    const stage = document.getElementById('stage')!;
    stage.replaceChildren();
    const canvas = document.createElement('canvas');
    canvas.id = 'c';
    canvas.style.width = `${opts.width}px`;
    canvas.style.height = `${opts.height}px`;
    stage.append(canvas);
    renderer = await createRenderer(canvas, { backend: opts.backend, worker: opts.worker });
    await renderer.resize(opts.width, opts.height, opts.dpr ?? 1);
    return { backend: renderer.backend, inWorker: renderer.inWorker, glRenderer: renderer.glRenderer };
  },

  /** Downloads a fixture mesh once (the "warm cache" of the data layer); returns its size in bytes. */
  async fetchMesh(name: string): Promise<number> {
    if (!meshBytes.has(name)) meshBytes.set(name, await (await fetchOk(`/fixtures/mesh/${name}.bin`)).arrayBuffer());
    return meshBytes.get(name)!.byteLength;
  },

  async loadMesh(key: string, name: string) {
    await harness.fetchMesh(name);
    return need().loadMesh(key, meshBytes.get(name)!);
  },

  async fetchPhoto(path: string): Promise<void> {
    if (!photoBlobs.has(path)) photoBlobs.set(path, await (await fetchOk(`/fixtures/legacy/${path}`)).blob());
  },

  async setPhoto(path: string | null): Promise<void> {
    if (path === null) return need().setPhoto(null);
    await harness.fetchPhoto(path);
    const bitmap = await createImageBitmap(photoBlobs.get(path)!);
    await need().setPhoto(bitmap);
    bitmap.close();
  },

  async render(scene: SceneState): Promise<FrameStats> {
    const stats = await need().render(scene);
    // Let the compositor pick the frame up before anyone takes a screenshot.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return stats;
  },

  /** `n` pose changes as a drag would make them, each awaited before the next. */
  async runPoses(scene: SceneState, n: number): Promise<PoseRun> {
    const r = need();
    const out: PoseRun = { times: [], frameMs: [], drawn: [] };
    const p0 = scene.pose;
    for (let i = 0; i < n; i++) {
      const pose: PoseJson = {
        ...p0,
        azimuth: p0.azimuth + 1.7 * i,
        elevation: p0.elevation + 8 * Math.sin(i / 7),
        theta: p0.theta + 3 * Math.sin(i / 11),
        distance: p0.distance * (1 + 0.05 * Math.sin(i / 13)),
      };
      const t0 = performance.now();
      const stats = await r.render({ ...scene, pose });
      out.times.push(performance.now() - t0);
      out.frameMs.push(stats.frameMs);
      out.drawn.push(stats.drawn);
    }
    return out;
  },

  /**
   * Opening the next question with everything cached locally: decode the photo, hand it over,
   * decode the mesh (under a fresh key, so it really is decoded) and draw the first frame. With
   * `decode` false the mesh is one the renderer already holds, as for consecutive questions of a
   * task that use the same CAD subtype.
   */
  async runOpen(scene: SceneState, meshName: string, photoPath: string, n: number, decode = true): Promise<OpenRun> {
    const r = need();
    await harness.fetchMesh(meshName);
    await harness.fetchPhoto(photoPath);
    const out: OpenRun = { times: [], photoMs: [], meshMs: [], frameMs: [] };
    for (let i = 0; i < n; i++) {
      // A fresh key forces a decode; without `decode` the mesh is already loaded (same subtype as before).
      const key = decode ? `${meshName}#open${i}#${Math.random()}` : meshName;
      const t0 = performance.now();
      const bitmap = await createImageBitmap(photoBlobs.get(photoPath)!);
      await r.setPhoto(bitmap);
      const t1 = performance.now();
      if (decode) {
        const loaded = await r.loadMesh(key, meshBytes.get(meshName)!);
        if (!loaded.ok) throw new Error(loaded.error);
      }
      const t2 = performance.now();
      await r.render({ ...scene, meshKey: key, interacting: false });
      const t3 = performance.now();
      out.times.push(t3 - t0);
      out.photoMs.push(t1 - t0);
      out.meshMs.push(t2 - t1);
      out.frameMs.push(t3 - t2);
      bitmap.close();
    }
    return out;
  },

  /**
   * `n` pose changes as in runPoses, while the subtype gallery redraws `keys` at each pose (the
   * previous run cancelled, as the gallery does): how much the gallery delays the overlay.
   */
  async runPosesWithGallery(scene: SceneState, n: number, keys: string[], size: number): Promise<PoseRun> {
    const r = need();
    const out: PoseRun = { times: [], frameMs: [], drawn: [] };
    const p0 = scene.pose;
    const gallery: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const pose: PoseJson = { ...p0, azimuth: p0.azimuth + 1.7 * i, elevation: p0.elevation + 8 * Math.sin(i / 7) };
      r.cancelThumbnails?.();
      gallery.push(r.thumbnails(keys, pose, size).then((bs) => bs.forEach((b) => b.close())));
      const t0 = performance.now();
      const stats = await r.render({ ...scene, pose });
      out.times.push(performance.now() - t0);
      out.frameMs.push(stats.frameMs);
      out.drawn.push(stats.drawn);
    }
    await Promise.all(gallery);
    return out;
  },

  /**
   * Thumbnails asked for, then at once an overlay frame (and, with `cancel`, a cancel): which
   * settled first, and how many bitmaps the thumbnails call gave.
   */
  async galleryVersusFrame(scene: SceneState, keys: string[], size: number, cancel: boolean) {
    const r = need();
    const order: string[] = [];
    const thumbs = r.thumbnails(keys, scene.pose, size).then((bs) => {
      order.push('thumbnails');
      bs.forEach((b) => b.close());
      return bs.length;
    });
    if (cancel) r.cancelThumbnails?.();
    await r.render(scene).then(() => order.push('frame'));
    return { order, bitmaps: await thumbs };
  },

  /**
   * Decodes fixture mesh `name` in format `version` in a fresh worker: its first decode (cold: for
   * version 2 that starts the WASM decoder) and `runs` more. Version 3 is version 2 wrapped here, on
   * the page, as a device does when it stores a mesh: `packMs` is that step (0 for the others).
   */
  async decodeInWorker(name: string, version: 1 | 2 | 3, runs: number): Promise<{ firstMs: number; times: number[]; packMs: number; longestMs: number; bytes: number }> {
    let bytes = await (await fetchOk(`/fixtures/mesh/${name}.bin?v=${version === 1 ? 1 : 2}`)).arrayBuffer();
    let packMs = 0, longestMs = 0;
    if (version === 3) {
      // In pieces with a task between them, as the catalogue does; longestMs is the longest stretch between yields.
      let last = performance.now();
      const between = async () => {
        longestMs = Math.max(longestMs, performance.now() - last);
        await new Promise<void>((resolve) => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => (ch.port1.close(), resolve());
          ch.port2.postMessage(null);
        });
        last = performance.now();
      };
      const t0 = performance.now();
      bytes = (await packMesh(new Uint8Array(bytes), between)).buffer as ArrayBuffer;
      packMs = performance.now() - t0;
      longestMs = Math.max(longestMs, performance.now() - last);
    }
    const size = bytes.byteLength;
    const worker = new Worker(new URL('./decode-worker.ts', import.meta.url), { type: 'module' });
    try {
      const r = await new Promise<{ firstMs: number; times: number[] }>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<{ firstMs: number; times: number[] } | { error: string }>) =>
          'error' in e.data ? reject(new Error(`${name} v${version}: ${e.data.error}`)) : resolve(e.data);
        worker.onerror = (e) => reject(new Error(`${name} v${version}: ${e.message}`));
        worker.postMessage({ bytes, runs }, [bytes]);
      });
      return { ...r, packMs, longestMs, bytes: size };
    } finally {
      worker.terminate();
    }
  },

  /** Thumbnails, summarised: per bitmap its size and how many pixels are opaque. */
  async thumbnails(keys: string[], pose: PoseJson, size: number) {
    const bitmaps = await need().thumbnails(keys, pose, size);
    return bitmaps.map((b) => {
      const ctx = canvas2d(b.width, b.height);
      ctx.drawImage(b, 0, 0);
      const px = ctx.getImageData(0, 0, b.width, b.height).data;
      let opaque = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i]! > 128) opaque++;
      return { width: b.width, height: b.height, opaque };
    });
  },

  /** RGBA bytes (base64) of a PNG, e.g. a Playwright screenshot of the canvas. */
  async pngPixels(pngBase64: string): Promise<{ width: number; height: number; rgba: string }> {
    const bytes = Uint8Array.from(atob(pngBase64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const ctx = canvas2d(bitmap.width, bitmap.height);
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let s = '';
    for (let i = 0; i < data.length; i += 0x8000) s += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return { width: bitmap.width, height: bitmap.height, rgba: btoa(s) };
  },

  async dispose(): Promise<void> {
    await renderer?.dispose();
    renderer = null;
  },
};

export type Harness = typeof harness;

(window as unknown as { harness: Harness }).harness = harness;
