// When to sync (SPEC R18): on start, on `online`, on becoming visible, shortly after a save, and
// periodically. Never through a Workbox request queue (it drops entries after 7 days and counts 5xx as sent).
import { browserDocument, browserNavigator, browserWindow } from './env';

export interface TriggerOptions {
  /** Runs one sync; it coalesces overlapping calls itself. */
  sync(reason: string): void;
  onOnlineChange(online: boolean): void;
  periodicMs: number;
}

/** Wires the browser events and the timer; answers a function that unwires them. */
export function startTriggers(opts: TriggerOptions): () => void {
  const win = browserWindow();
  const doc = browserDocument();
  const online = () => {
    opts.onOnlineChange(true);
    opts.sync('online');
  };
  const offline = () => opts.onOnlineChange(false);
  const visible = () => {
    if (doc?.visibilityState === 'visible') opts.sync('visible');
  };
  win?.addEventListener('online', online);
  win?.addEventListener('offline', offline);
  doc?.addEventListener('visibilitychange', visible);
  const timer = setInterval(() => opts.sync('periodic'), opts.periodicMs);
  opts.sync('start');
  return () => {
    win?.removeEventListener('online', online);
    win?.removeEventListener('offline', offline);
    doc?.removeEventListener('visibilitychange', visible);
    clearInterval(timer);
  };
}

/** One tab syncs at a time (Web Locks); where the API is missing the work runs directly. */
export function withSyncLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = browserNavigator()?.locks;
  return locks ? locks.request(name, () => fn()) : fn();
}

/** Calls `fn` once, `ms` after the last of a burst of calls. */
export function debounce(fn: () => void, ms: number): { call(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    call() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        fn();
      }, ms);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
