// Work that must never hold up an overlay frame (the subtype gallery's thumbnails): at the lowest
// priority, yielding before each item and, within an item given in steps, whenever a slice of
// SLICE_MS is spent, so a render message that arrives meanwhile waits for one step at most; a cancel
// stops it at its next yield.
import { nextTask } from '@in3d/shared/next-task';

/** The longest run between two yields, ms (plus one step): what an overlay frame may wait behind it. */
export const SLICE_MS = 1;

/** Resolves in a later task, after any pending messages (postTask 'background' where the browser has it). */
export const backgroundYield = (): Promise<void> => nextTask('background');

/**
 * `work` for each item in order, each run in its steps (a generator's yields); null as soon as
 * `cancelled()` is true at a yield.
 */
export async function eachInBackground<T, R>(
  items: readonly T[],
  work: (item: T) => Iterator<void, R>,
  cancelled: () => boolean,
  yieldNow: () => Promise<void> = backgroundYield,
  now: () => number = () => performance.now(),
): Promise<R[] | null> {
  const done: R[] = [];
  for (const item of items) {
    await yieldNow();
    if (cancelled()) return null;
    let slice = now();
    const steps = work(item);
    for (;;) {
      const r = steps.next();
      if (r.done) {
        done.push(r.value);
        break;
      }
      if (now() - slice < SLICE_MS) continue;
      await yieldNow();
      if (cancelled()) return null;
      slice = now();
    }
  }
  return done;
}
