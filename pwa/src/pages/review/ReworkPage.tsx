// The annotator's rework: questions a reviewer sent back, each with the verdict, the comment and a link
// into the annotate page (which shows them again, with "keep as is"); a changed save or a kept answer
// closes the item (SPEC R26). Kept on the device, so it lists offline too.
import { useEffect, useState } from 'preact/hooks';
import type { ReworkItem } from '@in3d/shared/quality';
import { hrefOf } from '../../app/router';
import { useServices } from '../../app/services';
import { listRework } from '../../state/review';
import { useMessages } from '../../i18n';
import { fmt, useQualityMessages } from './messages';

export function ReworkPage() {
  const t = useQualityMessages();
  const m = useMessages();
  const { store } = useServices();
  const [offline, setOffline] = useState(false);
  const [items, setItems] = useState<ReworkItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listRework(store).then(
      (r) => (setItems(r.items), setOffline(r.offline)),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);

  return (
    <main class="page q-page">
      <div class="page-head">
        <div>
          <h1>{t.rework.title}</h1>
          <p class="muted">{m.gate.reworkIntro}</p>
        </div>
      </div>
      {offline && <p class="note">{t.common.offline}</p>}
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
              <span class={r.closed ? 'chip q-closed' : 'chip q-open'}>{r.keep ? fmt(t.rework.closedKept, { reason: r.keep.reason }) : r.closed ? t.rework.closed : t.rework.open}</span>
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
