// A small modal dialog: Esc and the backdrop close it, and keys typed in it never reach the page's
// shortcuts (`data-own-keys`, which use-shortcuts.ts skips even in its capture phase): Enter in its
// password field must not also save the annotation behind it.
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import { X } from 'lucide-preact';
import { useMessages } from '../i18n';
import { useDialogFocus } from './use-dialog-focus';

export function Modal({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ComponentChildren; testId?: string }) {
  const m = useMessages();
  const ref = useRef<HTMLDivElement>(null);
  // Its first field, else the first button of its body (not the close button).
  useDialogFocus(ref, () => ref.current?.querySelector<HTMLElement>('input:not([readonly])') ?? ref.current?.querySelector<HTMLElement>('.modal-body button'));
  return (
    <div class="modal-backdrop" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        class="modal modal-small"
        role="dialog"
        aria-modal="true"
        data-own-keys
        aria-label={title}
        data-testid={testId}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape') onClose();
        }}
      >
        <header class="modal-head">
          <h2>{title}</h2>
          <button type="button" class="icon-btn" aria-label={m.session.cancel} onClick={onClose}>
            <X size={18} aria-hidden="true" />
          </button>
        </header>
        <div class="modal-body">{children}</div>
      </div>
    </div>
  );
}
