// An admin page that shows what annotators are doing keeps itself current: `load` runs at mount, every
// REFRESH_MS while the tab is visible, and when the tab is shown again, so counts follow saves without a
// reload. A failed refresh goes to `onError`; the page keeps what it last showed.
import { useEffect } from 'preact/hooks';

/** /api/admin/stats takes 20-60 ms over 15k questions (qa4-findings); 15 s keeps a watching admin current. */
export const REFRESH_MS = 15_000;

export function useRefresh<T>(load: () => Promise<T>, onData: (data: T) => void, onError: (e: unknown) => void): void {
  useEffect(() => {
    let live = true;
    const refresh = () => load().then((d) => live && onData(d), (e: unknown) => live && onError(e));
    refresh();
    const timer = setInterval(() => document.visibilityState === 'visible' && refresh(), REFRESH_MS);
    const shown = () => document.visibilityState === 'visible' && refresh();
    document.addEventListener('visibilitychange', shown);
    return () => {
      live = false;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', shown);
    };
  }, []);
}
