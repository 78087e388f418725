// The question's status light and message: unsaved, saved on device, synced, needs attention.
import { Clock } from 'lucide-preact';
import type { ReadonlySignal } from '@preact/signals';
import { countRender } from '../app/render-probe';
import { fmt, reasonText, useMessages } from '../i18n';
import type { QuestionStatus } from '../state/task-status';

interface Props {
  status: QuestionStatus;
  dirty: boolean;
  /** A commit slower than 100 ms (state/editor.ts): neither the old state nor "Unsaved changes" any more. */
  saving: boolean;
  message: { kind: 'error' | 'info'; text: string } | null;
  /** Ticks once a second: read by the clock alone, so the status line does not re-render with it. */
  activeMs: ReadonlySignal<number>;
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const mm = Math.floor(s / 60), ss = s % 60;
  return `${mm}:${String(ss).padStart(2, '0')}`;
}

export function SaveState({ status, dirty, saving, message, activeMs }: Props) {
  countRender('SaveState');
  const m = useMessages();
  const text = saving
    ? m.annotate.saving
    : dirty
    ? m.annotate.unsaved
    : status.kind === 'saved'
      ? m.annotate.saved
      : status.kind === 'synced'
        ? m.annotate.syncedState
        : status.kind === 'attention'
          ? fmt(m.annotate.needsAttention, { reason: reasonText(m, status.reason) })
          : status.kind === 'conflict'
            ? m.annotate.conflict
            : m.annotate.notAnnotated;
  const light = dirty || saving ? 'dirty' : status.kind;
  return (
    <div class="save-state">
      <div class="save-line">
        <span class={`light light-${light}`} aria-hidden="true" />
        {/* The live region holds the state alone: the clock beside it ticks every second and would be read out each time. */}
        <span data-testid="save-state" role="status" aria-live="polite">
          {text}
        </span>
        <span class="spacer" />
        <ActiveClock activeMs={activeMs} />
      </div>
      {message && (
        <p class={`note ${message.kind === 'error' ? 'error' : ''}`} role={message.kind === 'error' ? 'alert' : undefined}>
          {message.text}
        </p>
      )}
    </div>
  );
}

function ActiveClock({ activeMs }: { activeMs: ReadonlySignal<number> }) {
  const m = useMessages();
  const time = formatDuration(activeMs.value);
  return (
    <span class="muted small" title={fmt(m.annotate.activeTime, { time })}>
      <Clock size={12} aria-hidden="true" /> {time}
    </span>
  );
}
