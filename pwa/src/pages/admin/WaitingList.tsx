// Annotators waiting to qualify: who, how far they got, and how many tasks their pass unlocks.
import type { WaitingAnnotator } from '@in3d/shared/quality';
import { fmt, useQualityMessages } from '../review/messages';

export function WaitingList({ waiting }: { waiting: WaitingAnnotator[] }) {
  const t = useQualityMessages();
  const w = t.admin.waiting;
  return (
    <section class="card q-section" data-testid="qual-waiting">
      <h2>{w.title} ({waiting.length})</h2>
      {waiting.length ? (
        <table class="q-table">
          <thead>
            <tr><th>{w.who}</th><th>{w.state}</th><th>{w.attempts}</th><th>{w.locked}</th><th>{w.last}</th></tr>
          </thead>
          <tbody>
            {waiting.map((x) => (
              <tr key={x.userId} data-user={x.userId} data-state={x.state}>
                <td>{x.displayName === x.userId ? x.userId : `${x.displayName} (${x.userId})`}</td>
                <td>
                  {x.state === 'in_progress'
                    ? fmt(w.inProgress, { done: x.answered ?? 0, total: x.questionCount ?? 0 })
                    : w.states[x.state]}
                </td>
                <td>{x.attempts}</td>
                <td>{x.lockedTasks}</td>
                <td>{new Date(x.lastActivity).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p class="muted">{w.none}</p>}
    </section>
  );
}
