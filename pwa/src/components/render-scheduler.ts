// At most one frame in flight and one queued: pose changes faster than the renderer can draw collapse
// into "draw the latest", so a slow frame never builds a backlog behind the pointer.
import type { FrameStats, Renderer, SceneState } from '../render/contract';

export interface RenderScheduler {
  request(): void;
  stop(): void;
}

export function createRenderScheduler(renderer: Renderer, scene: () => SceneState | null, onFrame: (s: FrameStats, scene: SceneState) => void): RenderScheduler {
  let inFlight = false;
  let wanted = false;
  let raf = 0;
  let stopped = false;

  const run = async () => {
    raf = 0;
    if (!wanted || stopped) return;
    wanted = false;
    const s = scene();
    if (!s) return;
    inFlight = true;
    try {
      const stats = await renderer.render(s);
      if (!stopped) onFrame(stats, s);
    } catch {
      // a frame lost to a disposed renderer is not an error worth showing
    } finally {
      inFlight = false;
      if (wanted && !stopped) raf = requestAnimationFrame(() => void run());
    }
  };

  return {
    request() {
      wanted = true;
      if (!inFlight && !raf && !stopped) raf = requestAnimationFrame(() => void run());
    },
    stop() {
      stopped = true;
      if (raf) cancelAnimationFrame(raf);
    },
  };
}
