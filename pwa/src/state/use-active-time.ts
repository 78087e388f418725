// Binds the active-time tracker to the page: input events keep it running, a hidden page pauses it,
// and `tick` runs once a second (the controller updates the figure shown; only that text re-renders).
import { useEffect } from 'preact/hooks';
import type { ActiveTimer } from './active-time';

const EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

export function useActiveTime(timer: ActiveTimer, tick: () => void): void {
  useEffect(() => {
    const onActivity = () => timer.activity();
    const onVisibility = () => timer.setVisible(document.visibilityState === 'visible');
    onVisibility();
    for (const ev of EVENTS) window.addEventListener(ev, onActivity, { passive: true, capture: true });
    document.addEventListener('visibilitychange', onVisibility);
    const every = setInterval(tick, 1000);
    return () => {
      for (const ev of EVENTS) window.removeEventListener(ev, onActivity, { capture: true });
      document.removeEventListener('visibilitychange', onVisibility);
      clearInterval(every);
    };
  }, [timer]);
}
