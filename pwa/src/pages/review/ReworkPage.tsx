// The annotator's rework: questions a reviewer sent back, each with the verdict, the comment and a link
// into the annotate page; a new save of the question closes the item.
import { useEffect, useState } from 'preact/hooks';
import type { ReworkItem } from '@in3d/shared/quality';
import { hrefOf } from '../../app/router';
import { listRework } from '../../state/review';
import { fmt, useQualityMessages } from './messages';

export function ReworkPage() {
  const t = useQualityMessages();
  const [items, setItems] = useState<ReworkItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listRework().then(setItems, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  return (
    <main class="page q-page">
      <div class="page-head">
        <div>
          <h1>{t.rework.title}</h1>
          <p class="muted">{t.rework.intro}</p>
        </div>
      </div>
      {error && <p class="note error" role="alert">{fmt(t.common.error, { error })}</p>}
      {!items && !error && <p class="muted">{t.common.loading}</p>}
      {items?.length === 0 && <p class="muted">{t.rework.empty}</p>}
      <ul class="q-list" data-testid="rework-list">
        {items?.map((r) => (
          <li key={r.id} class={`card q-rework ${r.closed ? 'is-closed' : 'is-open'}`} data-question={r.questionId} data-state={r.closed ? 'closed' : 'open'}>
            <div>
              <strong>{t.verdicts[r.verdict]}</strong> · {r.questionId}
              {r.comment && <p class="q-comment">“{r.comment}”</p>}
              <p class="muted small">{new Date(r.createdAt).toLocaleString()} · {r.reviewerId}</p>
            </div>
            <div class="q-rework-actions">
              <span class={r.closed ? 'chip q-closed' : 'chip q-open'}>{r.closed ? t.rework.closed : t.rework.open}</span>
              {r.taskId && (
                <a class="btn btn-primary btn-sm" href={hrefOf({ name: 'annotate', taskId: r.taskId, number: r.question.index + 1 })}>
                  {fmt(t.rework.fix, { n: r.question.index + 1, task: r.taskId })}
                </a>
              )}
            </div>
          </li>
        ))}
      </ul>
    </main>
  );
}
