// A/B evaluation: the same object twice, side by side, in the order the server drew at random; who
// made each answer is shown only after the pick, so it cannot sway it. The raw photo sits under both,
// and the overlays can be switched off (or hidden while Space is held) to look at the object itself.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AbChoice, AbPair } from '@in3d/shared/quality';
import { useServices } from '../../app/services';
import { reportError } from '../../app/report-error';
import { announce } from '../../app/announce';
import { judge, nextPairs } from '../../state/review-ab';
import { syncStatus } from '../../state/sync-status';
import { useKeepAhead } from '../../state/use-keep-ahead';
import { useKeyTable } from '../../state/use-shortcuts';
import { overlayHeld } from '../../state/view-settings';
import { RawPhoto } from './RawPhoto';
import { fmt, useQualityMessages } from './messages';
import { OverlayView } from './OverlayView';

export function AbPage() {
  const t = useQualityMessages();
  const { store } = useServices();
  // The pairs still to judge: fetched a few at a time and kept, so judging goes on offline.
  const [pairs, setPairs] = useState<AbPair[] | undefined>(undefined);
  const [offline, setOffline] = useState(false);
  const [waiting, setWaiting] = useState(0);
  const [skipped, setSkipped] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [last, setLast] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [overlays, setOverlays] = useState(true);
  // Only the held Space here; the pick buttons are clicked.
  useKeyTable((k, focus) => (k.code === 'Space' && focus !== 'button' && focus !== 'keyButton' && focus !== 'link' && focus !== 'text' ? { type: 'holdHide' } : null), () => (overlayHeld.value = true), () => (overlayHeld.value = false));
  useEffect(() => () => void (overlayHeld.value = false), []);
  const hidden = !overlays || overlayHeld.value;

  const load = async (skip = skipped) => {
    setError(null);
    try {
      const r = await nextPairs(store, skip);
      setPairs(r.pairs);
      setOffline(r.offline);
      setWaiting(r.waiting);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => {
    void load();
    const online = () => void load();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, []);
  // The outbox drained (or grew): recount the picks that still wait on this device.
  const pending = syncStatus.value.pending;
  useEffect(() => {
    store.localWork('ab.pick').then((w) => setWaiting(w.pending.length), (e: unknown) => reportError('A/B: count waiting picks', e));
  }, [pending]);
  const pair = pairs === undefined ? undefined : (pairs[0] ?? null);
  // The batch's photos and both answers' models kept on the device once the pair shown is drawn.
  const [drawn, setDrawn] = useState<string | null>(null);
  const ahead = useMemo(() => pairs?.map((p) => ({ question: p.question, subtypes: [p.a.answer.subtype, p.b.answer.subtype] })) ?? null, [pairs]);
  const kept = useKeepAhead(store, ahead, 0, !!pair && drawn === pair.question.id);
  // A pick or Skip keeps focus on its button: the next pair is said instead.
  useEffect(() => {
    if (pair) announce(fmt(t.ab.nowShown, { question: pair.question.id }));
  }, [pair?.question.id]);
  const next = () => {
    if (pairs && pairs.length > 1) setPairs(pairs.slice(1));
    else void load();
  };

  const who = (s: AbPair['a']) => (s.kind === 'initial' ? t.common.initial : t.ab.annotation);
  const pick = async (choice: AbChoice) => {
    if (!pair || busy) return;
    setBusy(true);
    try {
      await judge(store, pair, choice);
      setLast(`${t.ab.stored}: ${choice === 'both_bad' ? t.ab.bothBad : choice === 'a' ? t.ab.pickA : t.ab.pickB}. ${fmt(t.ab.revealA, { who: who(pair.a) })}, ${fmt(t.ab.revealB, { who: who(pair.b) })}.`);
      setWaiting((n) => n + 1);
      next();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const skip = () => {
    if (!pair) return;
    const s = [...skipped, pair.question.id];
    setSkipped(s);
    if (pairs && pairs.length > 1) setPairs(pairs.slice(1));
    else void load(s);
  };

  return (
    <main class="page q-page">
      <div class="page-head">
        <div>
          <h1>{t.ab.title}</h1>
          <p class="muted">{t.ab.intro}</p>
        </div>
      </div>
      {offline && <p class="note">{t.common.offline}</p>}
      {waiting > 0 && <p class="note" data-testid="ab-waiting">{fmt(t.ab.waiting, { n: waiting })}</p>}
      {error && <p class="note error" role="alert">{fmt(t.common.error, { error })}</p>}
      {last && <p class="note" role="status" data-testid="ab-last">{last}</p>}
      {pair === undefined && !error && <p class="muted">{t.common.loading}</p>}
      {pair === null && <p class="muted">{t.ab.empty}</p>}
      {pair && (
        <section class="q-ab" data-testid="ab-pair" data-question={pair.question.id}>
          <div class="q-ab-side">
            <h2>{t.ab.a}</h2>
            <OverlayView key={`a-${pair.question.id}`} question={pair.question} pose={pair.a.answer.pose} subtype={pair.a.answer.subtype} hidden={hidden} label={`${t.ab.a}: ${pair.question.id}`} testId="ab-a" onDrawn={() => setDrawn(pair.question.id)} />
          </div>
          <div class="q-ab-side">
            <h2>{t.ab.b}</h2>
            <OverlayView key={`b-${pair.question.id}`} question={pair.question} pose={pair.b.answer.pose} subtype={pair.b.answer.subtype} hidden={hidden} label={`${t.ab.b}: ${pair.question.id}`} testId="ab-b" />
          </div>
          <div class="q-ab-tools">
            <label class="q-check">
              <input type="checkbox" checked={overlays} onChange={(e) => setOverlays(e.currentTarget.checked)} />
              <span>{t.ab.overlay}</span>
            </label>
            <span class="muted small">{t.review.holdHint}</span>
            <span class="muted small" data-testid="ab-kept">{fmt(t.ab.keptOffline, { n: kept, total: pairs!.length })}</span>
          </div>
          <div class="q-ab-photo">
            <h2>{t.ab.photo}</h2>
            <RawPhoto key={pair.question.id} question={pair.question} label={`${t.ab.photo}: ${pair.question.id}`} testId="ab-photo" />
          </div>
          <div class="q-ab-actions" role="group" aria-label={t.ab.title}>
            <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void pick('a')}>{t.ab.pickA}</button>
            <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void pick('b')}>{t.ab.pickB}</button>
            <button type="button" class="btn btn-ghost" disabled={busy} onClick={() => void pick('both_bad')}>{t.ab.bothBad}</button>
            <button type="button" class="btn btn-ghost" disabled={busy} onClick={skip}>{t.ab.skip}</button>
          </div>
        </section>
      )}
    </main>
  );
}
