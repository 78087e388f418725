// The keyboard shortcut sheet (`?`), generated from the same table the key handler uses.
import { useRef } from 'preact/hooks';
import { X } from 'lucide-preact';
import { useMessages } from '../i18n';
import { shortcutsByGroup, type ShortcutGroup } from '../state/keymap';
import { useDialogFocus } from './use-dialog-focus';

const GROUPS: ShortcutGroup[] = ['pose', 'labels', 'actions', 'view'];

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const m = useMessages();
  const groups = shortcutsByGroup();
  const closeRef = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  useDialogFocus(dialog, () => closeRef.current);
  const label = (key: string) => m.keys[key.slice('keys.'.length) as keyof typeof m.keys] ?? key;
  return (
    <div class="modal-backdrop" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      {/* Its keys are its own (use-shortcuts skips data-own-keys): Enter on Close closes it, Esc or ? too. */}
      <div
        ref={dialog}
        class="modal help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        data-own-keys
        onKeyDown={(e) => {
          if (e.key === 'Escape' || e.key === '?') {
            e.preventDefault();
            onClose();
          }
        }}
      >
        <header class="modal-head">
          <h2 id="help-title">{m.keysTitle}</h2>
          <button type="button" ref={closeRef} class="icon-btn" aria-label={m.annotate.closeHelp} onClick={onClose}>
            <X size={18} aria-hidden="true" />
          </button>
        </header>
        <div class="help-grid">
          {GROUPS.map((g) => (
            <section key={g}>
              <h3>{m.keyGroups[g]}</h3>
              <dl>
                {groups[g].map((s) => (
                  <div class="help-row" key={s.keys + s.label}>
                    <dt>
                      <kbd>{s.keys}</kbd>
                    </dt>
                    <dd>{label(s.label)}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
          <section>
            <h3>{m.keys.pointer}</h3>
            <ul class="plain">
              <li>{m.keys.drag}</li>
              <li>{m.keys.shiftDrag}</li>
              <li>{m.keys.centreDrag}</li>
              <li>{m.keys.wheel}</li>
              <li>{m.keys.photoZoom}</li>
              <li>{m.keys.photoPan}</li>
              <li>{m.keys.fineDrag}</li>
            </ul>
          </section>
        </div>
      </div>
    </div>
  );
}
