// Save / Undo / Redo / Reset / Clear annotation / Snap to photo.
import { Eraser, Magnet, Redo2, RotateCcw, Save, Undo2 } from 'lucide-preact';
import { useMessages } from '../i18n';
import { countRender } from '../app/render-probe';

interface Props {
  canUndo: boolean;
  canRedo: boolean;
  saving: boolean;
  onSave(): void;
  onUndo(): void;
  onRedo(): void;
  onReset(): void;
  /** Set when there is a last save to go back to and the draft differs from it. */
  onRevert?: () => void;
  /** The next undo step goes back past the last save: say so on the button. */
  undoCrossesSave?: boolean;
  /** "Clear annotation" (asks first, SPEC R51); absent when there is no annotation to clear. */
  onClear?: () => void;
  /** Snap to photo; absent until the photo and mesh are ready. */
  onSnap?: () => void;
  snapping?: boolean;
}

export function ActionBar(p: Props) {
  countRender('ActionBar');
  const m = useMessages();
  return (
    <div class="action-bar">
      <button type="button" id="save-button" class="btn btn-primary btn-save" onClick={p.onSave} disabled={p.saving} aria-keyshortcuts="Enter">
        <Save size={16} aria-hidden="true" />
        {m.annotate.save}
        <kbd class="kbd-inline">Enter</kbd>
      </button>
      <div class="action-row">
        <button type="button" class="btn btn-ghost" onClick={p.onUndo} disabled={!p.canUndo} aria-label={m.annotate.undo} title={p.undoCrossesSave ? `${m.annotate.undo} (Ctrl+Z): ${m.annotate.undoAfterSave}` : `${m.annotate.undo} (Ctrl+Z)`} aria-keyshortcuts="Control+Z">
          <Undo2 size={16} aria-hidden="true" /> {m.annotate.undo}
        </button>
        <button type="button" class="btn btn-ghost" onClick={p.onRedo} disabled={!p.canRedo} aria-label={m.annotate.redo} title={`${m.annotate.redo} (Ctrl+Shift+Z)`} aria-keyshortcuts="Control+Shift+Z">
          <Redo2 size={16} aria-hidden="true" /> {m.annotate.redo}
        </button>
        <button type="button" class="btn btn-ghost" onClick={p.onReset} aria-label={m.annotate.reset} title={`${m.annotate.reset} (Shift+R)`}>
          <RotateCcw size={16} aria-hidden="true" />
        </button>
        <button type="button" class="btn btn-ghost btn-clear" onClick={p.onClear} disabled={!p.onClear || p.saving} aria-label={m.annotate.clear} title={m.annotate.clear}>
          <Eraser size={16} aria-hidden="true" />
        </button>
        <button type="button" class="btn btn-ghost btn-snap" onClick={p.onSnap} disabled={!p.onSnap || p.snapping} aria-busy={p.snapping} title={`${m.annotate.snapHint} (P)`} aria-keyshortcuts="P">
          <Magnet size={16} aria-hidden="true" /> {p.snapping ? m.annotate.snapRunning : m.annotate.snap}
        </button>
      </div>
      {p.onRevert && (
        <button type="button" class="btn btn-ghost btn-sm btn-revert" onClick={p.onRevert} title={m.annotate.undoAfterSave}>
          {m.annotate.revertSaved}
        </button>
      )}
      {p.undoCrossesSave && <p class="muted small undo-note">{m.annotate.undoAfterSave}</p>}
    </div>
  );
}
