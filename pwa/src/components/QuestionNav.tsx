// Moving through the task: previous, next, next unannotated, and jump to a number.
import { useRef, useState } from 'preact/hooks';
import { ChevronLeft, ChevronRight, SkipForward } from 'lucide-preact';
import { fmt, useMessages } from '../i18n';
import type { QuestionStatus } from '../state/task-status';
import { countRender } from '../app/render-probe';

interface Props {
  taskName: string;
  number: number;
  total: number;
  done: number;
  status: QuestionStatus;
  dirty: boolean;
  onGo(n: number): void;
  onNextOpen(): void;
  jumpRef?: { current: HTMLInputElement | null };
}

export function QuestionNav({ taskName, number, total, done, status, dirty, onGo, onNextOpen, jumpRef }: Props) {
  countRender('QuestionNav');
  const m = useMessages();
  const [jump, setJump] = useState('');
  const local = useRef<HTMLInputElement>(null);
  const ref = jumpRef ?? local;
  const go = () => {
    const n = Number(jump);
    if (Number.isInteger(n) && n >= 1 && n <= total) {
      onGo(n);
      setJump('');
      ref.current?.blur();
    }
  };
  return (
    <nav class="question-nav" aria-label={m.annotate.statusList}>
      <span class="task-name" title={taskName}>
        {taskName}
      </span>
      <button type="button" class="icon-btn" aria-label={m.annotate.prev} title={`${m.annotate.prev} (,)`} disabled={number <= 1} onClick={() => onGo(number - 1)}>
        <ChevronLeft size={18} aria-hidden="true" />
      </button>
      <span class="qnum" data-testid="question-number">
        <span class={`light light-${dirty ? 'dirty' : status.kind}`} aria-hidden="true" />
        {fmt(m.annotate.question, { n: number, total })}
      </span>
      <button type="button" class="icon-btn" aria-label={m.annotate.next} title={`${m.annotate.next} (.)`} disabled={number >= total} onClick={() => onGo(number + 1)}>
        <ChevronRight size={18} aria-hidden="true" />
      </button>
      <button type="button" class="btn btn-ghost btn-sm" aria-label={m.annotate.nextOpen} title={`${m.annotate.nextOpen} (N)`} disabled={done >= total} onClick={onNextOpen}>
        <SkipForward size={14} aria-hidden="true" /> <span class="hide-narrow">{m.annotate.nextOpen}</span>
      </button>
      <form
        class="jump"
        onSubmit={(e) => {
          e.preventDefault();
          go();
        }}
      >
        <input
          ref={ref}
          type="number"
          min={1}
          max={total}
          placeholder="#"
          aria-label={m.annotate.jump}
          value={jump}
          onInput={(e) => setJump(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter here means "go", not "save".
            if (e.key === 'Enter') {
              e.preventDefault();
              e.stopPropagation();
              go();
            }
          }}
        />
        <button type="submit" class="btn btn-ghost btn-sm">
          {m.annotate.jumpGo}
        </button>
      </form>
    </nav>
  );
}
