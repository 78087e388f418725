// A labelled progress bar (done / total) that screen readers announce as a progressbar.
interface Props {
  done: number;
  total: number;
  label: string;
  size?: 'sm' | 'lg';
}

export function ProgressBar({ done, total, label, size = 'sm' }: Props) {
  const pct = total > 0 ? Math.min(100, (done / total) * 100) : 0;
  return (
    <div class={`progress progress-${size}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} aria-valuetext={`${done} / ${total}`}>
      <div class={`progress-fill${done >= total && total > 0 ? ' complete' : ''}`} style={{ width: `${pct}%` }} />
    </div>
  );
}
