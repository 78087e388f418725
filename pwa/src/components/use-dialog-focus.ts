// A modal dialog's focus, as WAI's dialog pattern has it: `initial` (else its first control) takes focus
// when it opens, Tab and Shift+Tab go round inside it, and on closing focus goes back to the element
// that had it (the button that opened it), while that is still on the page.
import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';
import { FOCUSABLE } from '../app/focus';

export function useDialogFocus(ref: RefObject<HTMLElement>, initial?: () => HTMLElement | null | undefined): void {
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const controls = () => Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.getClientRects().length > 0);
    (initial?.() ?? controls()[0])?.focus();
    const trap = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') return;
      const list = controls();
      const first = list[0];
      const last = list[list.length - 1];
      if (!first || !last) return e.preventDefault();
      const at = document.activeElement;
      if (e.shiftKey && (at === first || !dialog.contains(at))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (at === last || !dialog.contains(at))) {
        e.preventDefault();
        first.focus();
      }
    };
    dialog.addEventListener('keydown', trap);
    return () => {
      dialog.removeEventListener('keydown', trap);
      if (opener?.isConnected && opener !== document.body) opener.focus();
    };
  }, []);
}
