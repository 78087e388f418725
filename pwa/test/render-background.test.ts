// Gallery thumbnails are background work: they yield before each thumbnail and within one whenever a
// slice is spent, so a frame asked for meanwhile is drawn before the next step, and a cancel stops the
// run at its next yield.
import { describe, expect, it } from 'vitest';
import { eachInBackground, SLICE_MS } from '../src/render/worker/background';

/** Work of one step per item: its value. */
function* one<T>(x: T): Generator<void, T> {
  return x;
}

const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));

describe('background work', () => {
  it('lets work queued meanwhile run between items', async () => {
    const log: string[] = [];
    const run = eachInBackground(['a', 'b', 'c'], (x) => {
      log.push(x);
      // An overlay frame asked for while a thumbnail is drawn.
      if (x === 'a') setTimeout(() => log.push('frame'), 0);
      return one(x.toUpperCase());
    }, () => false, nextTask);
    expect(await run).toEqual(['A', 'B', 'C']);
    expect(log).toEqual(['a', 'frame', 'b', 'c']);
  });

  it('stops at the next yield once cancelled', async () => {
    let cancelled = false;
    const made: number[] = [];
    const run = eachInBackground([1, 2, 3, 4], (n) => {
      made.push(n);
      if (n === 2) cancelled = true;
      return one(n * 10);
    }, () => cancelled, nextTask);
    expect(await run).toBeNull();
    expect(made).toEqual([1, 2]);
  });

  it('within one item, yields as soon as a slice is spent, so a frame waits for one step at most', async () => {
    let clock = 0;
    const log: string[] = [];
    function* long(): Generator<void, string> {
      for (let i = 0; i < 6; i++) {
        log.push(`step${i}`);
        // A frame asked for during the first step.
        if (i === 0) setTimeout(() => log.push('frame'), 0);
        clock += SLICE_MS * 0.6;
        yield;
      }
      return 'done';
    }
    expect(await eachInBackground(['x'], long, () => false, nextTask, () => clock)).toEqual(['done']);
    // 0.6 of a slice a step: a yield after every second step, and the frame at the first of them.
    expect(log).toEqual(['step0', 'step1', 'frame', 'step2', 'step3', 'step4', 'step5']);
  });

  it('a cancel sent while an item is halfway stops it at its next yield', async () => {
    let clock = 0;
    let cancelled = false;
    const steps: number[] = [];
    function* long(): Generator<void, number> {
      for (let i = 0; i < 10; i++) {
        steps.push(i);
        if (i === 2) cancelled = true;
        clock += SLICE_MS;
        yield;
      }
      return 1;
    }
    expect(await eachInBackground([0], long, () => cancelled, nextTask, () => clock)).toBeNull();
    expect(steps).toEqual([0, 1, 2]);
  });

  it('yields before the first item too, so a cancel sent with the request wins', async () => {
    let cancelled = false;
    const run = eachInBackground([1], one, () => cancelled, nextTask);
    cancelled = true;
    expect(await run).toBeNull();
  });
});
