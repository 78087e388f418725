// Which backend to use. A GPU draws any of our meshes in a millisecond, but software WebGL (what a
// browser falls back to without a usable GPU, and what headless Chromium runs) emulates the whole
// pipeline on the CPU and is several times slower than our own rasterizer, so it gets the CPU path.
import type { RendererBackend } from '../contract';

export type BackendRequest = 'auto' | RendererBackend;

export interface GlProbe {
  available: boolean;
  /** The unmasked renderer string when the browser tells it, else the masked one. */
  renderer: string;
  software: boolean;
}

const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen|apple software/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_GL.test(renderer);
}

type ProbeCanvas = { getContext(id: 'webgl2'): WebGL2RenderingContext | null };

/**
 * Opens a throwaway WebGL 2 context (three.js needs 2), never on the real canvas: a canvas keeps the
 * first context type it hands out.
 */
export function probeWebgl(): GlProbe {
  const none: GlProbe = { available: false, renderer: '', software: false };
  let canvas: ProbeCanvas | undefined;
  try {
    if (typeof OffscreenCanvas !== 'undefined') canvas = new OffscreenCanvas(1, 1);
    else {
      // Main-thread fallback in an old browser; `document` is not in the worker's type realm.
      const doc = (globalThis as { document?: { createElement(tag: 'canvas'): ProbeCanvas } }).document;
      canvas = doc?.createElement('canvas');
    }
    const gl = canvas?.getContext('webgl2') ?? null;
    if (!gl) return none;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { available: true, renderer, software: isSoftwareRenderer(renderer) };
  } catch {
    return none;
  }
}

export function chooseBackend(request: BackendRequest, probe: GlProbe): RendererBackend {
  if (request === 'cpu') return 'cpu';
  if (request === 'webgl') return probe.available ? 'webgl' : 'cpu';
  return probe.available && !probe.software ? 'webgl' : 'cpu';
}
