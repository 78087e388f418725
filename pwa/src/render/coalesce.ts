// Pointer moves arrive faster than a big mesh renders. Queueing every scene would make the overlay
// lag further behind the hand the longer a drag lasts, so only the newest waiting scene is drawn;
// the callers it replaced get that frame's result.

export function latestOnly<A, R>(run: (arg: A) => Promise<R>): (arg: A) => Promise<R> {
  let busy = false;
  let waiting: { arg: A; settle: Array<{ resolve: (r: R) => void; reject: (e: unknown) => void }> } | null = null;

  function start(arg: A): Promise<R> {
    busy = true;
    const p = run(arg);
    const next = () => {
      busy = false;
      const w = waiting;
      waiting = null;
      if (w) start(w.arg).then((r) => w.settle.forEach((s) => s.resolve(r)), (e) => w.settle.forEach((s) => s.reject(e)));
    };
    p.then(next, next);
    return p;
  }

  return (arg: A) => {
    if (!busy) return start(arg);
    return new Promise<R>((resolve, reject) => {
      if (waiting) waiting.arg = arg;
      else waiting = { arg, settle: [] };
      waiting.settle.push({ resolve, reject });
    });
  };
}
