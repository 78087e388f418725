import { describe, expect, it } from 'vitest';
import { createActiveTimer } from '../src/state/active-time';

function clock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('active time tracker', () => {
  it('counts time between inputs', () => {
    const c = clock();
    const timer = createActiveTimer({ now: c.now, idleMs: 30_000 });
    timer.reset();
    for (let i = 0; i < 10; i++) {
      c.advance(1000);
      timer.activity();
    }
    expect(timer.elapsed()).toBe(10_000);
  });

  it('stops counting 30 s after the last input and resumes on the next', () => {
    const c = clock();
    const timer = createActiveTimer({ now: c.now, idleMs: 30_000 });
    timer.reset();
    c.advance(5000);
    timer.activity();
    c.advance(10 * 60_000); // ten minutes away
    expect(timer.elapsed()).toBe(35_000);
    timer.activity();
    c.advance(2000);
    expect(timer.elapsed()).toBe(37_000);
  });

  it('pauses while the page is hidden', () => {
    const c = clock();
    const timer = createActiveTimer({ now: c.now, idleMs: 30_000 });
    timer.reset();
    c.advance(3000);
    timer.setVisible(false);
    c.advance(20_000);
    timer.activity(); // events while hidden do not count
    c.advance(5000);
    expect(timer.elapsed()).toBe(3000);
    timer.setVisible(true);
    c.advance(4000);
    expect(timer.elapsed()).toBe(7000);
  });

  it('starts from the time already stored', () => {
    const c = clock();
    const timer = createActiveTimer({ now: c.now });
    timer.reset(60_000);
    c.advance(1500);
    expect(timer.elapsed()).toBe(61_500);
  });
});
