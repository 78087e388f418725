// The mark on a task card in the annotator's task list: how many of its questions a reviewer sent back.
import { fmt, useMessages } from '../../i18n';

export function ReworkBadge({ taskId, count }: { taskId: string; count: number | undefined }) {
  const m = useMessages();
  if (!count) return null;
  return (
    <span class="badge badge-warn" data-testid={`task-rework-${taskId}`} title={m.gate.reworkIntro}>
      {fmt(m.gate.reworkBadge, { n: count })}
    </span>
  );
}
