// Long synchronous walks on the server's one thread (an export of every question: SQLite through
// better-sqlite3 and file writes are synchronous, and awaiting them never leaves the microtask queue)
// would hold every other request until they end: an npz export of 7,500 answers kept /api/health, and
// every annotator's sync push, waiting 12 s. They call a pacer's function once per item instead.

/** The next turn of the event loop: timers and I/O (other requests) run before it resolves. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A function to await once per item of a long loop: it lets the event loop turn when `ms` have passed
 * since the last turn, and costs a microtask otherwise.
 */
/** How long a pacer lets a loop run between turns; a test sets 0 so every item turns, whatever the machine's speed. */
export const PACE = { ms: 20 };

export function pacer(ms = PACE.ms): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < ms) return;
    await nextTurn();
    last = performance.now();
  };
}
