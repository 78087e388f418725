// Quality review: one saved annotation at a time, drawn on its photo; the reviewer picks a verdict
// (Bad pose and Bad CAD model send it back as rework), skips or goes back, filters the queue and
// switches between the overlay, the raw photo and the model alone (Space held hides the overlay). A
// reworked item shows the earlier review, the reason it was kept and the answer before and after. The
// queue survives offline; verdicts go through the outbox like saves (SPEC R19, R24, R26).
import { ReportsList } from '../admin/ReportsList';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { changedSinceReview, REVIEW_VERDICTS, REWORK_VERDICTS, type Review, type ReviewFacets, type ReviewQueueFilter, type ReviewVerdict } from '@in3d/shared/quality';
import type { ViewMode } from '../../render/contract';
import { useServices } from '../../app/services';
import { reportError } from '../../app/report-error';
import { announce } from '../../app/announce';
import { RequestError } from '../../data/contract';
import { currentUser } from '../../state/session';
import { listReviews, loadFacets, loadQueue, submitReview } from '../../state/review';
import { back, currentItem, firstSkipped, judge, progressOf, type QueueSession, skip, startSession } from '../../state/review-queue';
import { type ReviewAction, resolveReviewKey, verdictKey } from '../../state/review-keys';
import { useKeyTable } from '../../state/use-shortcuts';
import { cycle, overlayHeld, VIEW_MODES } from '../../state/view-settings';
import { syncStatus } from '../../state/sync-status';
import { useKeepAhead } from '../../state/use-keep-ahead';
import { Choice } from './Choice';
import { fmt, useQualityMessages } from './messages';
import { OverlayView, REFERENCE_COLOR } from './OverlayView';
import { ReviewFilters } from './ReviewFilters';
import { ReviewHelp } from './ReviewHelp';
import { VerdictGuide } from './VerdictGuide';

const COMPARE = ['after', 'before', 'both'] as const;
type Compare = (typeof COMPARE)[number];

export function ReviewPage() {
  const t = useQualityMessages();
  const { store } = useServices();
  const userId = currentUser.value?.id ?? '';
  const [session, setSession] = useState<QueueSession | null>(null);
  const [filter, setFilter] = useState<ReviewQueueFilter>({});
  const [facets, setFacets] = useState<ReviewFacets | null>(null);
  const [offline, setOffline] = useState(false);
  const [comment, setComment] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<Review[]>([]);
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState(0);
  const [more, setMore] = useState(0);
  const [view, setView] = useState<ViewMode>('overlay');
  const [compare, setCompare] = useState<Compare>('after');
  const [help, setHelp] = useState(false);
  const pending = syncStatus.value.pending;

  // Offline (the network dropped after the page loaded) the history shown stays; the 'online' reload refreshes it.
  const loadHistory = (f: ReviewQueueFilter) =>
    listReviews(f).then(setHistory, (e: unknown) => {
      if (!(e instanceof RequestError && e.kind === 'offline')) reportError('review: recent reviews', e);
    });
  const load = async (f = filter) => {
    setError(null);
    try {
      const q = await loadQueue(store, f);
      // Items skipped before the reload come last, so a refresh does not show them first again.
      setSession((s) => startSession(q.items, s?.skipped ?? []));
      setOffline(q.offline);
      setWaiting(q.waiting);
      setMore(q.more);
      if (!q.offline) void loadHistory(f);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => {
    void load();
    loadFacets(store).then(setFacets, (e: unknown) => reportError('review: filter choices', e));
    const online = () => void load();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [userId]);
  // The outbox drained (or grew): recount what waits and show the history the server now has. The
  // queue itself stays as walked (reloading it would lose the place and the skips).
  useEffect(() => {
    if (!session) return;
    store.localWork('review.verdict').then((w) => setWaiting(w.pending.length), (e: unknown) => reportError('review: count waiting verdicts', e));
    if (!offline) void loadHistory(filter);
  }, [pending]);

  const item = session ? currentItem(session) : null;
  const progress = session ? progressOf(session) : null;
  const prev = item?.previous ?? null;
  // The next items' photos and models (before and after) kept on the device once the one shown is drawn.
  const [drawn, setDrawn] = useState<string | null>(null);
  const ahead = useMemo(
    () => session?.items.map((i) => ({ question: i.question, subtypes: i.previous ? [i.answer.subtype, i.previous.before.subtype] : [i.answer.subtype] })) ?? null,
    [session?.items],
  );
  const kept = useKeepAhead(store, ahead, session?.index ?? 0, !!item && drawn === item.revisionId);
  useEffect(() => {
    setCompare('after');
    setComment('');
    // A verdict or Skip keeps focus on its button: the next item is said instead ("2 of 27: chair_0002 · demo").
    if (item && progress) announce(`${fmt(t.review.progress, { n: progress.position, total: progress.total })}: ${item.question.id} · ${item.annotatorId}`);
  }, [item?.revisionId]);

  const changeFilter = (f: ReviewQueueFilter) => {
    setFilter(f);
    setSession(null);
    void load(f);
  };
  const decide = async (verdict: ReviewVerdict) => {
    if (!item || !session || busy) return;
    setBusy(true);
    try {
      await submitReview(store, { revisionId: item.revisionId, verdict, comment: comment.trim() || null });
      // Offline the verdict waits in the outbox: the rework has not gone back to the annotator yet.
      const sentBack = syncStatus.value.online ? t.review.sentBack : t.review.sentBackOffline;
      setNotice(REWORK_VERDICTS.includes(verdict) ? fmt(sentBack, { user: item.annotatorId }) : t.review.stored);
      setSession(judge(session, verdict));
      setWaiting((n) => n + 1);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const onKey = (a: ReviewAction) => {
    if (help && a.type !== 'help' && a.type !== 'escape') return;
    switch (a.type) {
      case 'verdict':
        return void decide(a.verdict);
      case 'skip':
        return session && setSession(skip(session));
      case 'back':
        return session && setSession(back(session));
      case 'cycleView':
        return setView(cycle(VIEW_MODES, view));
      case 'beforeAfter':
        return prev && setCompare(cycle(COMPARE, compare));
      case 'holdHide':
        overlayHeld.value = true;
        return;
      case 'help':
        return setHelp(!help);
      case 'escape':
        if (help) return setHelp(false);
        return (document.activeElement as HTMLElement | null)?.blur();
    }
  };
  useKeyTable(resolveReviewKey, onKey, () => (overlayHeld.value = false));
  useEffect(() => () => void (overlayHeld.value = false), []);

  // Before/after on an item answered since its last review: the judged answer in amber under the new one.
  const shown = item && prev && compare === 'before' ? prev.before : item?.answer;
  const ghost = item && prev && compare === 'both' ? { pose: prev.before.pose, subtype: prev.before.subtype, color: REFERENCE_COLOR } : null;
  const judgedAs = item && session ? session.judged[item.revisionId] : undefined;

  return (
    <main class="page q-page">
      <div class="page-head">
        <div>
          <h1>{t.review.title}</h1>
          {progress && (
            <p class="muted" data-testid="review-progress">
              {item ? fmt(t.review.progress, { n: progress.position, total: progress.total }) : fmt(more > 0 ? t.review.batchDone : t.review.progressDone, { judged: progress.judged, skipped: progress.skipped })}
              {more > 0 && <> · <span data-testid="review-more">{fmt(t.review.moreOnServer, { n: more })}</span></>}
            </p>
          )}
        </div>
        <div class="q-actions">
          <button type="button" class="btn btn-ghost btn-sm" onClick={() => setHelp(true)} aria-keyshortcuts="?">{t.review.help} <kbd aria-hidden="true">?</kbd></button>
          <button type="button" class="btn btn-ghost btn-sm" onClick={() => void load()}>{t.review.refresh}</button>
        </div>
      </div>
      <ReviewFilters facets={facets} value={filter} onChange={changeFilter} />
      {offline && <p class="note">{t.common.offline}</p>}
      {waiting > 0 && <p class="note" data-testid="review-waiting">{fmt(t.review.waiting, { n: waiting })}</p>}
      {error && <p class="note error" role="alert">{fmt(t.common.error, { error })}</p>}
      {notice && <p class="note" role="status">{notice}</p>}
      {!session && !error && <p class="muted">{t.common.loading}</p>}
      {session && session.items.length === 0 && <p class="muted">{t.review.empty}</p>}
      {/* The batch is walked but the server holds more: the next batch leaves out what was judged here. */}
      {session && !item && more > 0 && <button type="button" class="btn btn-primary" onClick={() => void load()}>{t.review.loadMore}</button>}
      {session && !item && progress!.skipped > 0 && (
        <button type="button" class="btn btn-ghost" onClick={() => setSession(firstSkipped(session))}>{t.review.reviewSkipped}</button>
      )}
      {item && shown && (
        <section class="q-review card" data-testid="review-item" data-question={item.question.id} data-annotator={item.annotatorId} data-revision={item.revisionId}>
          <div class="q-stage">
            <div class="q-actions">
              <Choice label={t.review.viewLabel} name="review-view" options={VIEW_MODES} value={view} onChange={setView} names={t.review.views} />
              {prev && <Choice label={t.review.compareLabel} name="review-compare" options={COMPARE} value={compare} onChange={setCompare} names={t.review.compare} />}
            </div>
            <OverlayView
              key={item.revisionId}
              question={item.question}
              pose={shown.pose}
              subtype={shown.subtype}
              ghost={ghost}
              view={view}
              hidden={overlayHeld.value}
              label={`${item.question.id} · ${item.annotatorId}`}
              testId="review-overlay"
              onDrawn={() => setDrawn(item.revisionId)}
            />
            <p class="muted small">{t.review.holdHint}{prev && compare === 'both' ? ` ${t.review.compareLegend}` : ''}</p>
          </div>
          <div class="q-side">
            <h2>{item.question.id}</h2>
            <p class="muted">{fmt(t.review.by, { user: item.annotatorId, when: new Date(item.savedAt).toLocaleString() })}</p>
            {prev && (
              <div class="note" data-testid="review-previous">
                <p>{fmt(t.review.previousReview, { verdict: t.verdicts[prev.review.verdict], reviewer: prev.review.reviewerId })}{prev.review.comment && <span class="muted"> — “{prev.review.comment}”</span>}</p>
                {prev.review.keep && <p data-testid="review-keep-reason">{fmt(t.review.keptReason, { reason: prev.review.keep.reason })}</p>}
                <p class="muted small">{changedSinceReview(prev.before, item.answer) ? t.review.changed : t.review.unchanged}</p>
              </div>
            )}
            <dl class="q-facts">
              <dt>{t.qual.subtype}</dt>
              <dd>{fmt(t.common.subtype, { n: shown.subtype })}</dd>
              <dt>{t.qual.objectStatus}</dt>
              <dd>{shown.objectStatus ? t.labels[shown.objectStatus] : t.common.none}</dd>
              <dt>{t.qual.dense}</dt>
              <dd>{shown.dense ? t.labels[shown.dense] : t.common.none}</dd>
            </dl>
            {judgedAs && <p class="note">{fmt(t.review.judgedAs, { verdict: t.verdicts[judgedAs] })}</p>}
            <label class="field">
              <span>{t.review.comment}</span>
              <textarea rows={3} value={comment} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />
            </label>
            <div class="q-verdicts" role="group" aria-label={t.review.verdict}>
              {REVIEW_VERDICTS.map((v) => (
                <button
                  key={v}
                  type="button"
                  class={`btn ${v === 'good' ? 'btn-primary' : 'btn-ghost'} q-verdict-${v}`}
                  disabled={busy}
                  aria-keyshortcuts={verdictKey(v)}
                  aria-describedby={`verdict-help-${v}`}
                  title={t.review.defs[v]}
                  onClick={() => void decide(v)}
                >
                  {t.verdicts[v]} <kbd aria-hidden="true">{verdictKey(v)}</kbd>
                </button>
              ))}
            </div>
            <div class="q-actions">
              <button type="button" class="btn btn-ghost btn-sm" disabled={session!.index === 0} aria-keyshortcuts="," onClick={() => setSession(back(session!))}>
                {t.review.back} <kbd aria-hidden="true">,</kbd>
              </button>
              <button type="button" class="btn btn-ghost btn-sm" aria-keyshortcuts="." onClick={() => setSession(skip(session!))}>
                {t.review.skip} <kbd aria-hidden="true">.</kbd>
              </button>
            </div>
            <p class="muted small" data-testid="review-kept">{fmt(t.review.keptOffline, { n: kept, total: session!.items.length })}</p>
          </div>
        </section>
      )}
      <VerdictGuide />
      {!offline && <ReportsList canResolve={currentUser.value?.role === 'admin'} />}
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
                  {r.keep && <span class="muted"> · {fmt(t.review.keptReason, { reason: r.keep.reason })}</span>}
                </td>
                <td class={r.rework ? (r.closed ? 'q-closed' : 'q-open') : 'muted'}>{r.rework ? (r.closed ? t.review.closed : t.review.open) : t.review.noRework}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {help && <ReviewHelp onClose={() => setHelp(false)} />}
    </main>
  );
}
