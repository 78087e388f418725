// At most one frame in flight and one queued: pose changes faster than the renderer can draw collapse
// into "draw the latest", so a slow frame never builds a backlog behind the pointer. A request with
// nothing in flight goes to the renderer at once, from the input's own task: a microtask here put the
// frame behind the rest of the task (the undo history written to IndexedDB, re-renders), and a rAF hop
// added up to a whole display frame. Requests while a frame is in flight merge into one frame after it.
import type { FrameStats, Renderer, SceneState } from '../render/contract';
import { reportError } from '../app/report-error';

export interface RenderScheduler {
  request(): void;
  stop(): void;
}

export function createRenderScheduler(renderer: Renderer, scene: () => SceneState | null, onFrame: (s: FrameStats, scene: SceneState, calledAt: number) => void): RenderScheduler {
  let inFlight = false;
  let wanted = false;
  let stopped = false;

  const run = async () => {
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
      // The newest scene asked for meanwhile goes as soon as the renderer is free.
      if (wanted && !stopped) void run();
    }
  };

  return {
    request() {
      wanted = true;
      if (!inFlight) void run();
    },
    stop() {
      stopped = true;
    },
  };
}
