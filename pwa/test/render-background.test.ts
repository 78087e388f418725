// Gallery thumbnails are background work: one item per task, so a frame asked for meanwhile is drawn
// before the next thumbnail, and a cancel stops the run at its next yield.
import { describe, expect, it } from 'vitest';
import { eachInBackground } from '../src/render/worker/background';

const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));

describe('background work', () => {
  it('lets work queued meanwhile run between items', async () => {
    const log: string[] = [];
    const run = eachInBackground(['a', 'b', 'c'], (x) => {
      log.push(x);
      // An overlay frame asked for while a thumbnail is drawn.
      if (x === 'a') setTimeout(() => log.push('frame'), 0);
      return x.toUpperCase();
    }, () => false, undefined, nextTask);
    expect(await run).toEqual(['A', 'B', 'C']);
    expect(log).toEqual(['a', 'frame', 'b', 'c']);
  });

  it('stops at the next yield once cancelled and hands over what it made', async () => {
    let cancelled = false;
    const made: number[] = [];
    const dropped: number[][] = [];
    const run = eachInBackground([1, 2, 3, 4], (n) => {
      made.push(n);
      if (n === 2) cancelled = true;
      return n * 10;
    }, () => cancelled, (done) => dropped.push(done), nextTask);
    expect(await run).toBeNull();
    expect(made).toEqual([1, 2]);
    expect(dropped).toEqual([[10, 20]]);
  });

  it('yields before the first item too, so a cancel sent with the request wins', async () => {
    let cancelled = false;
    const run = eachInBackground([1], (n) => n, () => cancelled, undefined, nextTask);
    cancelled = true;
    expect(await run).toBeNull();
  });
});
