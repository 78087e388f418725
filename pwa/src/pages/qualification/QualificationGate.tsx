// The tasks page's first card for an annotator who must still pass the qualification test: what is
// locked and one button on (start, continue or retry the test), instead of an empty task list.
import { useEffect, useState } from 'preact/hooks';
import { GraduationCap } from 'lucide-preact';
import type { QualificationStatus } from '@in3d/shared/quality';
import type { SessionUser } from '@in3d/shared/types';
import { useServices } from '../../app/services';
import { navigate } from '../../app/router';
import { qualificationStatus, startAttempt } from '../../state/qualification';
import { fmt, useMessages } from '../../i18n';

const GATED: ReadonlySet<QualificationStatus['state']> = new Set(['not_started', 'in_progress', 'failed', 'no_gold']);

export interface Gate {
  /** The server's answer, or null while loading or when it could not be asked. */
  status: QualificationStatus | null;
  error: string | null;
  /** Whether the tasks page shows the gate (and not "no tasks yet"). */
  shown: boolean;
  reload(): void;
}

/** Asks the server where `user` stands; only annotators not yet qualified ask. */
export function useQualificationGate(user: SessionUser | null | undefined, refreshKey: unknown): Gate {
  const { store } = useServices();
  const [status, setStatus] = useState<QualificationStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const asks = !!user && user.role === 'annotator' && !user.qualified;
  useEffect(() => {
    if (!asks) return;
    let alive = true;
    setError(null);
    qualificationStatus(store).then(
      (s) => alive && setStatus(s),
      (e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      alive = false;
    };
  }, [asks, user?.id, refreshKey, tick]);
  // Unreachable server: the account says it is not qualified, so the gate stays (with the reason).
  const shown = asks && (status ? GATED.has(status.state) : error !== null);
  return { status, error, shown, reload: () => setTick((n) => n + 1) };
}

export function QualificationGate({ gate }: { gate: Gate }) {
  const m = useMessages();
  const { store } = useServices();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!gate.shown) return null;
  const s = gate.status;
  const toTest = () => navigate({ name: 'quality', page: 'qualification', rest: [] });
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      await startAttempt(store);
      toTest();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const problem = error ?? gate.error;

  return (
    <section class="card q-gate" data-testid="qual-gate" data-state={s?.state ?? 'unknown'}>
      <h2>
        <GraduationCap size={20} aria-hidden="true" /> {m.gate.title}
      </h2>
      {s && s.lockedTasks > 0 && <p>{fmt(m.gate.locked, { n: s.lockedTasks })}</p>}
      {s?.state === 'no_gold' && <p class="muted">{m.gate.noGold}</p>}
      {s?.state === 'failed' && <p class="muted">{m.gate.failed}</p>}
      {problem && <p class="note error" role="alert">{fmt(m.gate.error, { error: problem })}</p>}
      {s?.state === 'not_started' && (
        <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void start()}>{m.gate.start}</button>
      )}
      {s?.state === 'failed' && (
        <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void start()}>{m.gate.retry}</button>
      )}
      {s?.state === 'in_progress' && (
        <button type="button" class="btn btn-primary" onClick={toTest}>
          {fmt(m.gate.continue, { done: s.current?.answered ?? 0, total: s.current?.questionCount ?? 0 })}
        </button>
      )}
      {(s?.state === 'no_gold' || !s) && (
        <button type="button" class="btn" onClick={gate.reload}>{m.gate.checkAgain}</button>
      )}
    </section>
  );
}
