// Work that must never hold up an overlay frame (the subtype gallery's thumbnails): one item per task
// at the lowest priority, so a render message that arrives meanwhile is handled first, and a cancel
// stops it between items.

type PostTask = (cb: () => void, o: { priority: 'background' }) => Promise<void>;

/** Resolves in a later task, after any pending messages (postTask 'background' where the browser has it). */
export function backgroundYield(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { postTask?: PostTask } }).scheduler;
  if (scheduler?.postTask) return scheduler.postTask(() => undefined, { priority: 'background' });
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * `work` for each item in order, yielding before each; null as soon as `cancelled()` is true at a
 * yield (the results made so far go to `drop`, e.g. to close bitmaps).
 */
export async function eachInBackground<T, R>(
  items: readonly T[],
  work: (item: T) => R | Promise<R>,
  cancelled: () => boolean,
  drop: (done: R[]) => void = () => undefined,
  yieldNow: () => Promise<void> = backgroundYield,
): Promise<R[] | null> {
  const done: R[] = [];
  for (const item of items) {
    await yieldNow();
    if (cancelled()) {
      drop(done);
      return null;
    }
    done.push(await work(item));
  }
  return done;
}
