// Quality review: one saved annotation at a time, drawn on its photo; the reviewer picks a verdict
// (Bad pose and Bad CAD model send it back as rework). The queue survives offline; verdicts go through
// the outbox like saves (SPEC R19, R24), so a refused one shows under "Needs attention".
import { useEffect, useState } from 'preact/hooks';
import { REVIEW_VERDICTS, type Review, type ReviewItem, type ReviewVerdict } from '@in3d/shared/quality';
import { useServices } from '../../app/services';
import { currentUser } from '../../state/session';
import { listReviews, loadQueue, submitReview } from '../../state/review';
import { syncStatus } from '../../state/sync-status';
import { fmt, useQualityMessages } from './messages';
import { OverlayView } from './OverlayView';

export function ReviewPage() {
  const t = useQualityMessages();
  const { store } = useServices();
  const userId = currentUser.value?.id ?? '';
  const [items, setItems] = useState<ReviewItem[] | null>(null);
  const [offline, setOffline] = useState(false);
  const [comment, setComment] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<Review[]>([]);
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState(0);
  const pending = syncStatus.value.pending;

  const load = async () => {
    setError(null);
    try {
      const q = await loadQueue(store);
      setItems(q.items);
      setOffline(q.offline);
      setWaiting(q.waiting);
      if (!q.offline) setHistory(await listReviews());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => {
    void load();
    const online = () => void load();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [userId]);
  // The outbox drained (or grew): recount what waits and show the history the server now has.
  useEffect(() => {
    if (items) void load();
  }, [pending]);

  const item = items?.[0];
  const decide = async (verdict: ReviewVerdict) => {
    if (!item || busy) return;
    setBusy(true);
    try {
      await submitReview(store, { revisionId: item.revisionId, verdict, comment: comment.trim() || null });
      const rework = verdict === 'bad_pose' || verdict === 'bad_cad';
      setNotice(rework ? fmt(t.review.sentBack, { user: item.annotatorId }) : t.review.stored);
      setComment('');
      setItems((xs) => xs?.slice(1) ?? null);
      setWaiting((n) => n + 1);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page q-page">
      <div class="page-head">
        <div>
          <h1>{t.review.title}</h1>
          {items && <p class="muted" data-testid="review-count">{fmt(t.review.queueCount, { n: items.length })}</p>}
        </div>
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => void load()}>
          {t.review.refresh}
        </button>
      </div>
      {offline && <p class="note">{t.common.offline}</p>}
      {waiting > 0 && <p class="note" data-testid="review-waiting">{fmt(t.review.waiting, { n: waiting })}</p>}
      {error && <p class="note error" role="alert">{fmt(t.common.error, { error })}</p>}
      {notice && <p class="note" role="status">{notice}</p>}
      {!items && !error && <p class="muted">{t.common.loading}</p>}
      {items && !item && <p class="muted">{t.review.empty}</p>}
      {item && (
        <section class="q-review card" data-testid="review-item" data-question={item.question.id} data-annotator={item.annotatorId}>
          <OverlayView
            key={item.revisionId}
            question={item.question}
            pose={item.answer.pose}
            subtype={item.answer.subtype}
            label={`${item.question.id} · ${item.annotatorId}`}
            testId="review-overlay"
          />
          <div class="q-side">
            <h2>{item.question.id}</h2>
            <p class="muted">{fmt(t.review.by, { user: item.annotatorId, when: new Date(item.savedAt).toLocaleString() })}</p>
            <dl class="q-facts">
              <dt>{t.qual.subtype}</dt>
              <dd>{fmt(t.common.subtype, { n: item.answer.subtype })}</dd>
              <dt>{t.qual.objectStatus}</dt>
              <dd>{item.answer.objectStatus ? t.labels[item.answer.objectStatus] : t.common.none}</dd>
              <dt>{t.qual.dense}</dt>
              <dd>{item.answer.dense ? t.labels[item.answer.dense] : t.common.none}</dd>
            </dl>
            <label class="field">
              <span>{t.review.comment}</span>
              <textarea rows={3} value={comment} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />
            </label>
            <div class="q-verdicts" role="group" aria-label={t.review.verdict}>
              {REVIEW_VERDICTS.map((v) => (
                <button key={v} type="button" class={`btn ${v === 'good' ? 'btn-primary' : 'btn-ghost'} q-verdict-${v}`} disabled={busy} onClick={() => void decide(v)}>
                  {t.verdicts[v]}
                </button>
              ))}
            </div>
            <p class="muted small">{t.review.offlineReady}</p>
          </div>
        </section>
      )}
      <section class="q-section">
        <h2>{t.review.history}</h2>
        <table class="q-table" data-testid="review-history">
          <thead>
            <tr>
              <th>{t.review.question}</th>
              <th>{t.review.annotator}</th>
              <th>{t.review.verdict}</th>
              <th>{t.review.status}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((r) => (
              <tr key={r.id} data-review={r.id} data-question={r.questionId}>
                <td>{r.questionId}</td>
                <td>{r.annotatorId}</td>
                <td>
                  {t.verdicts[r.verdict]}
                  {r.comment && <span class="muted"> — {r.comment}</span>}
                </td>
                <td class={r.rework ? (r.closed ? 'q-closed' : 'q-open') : 'muted'}>{r.rework ? (r.closed ? t.review.closed : t.review.open) : t.review.noRework}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
