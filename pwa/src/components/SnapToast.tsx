// What the last Snap did: how far it moved the pose (the previous pose is drawn as a ghost meanwhile)
// with Undo, or why nothing changed.
import { fmt, useMessages } from '../i18n';
import type { SnapStatus } from '../state/snap';

interface Props {
  status: SnapStatus;
  onUndo(): void;
  onDismiss(): void;
}

export function SnapToast({ status, onUndo, onDismiss }: Props) {
  const m = useMessages();
  if (status.kind === 'idle' || status.kind === 'running') return null;
  const text =
    status.kind === 'snapped'
      ? fmt(m.annotate.snapDone, { deg: status.rotationDeg.toFixed(1), px: status.centrePx.toFixed(1) })
      : status.kind === 'failed'
        ? fmt(m.annotate.snapFailed, { error: status.error })
        : status.reason === 'stale'
          ? m.annotate.snapStale
          : m.annotate.snapNoBetter;
  return (
    <div class="toast toast-snap" role="status" data-snap={status.kind}>
      <span>{text}</span>
      {status.kind === 'snapped' && (
        <button type="button" class="btn btn-ghost" onClick={onUndo}>
          {m.annotate.undo}
        </button>
      )}
      <button type="button" class="btn btn-ghost" onClick={onDismiss}>
        {m.annotate.snapDismiss}
      </button>
    </div>
  );
}
