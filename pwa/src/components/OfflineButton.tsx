// "Make available offline" for one task: what the device holds (from IndexedDB), a progress bar with
// the bytes downloaded, Cancel, and Resume after a cancel or a lost connection (of a download the user started).
import { Download, HardDrive, X } from 'lucide-preact';
import type { OfflineProgress, OfflineState } from '../data/contract';
import { fmt, useMessages } from '../i18n';
import { formatBytes } from './format-bytes';

export interface OfflineButtonProps {
  /** The task's name: every card has these controls, so their accessible names say which task (label in name first). */
  taskName: string;
  state: OfflineState | undefined;
  running: OfflineProgress | undefined;
  onStart(): void;
  onCancel(): void;
}

export function OfflineButton({ taskName, state, running, onStart, onCancel }: OfflineButtonProps) {
  const m = useMessages();
  const named = (action: string) => fmt(m.tasks.forTask, { action, task: taskName });
  if (running && !running.cancelled && running.done < running.total) {
    return (
      <div class="task-offline offline-progress" data-testid="offline-progress">
        <progress max={running.total} value={running.done} aria-label={named(m.tasks.makeOffline)} />
        <span class="small">{fmt(m.tasks.offlineBytes, { done: running.done, total: running.total, bytes: formatBytes(running.bytes) })}</span>
        <button type="button" class="btn btn-ghost btn-sm" aria-label={named(m.tasks.offlineCancel)} onClick={onCancel}>
          <X size={14} aria-hidden="true" /> {m.tasks.offlineCancel}
        </button>
      </div>
    );
  }
  if (state?.complete) {
    return (
      <span class="chip task-offline" data-testid="offline-badge" title={formatBytes(state.bytes)}>
        <HardDrive size={14} aria-hidden="true" /> {m.tasks.offlineDone}
      </span>
    );
  }
  // Only a download the user started is one to resume: the annotate page's read-ahead stores photos too.
  const partial = state?.requested && state.stored > 0;
  const label = partial ? fmt(m.tasks.offlineResume, { done: state.stored, total: state.total }) : m.tasks.makeOffline;
  return (
    <button type="button" class="btn btn-ghost btn-sm task-offline" aria-label={named(label)} data-testid="offline-start" data-stored={state?.stored} onClick={onStart}>
      <Download size={14} aria-hidden="true" />
      {label}
    </button>
  );
}
