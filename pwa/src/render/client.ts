// Where the renderer runs. Normally in a module worker that owns the canvas (transferred as an
// OffscreenCanvas), so a heavy frame never blocks input; in browsers without OffscreenCanvas, or
// with it but without WebGL in workers where the main thread has WebGL, the same engine runs here.
import { releaseProxy, transfer, wrap, type Remote } from 'comlink';
import type { Renderer, RendererBackend } from './contract';
import { latestOnly } from './coalesce';
import type { InitResult } from './worker/engine';
import type { RendererApi } from './worker/index';

export interface CreateRendererOptions {
  /** 'auto' (default): WebGL on a real GPU, the CPU rasterizer with software WebGL or none. */
  backend?: 'auto' | RendererBackend;
  /** false forces the main-thread path (tests, debugging). */
  worker?: boolean;
}

/** What `createRenderer` resolves to: the contract plus where it ended up, for diagnostics. */
export interface RendererHandle extends Renderer {
  readonly inWorker: boolean;
  /** The WebGL renderer string seen when choosing the backend ('' without WebGL). */
  readonly glRenderer: string;
}

const WORKER_START_TIMEOUT_MS = 10_000;

export async function createRenderer(canvas: HTMLCanvasElement, opts: CreateRendererOptions = {}): Promise<RendererHandle> {
  const backend = opts.backend ?? 'auto';
  if (opts.worker !== false && workerCanDraw(canvas, backend)) {
    const worker = await startWorker();
    if (worker) return inWorker(canvas, worker, backend);
  }
  return onMainThread(canvas, backend);
}

function workerCanDraw(canvas: HTMLCanvasElement, backend: CreateRendererOptions['backend']): boolean {
  if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined' || !('transferControlToOffscreen' in canvas)) return false;
  if (backend === 'cpu') return true;
  // OffscreenCanvas without WebGL (older Safari): a GPU on the main thread beats the CPU in a worker.
  return hasWebgl2(() => new OffscreenCanvas(1, 1)) || !hasWebgl2(() => document.createElement('canvas'));
}

function hasWebgl2(make: () => OffscreenCanvas | HTMLCanvasElement): boolean {
  try {
    const gl = make().getContext('webgl2') as WebGL2RenderingContext | null;
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return gl !== null;
  } catch {
    // A browser that throws here instead of answering null has no WebGL2: that is the answer sought.
    return false;
  }
}

/** The worker, once its module has loaded; null if it cannot start (the canvas is still ours then). */
async function startWorker(): Promise<{ worker: Worker; api: Remote<RendererApi> } | null> {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./worker/index.ts', import.meta.url), { type: 'module', name: 'render' });
  } catch {
    // No module workers here (an old browser, a strict CSP): drawing on the main thread is the designed fallback.
    return null;
  }
  const api = wrap<RendererApi>(worker);
  const failed = new Promise<false>((resolve) => {
    worker.addEventListener('error', () => resolve(false), { once: true });
    setTimeout(() => resolve(false), WORKER_START_TIMEOUT_MS);
  });
  // A worker that cannot answer its first ping is the same fallback as one that cannot start.
  const ok = await Promise.race([api.ping(), failed]).catch(() => false);
  if (ok) return { worker, api };
  api[releaseProxy]();
  worker.terminate();
  return null;
}

async function inWorker(canvas: HTMLCanvasElement, w: { worker: Worker; api: Remote<RendererApi> }, backend: CreateRendererOptions['backend']): Promise<RendererHandle> {
  const { worker, api } = w;
  const offscreen = canvas.transferControlToOffscreen();
  const res: InitResult = await api.init(transfer(offscreen, [offscreen]), { backend });
  if (!res.ok) {
    worker.terminate();
    throw new Error(`renderer: ${res.error}`);
  }
  return {
    backend: res.backend,
    inWorker: true,
    glRenderer: res.glRenderer,
    resize: (w, h, dpr) => api.resize(w, h, dpr),
    // Copied, not transferred: the page keeps its bitmap and may close it once this resolves.
    setPhoto: (photo) => api.setPhoto(photo),
    // Copied too: the data layer may keep the bytes in a cache.
    loadMesh: (key, bytes) => api.loadMesh(key, bytes),
    hasMesh: (key) => api.hasMesh(key),
    render: latestOnly((scene) => api.render(scene)),
    thumbnails: (keys, pose, size) => api.thumbnails(keys, pose, size),
    // Fire and forget: the worker takes it before its next thumbnail. It can only fail with the worker
    // gone, and then the thumbnails it would stop fail by themselves.
    cancelThumbnails: () => void api.cancelThumbnails().catch(() => undefined),
    async dispose() {
      // The worker is terminated next whatever it answers: a failed goodbye loses nothing.
      await api.dispose().catch(() => undefined);
      api[releaseProxy]();
      worker.terminate();
    },
  };
}

async function onMainThread(canvas: HTMLCanvasElement, backend: CreateRendererOptions['backend']): Promise<RendererHandle> {
  // Loaded only where workers cannot draw: most devices never download it (vite.config.ts keeps it out of the precache).
  const { createEngine } = await import('./worker/engine');
  const engine = createEngine();
  // The engine draws through the API a canvas element shares with OffscreenCanvas (getContext, size).
  const res = await engine.init(canvas as unknown as OffscreenCanvas, { backend });
  if (!res.ok) throw new Error(`renderer: ${res.error}`);
  // The worker applies calls in order; here the copy is async, so a frame waits for the photo before it.
  let photoSet: Promise<void> = Promise.resolve();
  return {
    backend: res.backend,
    inWorker: false,
    glRenderer: res.glRenderer,
    resize: async (w, h, dpr) => engine.resize(w, h, dpr),
    // A copy, as the worker gets: the page may close its bitmap as soon as this resolves.
    setPhoto: (photo) => (photoSet = (async () => engine.setPhoto(photo ? await createImageBitmap(photo) : null)?.close())()),
    loadMesh: async (key, bytes) => engine.loadMesh(key, bytes),
    hasMesh: async (key) => engine.hasMesh(key),
    // A failed copy reached setPhoto's caller; the frame still draws (with the photo before it).
    render: async (scene) => (await photoSet.catch(() => undefined), engine.render(scene)),
    thumbnails: (keys, pose, size) => engine.thumbnails(keys, pose, size),
    cancelThumbnails: () => engine.cancelThumbnails(),
    dispose: async () => engine.dispose(),
  };
}
