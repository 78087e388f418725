// On the annotate page, above the photo: a reviewer sent this question back. Shows the verdict and the
// comment, says whether the answer changed since the review (an unchanged save does not close the
// rework, SPEC R26), and offers "keep as is" with a reason, saved on the device through the one outbox.
import { useEffect, useState } from 'preact/hooks';
import { changedSinceReview, type ReworkItem } from '@in3d/shared/quality';
import type { QuestionInfo } from '@in3d/shared/types';
import type { DataStore } from '../../data/contract';
import { reportError } from '../../app/report-error';
import type { Draft } from '../../state/draft';
import { keepAsIs, keptHere, listRework } from '../../state/review';
import { syncStatus } from '../../state/sync-status';
import { fmt, useQualityMessages } from './messages';

export function ReworkNotice({ store, question, draft }: { store: DataStore; question: QuestionInfo; draft: Draft | null }) {
  const t = useQualityMessages();
  const [items, setItems] = useState<ReworkItem[]>([]);
  const [kept, setKept] = useState<Map<string, string>>(new Map());
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const pending = syncStatus.value.pending;

  // Again whenever the outbox moves: a save or a keep that reached the server may have closed it.
  useEffect(() => {
    let alive = true;
    Promise.all([listRework(store), keptHere(store)]).then(
      ([r, k]) => {
        if (!alive) return;
        setItems(r.items.filter((x) => x.questionId === question.id && x.taskId === question.taskId && !x.closed));
        setKept(k);
      },
      (e: unknown) => navigator.onLine && reportError('rework notice: load the rework', e),
    );
    return () => {
      alive = false;
    };
  }, [question.id, question.taskId, pending]);

  const open = items[0];
  if (!open) return null;
  const waitingKeep = kept.get(open.id);
  const changed = draft !== null && changedSinceReview(open.answer, draft);
  const send = async () => {
    setError(null);
    try {
      await keepAsIs(store, open.id, reason);
      setKept(new Map(kept).set(open.id, reason.trim()));
      setAsking(false);
      setReason('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div class="note warn q-rework-notice" role="region" aria-label={t.rework.title} data-testid="rework-notice" data-review={open.id}>
      <p>
        <strong>{fmt(t.rework.sentBack, { verdict: t.verdicts[open.verdict] })}</strong>{' '}
        <span class="muted small">{fmt(t.rework.by, { reviewer: open.reviewerId, when: new Date(open.createdAt).toLocaleString() })}</span>
      </p>
      {open.comment && <p class="q-comment" data-testid="rework-comment">“{open.comment}”</p>}
      {waitingKeep !== undefined ? (
        <p role="status">{t.rework.keepSent} <span class="muted">“{waitingKeep}” — {t.rework.waiting}</span></p>
      ) : (
        <>
          <p class="small" data-testid="rework-hint" data-changed={changed ? 'yes' : 'no'}>{changed ? t.rework.changedHint : t.rework.unchanged}</p>
          <p class="muted small">{t.rework.rule}</p>
          {asking ? (
            <div class="q-keep">
              <label class="field">
                <span>{t.rework.keepReason}</span>
                <textarea rows={2} maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
              </label>
              <div class="q-actions">
                <button type="button" class="btn btn-primary btn-sm" disabled={reason.trim() === ''} onClick={() => void send()}>{t.rework.keepSend}</button>
                <button type="button" class="btn btn-ghost btn-sm" onClick={() => setAsking(false)}>{t.rework.cancel}</button>
              </div>
            </div>
          ) : (
            <button type="button" class="btn btn-ghost btn-sm" onClick={() => setAsking(true)}>{t.rework.keep}</button>
          )}
        </>
      )}
      {error && <p class="note error" role="alert">{error}</p>}
    </div>
  );
}
