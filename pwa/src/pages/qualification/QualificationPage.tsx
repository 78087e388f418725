// The qualification test: start (or retry), annotate the gold questions in the annotate page, submit,
// then see each answer overlaid on the reference with its errors.
import { useEffect, useState } from 'preact/hooks';
import type { AttemptDetail, QualificationStatus } from '@in3d/shared/quality';
import { useServices } from '../../app/services';
import { hrefOf } from '../../app/router';
import { getAttempt, qualificationStatus, startAttempt, submitAttempt } from '../../state/qualification';
import { useMessages } from '../../i18n';
import { fmt, useQualityMessages } from '../review/messages';
import { AttemptResults } from './AttemptResults';

export function QualificationPage() {
  const t = useQualityMessages();
  const m = useMessages();
  const { store } = useServices();
  const [status, setStatus] = useState<QualificationStatus | null>(null);
  const [attempt, setAttempt] = useState<AttemptDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    setError(null);
    try {
      const s = await qualificationStatus(store);
      setStatus(s);
      const latest = s.current ?? s.attempts.at(-1);
      setAttempt(latest ? await getAttempt(store, latest.id) : null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => void load(), []);

  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const th = status?.thresholds;
  const open = attempt && !attempt.submittedAt ? attempt : null;
  const done = attempt?.submittedAt ? attempt : null;
  const canStart = status && (status.state === 'not_started' || status.state === 'failed');

  return (
    <main class="page q-page">
      <div class="page-head">
        <div>
          <h1>{t.qual.title}</h1>
          {th && (
            <p class="muted">
              {fmt(t.qual.intro, { share: Math.round(th.minPassShare * 100) })}{' '}
              {fmt(t.qual.limits, {
                rot: th.rotationDeg, px: th.centrePx, ratio: th.distanceRatio,
                subtype: th.requireSubtype ? t.qual.subtypeRule : '', labels: th.requireLabels ? t.qual.labelsRule : '',
              })}
            </p>
          )}
        </div>
      </div>
      {error && <p class="note error" role="alert">{fmt(t.common.error, { error })}</p>}
      {!status && !error && <p class="muted">{t.common.loading}</p>}
      {status?.state === 'qualified' && (
        <p class="note" data-testid="qual-state" data-state="qualified">
          {t.qual.qualified} <a class="link" href={hrefOf({ name: 'tasks' })}>{t.common.back}</a>
        </p>
      )}
      {status?.state === 'not_required' && <p class="note" data-testid="qual-state" data-state="not_required">{t.qual.notRequired}</p>}
      {status?.state === 'no_gold' && <p class="note" data-testid="qual-state" data-state="no_gold">{m.gate.noGold}</p>}
      {status && status.lockedTasks > 0 && <p class="muted">{fmt(m.gate.locked, { n: status.lockedTasks })}</p>}

      {open && (
        <section class="card q-section" data-testid="qual-attempt" data-attempt={open.id}>
          <h2>{fmt(t.qual.attempt, { n: open.number })}</h2>
          <p data-testid="qual-progress">{fmt(t.qual.progress, { done: open.answered, total: open.questionCount })}</p>
          <ol class="q-links">
            {open.questions.map((q) => (
              <li key={q.id}>
                <a class="link" href={hrefOf({ name: 'annotate', taskId: open.taskId, number: q.index + 1 })}>{fmt(t.qual.annotate, { n: q.index + 1 })}</a>
              </li>
            ))}
          </ol>
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void act(() => submitAttempt(store, open.id))}>
            {busy ? t.qual.submitting : t.qual.submit}
          </button>
        </section>
      )}

      {done && (
        <section class="q-section" data-testid="qual-result" data-passed={String(done.passed)}>
          <p class={`note ${done.passed ? '' : 'error'}`}>
            <strong>{fmt(t.qual.attempt, { n: done.number })}: </strong>
            {done.passed ? t.qual.passed : fmt(t.qual.failed, { passed: done.passedCount ?? 0, total: done.results?.length ?? 0 })}
          </p>
          {done.results && <AttemptResults attempt={done} />}
        </section>
      )}

      {canStart && (
        <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void act(() => startAttempt(store))}>
          {status.state === 'failed' ? m.gate.retry : m.gate.start}
        </button>
      )}

      {status && status.attempts.length > 1 && (
        <section class="q-section">
          <h2>{t.qual.history}</h2>
          <ul class="q-list">
            {status.attempts.map((a) => (
              <li key={a.id} class="muted">
                {fmt(t.qual.attempt, { n: a.number })}: {a.submittedAt ? (a.passed ? t.qual.pass : t.qual.fail) : fmt(t.qual.progress, { done: a.answered, total: a.questionCount })}
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
