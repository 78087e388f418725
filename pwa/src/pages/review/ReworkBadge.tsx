// The mark on a task card in the annotator's task list: how many of its questions a reviewer sent back.
import { fmt, useQualityMessages } from './messages';

export function ReworkBadge({ taskId, count }: { taskId: string; count: number | undefined }) {
  const t = useQualityMessages();
  if (!count) return null;
  return (
    <span class="badge badge-warn" data-testid={`task-rework-${taskId}`} title={t.rework.intro}>
      {fmt(t.rework.badge, { n: count })}
    </span>
  );
}
