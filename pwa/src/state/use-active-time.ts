// Binds the active-time tracker to the page: input events keep it running, a hidden page pauses it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { createActiveTimer, type ActiveTimer } from './active-time';

const EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/** A fresh timer per question (`key`), starting from `startMs`; `display` ticks once a second. */
export function useActiveTime(key: string | null, startMs: number): { timer: ActiveTimer; display: number } {
  const timer = useRef<ActiveTimer>(createActiveTimer({ visible: typeof document === 'undefined' || document.visibilityState === 'visible' }));
  const [display, setDisplay] = useState(startMs);

  useEffect(() => {
    timer.current.reset(startMs);
    setDisplay(startMs);
  }, [key, startMs]);

  useEffect(() => {
    const t = timer.current;
    const onActivity = () => t.activity();
    const onVisibility = () => t.setVisible(document.visibilityState === 'visible');
    for (const ev of EVENTS) window.addEventListener(ev, onActivity, { passive: true, capture: true });
    document.addEventListener('visibilitychange', onVisibility);
    const tick = setInterval(() => setDisplay(t.elapsed()), 1000);
    return () => {
      for (const ev of EVENTS) window.removeEventListener(ev, onActivity, { capture: true });
      document.removeEventListener('visibilitychange', onVisibility);
      clearInterval(tick);
    };
  }, []);

  return { timer: timer.current, display };
}
