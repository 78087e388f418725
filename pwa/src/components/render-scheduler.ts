// At most one frame in flight and one queued: pose changes faster than the renderer can draw collapse
// into "draw the latest", so a slow frame never builds a backlog behind the pointer. No waiting for
// requestAnimationFrame: the renderer (a worker) presents on its own, and a rAF hop here added up to a
// whole display frame to every key press. A microtask still merges changes made in the same task.
import type { FrameStats, Renderer, SceneState } from '../render/contract';
import { reportError } from '../app/report-error';

export interface RenderScheduler {
  request(): void;
  stop(): void;
}

export function createRenderScheduler(renderer: Renderer, scene: () => SceneState | null, onFrame: (s: FrameStats, scene: SceneState, calledAt: number) => void): RenderScheduler {
  let inFlight = false;
  let wanted = false;
  let queued = false;
  let stopped = false;

  const run = async () => {
    queued = false;
    if (!wanted || stopped) return;
    wanted = false;
    const s = scene();
    if (!s) return;
    inFlight = true;
    const calledAt = performance.now();
    try {
      const stats = await renderer.render(s);
      if (!stopped) onFrame(stats, s, calledAt);
    } catch (err) {
      // A frame lost to a renderer being disposed is expected; any other failure is reported.
      if (!stopped) reportError('render a frame', err);
    } finally {
      inFlight = false;
      if (wanted && !stopped) schedule();
    }
  };

  function schedule() {
    if (queued || inFlight || stopped) return;
    queued = true;
    queueMicrotask(() => void run());
  }

  return {
    request() {
      wanted = true;
      schedule();
    },
    stop() {
      stopped = true;
    },
  };
}
