// Window-level keyboard handling for the annotate page, resolved through the one keymap table.
import { useEffect, useRef } from 'preact/hooks';
import { focusKindOf, resolveShortcut, type ShortcutAction } from './keymap';

export function useShortcuts(handler: (a: ShortcutAction, e: KeyboardEvent) => void, onHoldRelease: () => void): void {
  const h = useRef(handler);
  h.current = handler;
  const r = useRef(onHoldRelease);
  r.current = onHoldRelease;

  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const action = resolveShortcut(e, focusKindOf(document.activeElement));
      if (!action) return;
      e.preventDefault();
      if (action.type === 'holdHide' && e.repeat) return;
      h.current(action, e);
    };
    const up = (e: KeyboardEvent) => {
      if (e.code === 'Space') r.current();
    };
    const blur = () => r.current();
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', blur);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', blur);
    };
  }, []);
}
