import { describe, expect, it } from 'vitest';
import type { FrameStats, Renderer, SceneState } from '../src/render/contract';
import { createRenderScheduler } from '../src/components/render-scheduler';

/** A renderer whose frames finish only when the test says so. */
function slowRenderer() {
  const calls: SceneState[] = [];
  const finish: (() => void)[] = [];
  const r = {
    render: (s: SceneState) =>
      new Promise<FrameStats>((done) => {
        calls.push(s);
        finish.push(() => done({ frameMs: 1, drawn: 1, backend: 'cpu' }));
      }),
  } as unknown as Renderer;
  return { r, calls, finish };
}

const scene = (azimuth: number) => ({ pose: { azimuth } }) as unknown as SceneState;
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('render scheduler', () => {
  it('keeps one frame in flight and draws only the latest scene after it', async () => {
    const { r, calls, finish } = slowRenderer();
    let current = scene(0);
    const drawn: number[] = [];
    const s = createRenderScheduler(r, () => current, (_st, sc) => drawn.push(sc.pose.azimuth));
    s.request();
    await tick();
    expect(calls).toHaveLength(1);
    for (let az = 1; az <= 20; az++) {
      current = scene(az);
      s.request();
    }
    await tick();
    expect(calls).toHaveLength(1); // still busy with the first frame
    finish[0]!();
    await tick();
    expect(calls.map((c) => c.pose.azimuth)).toEqual([0, 20]);
    finish[1]!();
    await tick();
    expect(drawn).toEqual([0, 20]);
    s.stop();
  });

  it('sends a request with nothing in flight at once, from the same task (no microtask, no frame wait)', () => {
    const { r, calls } = slowRenderer();
    const s = createRenderScheduler(r, () => scene(7), () => undefined);
    s.request();
    expect(calls.map((c) => c.pose.azimuth)).toEqual([7]);
    s.stop();
  });

  it('merges requests made while a frame is in flight, draws nothing while the scene is not ready, and stops', async () => {
    const { r, calls, finish } = slowRenderer();
    let ready = false;
    let az = 5;
    const s = createRenderScheduler(r, () => (ready ? scene(az) : null), () => undefined);
    s.request();
    s.request();
    await tick();
    expect(calls).toHaveLength(0);
    ready = true;
    s.request();
    az = 6;
    s.request();
    az = 7;
    s.request();
    expect(calls.map((c) => c.pose.azimuth)).toEqual([5]);
    finish[0]!();
    await tick();
    // The newer poses never wait behind more than the frame in flight: the latest goes next.
    expect(calls.map((c) => c.pose.azimuth)).toEqual([5, 7]);
    s.stop();
    finish[1]!();
    s.request();
    await tick();
    expect(calls).toHaveLength(2);
  });
});
