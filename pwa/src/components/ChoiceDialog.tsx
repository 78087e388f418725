// A small modal with a question and a few named choices (leave with a draft, clear an annotation).
// Keys typed inside it stay inside it: Enter presses the focused choice and never saves the question.
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import { useDialogFocus } from './use-dialog-focus';

export interface Choice {
  label: string;
  onChoose(): void;
  kind?: 'primary' | 'danger' | 'ghost';
}

export function ChoiceDialog({ title, children, choices, onCancel }: { title: string; children: ComponentChildren; choices: Choice[]; onCancel(): void }) {
  const first = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  useDialogFocus(dialog, () => first.current);
  return (
    <div class="modal-backdrop" onPointerDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        ref={dialog}
        class="modal choice-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="choice-title"
        aria-describedby="choice-body"
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape') onCancel();
        }}
      >
        <header class="modal-head">
          <h2 id="choice-title">{title}</h2>
        </header>
        <div id="choice-body" class="choice-body">
          {children}
        </div>
        <div class="choice-actions">
          {choices.map((c, i) => (
            <button key={c.label} ref={i === 0 ? first : undefined} type="button" class={`btn btn-${c.kind ?? 'ghost'}`} onClick={c.onChoose}>
              {c.label}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
