// Closing a popover the usual ways: Esc (focus goes back to its button) or a press outside it.
import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

export function useDismiss(open: boolean, ref: RefObject<HTMLElement>, close: () => void, returnFocus?: RefObject<HTMLElement>): void {
  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) close();
    };
    const key = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      close();
      returnFocus?.current?.focus();
    };
    document.addEventListener('pointerdown', outside);
    document.addEventListener('keydown', key);
    return () => {
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('keydown', key);
    };
  }, [open]);
}
