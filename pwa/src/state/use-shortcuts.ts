// Window-level keyboard handling, resolved through a key table (the annotate page's keymap.ts, the
// review page's review-keys.ts). Keys
// are taken in the capture phase, before a focused radio group or slider sees them, so a control
// that was clicked never swallows the pose shortcuts (see `focusKindOf`).
import { useEffect, useRef } from 'preact/hooks';
import { type FocusKind, focusKindOf, type KeyLike, resolveShortcut, type ShortcutAction } from './keymap';

export function useShortcuts(handler: (a: ShortcutAction, e: KeyboardEvent) => void, onHoldRelease: () => void): void {
  useKeyTable(resolveShortcut, handler, onHoldRelease);
}

/** The same handling over another table (read once: pass a stateless lookup); 'holdHide' is the held Space (no repeats). */
export function useKeyTable<A extends { type: string }>(
  resolve: (k: KeyLike, focus: FocusKind) => A | null,
  handler: (a: A, e: KeyboardEvent) => void,
  onHoldRelease: () => void,
): void {
  const h = useRef(handler);
  h.current = handler;
  const r = useRef(onHoldRelease);
  r.current = onHoldRelease;

  useEffect(() => {
    // Whether the focused element got its focus from a pointer (a click or tap) rather than the keyboard.
    let byPointer = false;
    let pointerAt = -Infinity;
    const pointer = () => {
      pointerAt = performance.now();
      byPointer = true;
    };
    const focus = () => {
      // Clicking a label focuses its input on click, a moment after pointerdown.
      byPointer = performance.now() - pointerAt < 1000;
    };
    const down = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      // A dialog that handles its own keys (components/Modal.tsx) keeps them: Enter in its password
      // field signs in, it must not also save the annotation behind it.
      if (e.target instanceof Element && e.target.closest('[data-own-keys]')) return;
      // A choice dialog (leave, clear) and a multi-line note own their keys: Enter there is not "save".
      if ((e.target as Element | null)?.closest?.('[role="alertdialog"], textarea')) return;
      const action = resolve(e, focusKindOf(document.activeElement, byPointer));
      if (!action) return;
      e.preventDefault();
      if (action.type === 'holdHide' && e.repeat) return;
      h.current(action, e);
    };
    const up = (e: KeyboardEvent) => {
      if (e.code === 'Space') r.current();
    };
    const blur = () => r.current();
    window.addEventListener('keydown', down, true);
    window.addEventListener('keyup', up);
    window.addEventListener('blur', blur);
    window.addEventListener('pointerdown', pointer, true);
    window.addEventListener('focusin', focus, true);
    return () => {
      window.removeEventListener('pointerdown', pointer, true);
      window.removeEventListener('focusin', focus, true);
      window.removeEventListener('keydown', down, true);
      window.removeEventListener('keyup', up);
      window.removeEventListener('blur', blur);
    };
  }, []);
}
