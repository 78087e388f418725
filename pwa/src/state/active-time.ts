// Idle-aware time on a question. Time counts while the page is visible and the annotator touched the
// page within the last `idleMs` (looking at the photo between clicks is work; a coffee break is not).
// Pure and clock-injected so the rules are testable; the DOM wiring is in use-active-time.ts.

export interface ActiveTimer {
  /** Any input: pointer, key, wheel. */
  activity(): void;
  setVisible(visible: boolean): void;
  /** Active milliseconds so far. */
  elapsed(): number;
  /** Starts over from `ms` (e.g. the time already stored with the annotation). */
  reset(ms?: number): void;
}

export const IDLE_MS = 30_000;

export function createActiveTimer(opts: { idleMs?: number; now?: () => number; visible?: boolean } = {}): ActiveTimer {
  const idleMs = opts.idleMs ?? IDLE_MS;
  const now = opts.now ?? (() => performance.now());
  let accrued = 0;
  let visible = opts.visible ?? true;
  /** Start of the running active stretch, or null when paused. */
  let segmentStart: number | null = null;
  let lastActivity = 0;

  const segmentEnd = (t: number) => Math.min(t, lastActivity + idleMs);
  const close = (t: number) => {
    if (segmentStart !== null) accrued += Math.max(0, segmentEnd(t) - segmentStart);
    segmentStart = null;
  };

  const timer: ActiveTimer = {
    activity() {
      const t = now();
      if (!visible) return;
      if (segmentStart !== null && t > lastActivity + idleMs) close(t);
      if (segmentStart === null) segmentStart = t;
      lastActivity = t;
    },
    setVisible(v) {
      const t = now();
      if (v === visible) return;
      if (!v) close(t);
      visible = v;
      if (v) timer.activity();
    },
    elapsed() {
      const t = now();
      return accrued + (segmentStart === null ? 0 : Math.max(0, segmentEnd(t) - segmentStart));
    },
    reset(ms = 0) {
      accrued = ms;
      segmentStart = null;
      if (visible) timer.activity();
    },
  };
  return timer;
}
