// "A new version is ready" — never reloads by itself, and refuses to while work is unsynced or unsaved.
import { useEffect } from 'preact/hooks';
import { RefreshCw, X } from 'lucide-preact';
import { fmt, useMessages } from '../i18n';
import { applyUpdate, dismissUpdate, offlineReady, updateAvailable } from '../app/sw';
import { syncStatus } from '../state/sync-status';
import { unsavedChanges } from '../state/unsaved';

export function UpdatePrompt() {
  const m = useMessages();
  const ready = offlineReady.value;
  // "Ready offline" is news, not a task: it goes away by itself.
  useEffect(() => {
    if (!ready) return;
    const t = setTimeout(() => (offlineReady.value = false), 6000);
    return () => clearTimeout(t);
  }, [ready]);
  if (!updateAvailable.value) {
    if (!offlineReady.value) return null;
    return (
      <div class="toast" role="status">
        <span>{m.update.offlineReady}</span>
        <button type="button" class="icon-btn" aria-label={m.annotate.closeHelp} onClick={() => (offlineReady.value = false)}>
          <X size={16} aria-hidden="true" />
        </button>
      </div>
    );
  }
  const pending = syncStatus.value.pending;
  const blocker = unsavedChanges.value ? m.update.waitUnsaved : pending > 0 ? fmt(m.update.waitSync, { n: pending }) : null;
  return (
    <div class="toast toast-update" role="alertdialog" aria-label={m.update.available}>
      <div>
        <strong>{m.update.available}</strong>
        {blocker && <div class="small muted">{blocker}</div>}
      </div>
      <button type="button" class="btn btn-primary btn-sm" disabled={blocker !== null} onClick={applyUpdate}>
        <RefreshCw size={14} aria-hidden="true" /> {m.update.reload}
      </button>
      <button type="button" class="btn btn-ghost btn-sm" onClick={dismissUpdate}>
        {m.update.later}
      </button>
    </div>
  );
}
