// The account page: the user's tasks with progress; a task opens at its first unannotated question.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ChevronRight } from 'lucide-preact';
import type { TaskSummary } from '@in3d/shared/types';
import type { OfflineProgress, OfflineState } from '../data/contract';
import { fmt, useMessages } from '../i18n';
import { useServices } from '../app/services';
import { hrefOf, navigate } from '../app/router';
import { currentUser } from '../state/session';
import { syncStatus } from '../state/sync-status';
import { ProgressBar } from '../components/ProgressBar';
import { ReworkBadge } from './review/ReworkBadge';
import { OfflineButton } from '../components/OfflineButton';
import { InstallButton } from '../components/InstallButton';
import { StorageLine } from '../components/StorageLine';
import { QualificationGate, useQualificationGate } from './qualification/QualificationGate';

export function TasksPage() {
  const m = useMessages();
  const { store } = useServices();
  const [tasks, setTasks] = useState<TaskSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState<Record<string, OfflineProgress>>({});
  const [held, setHeld] = useState<Record<string, OfflineState>>({});
  const aborts = useRef(new Map<string, AbortController>());
  const pending = syncStatus.value.pending;

  const refreshHeld = (ts: TaskSummary[]) =>
    store.offlineState(ts.map((t) => t.id)).then(setHeld, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  const load = () => {
    setError(null);
    store.listTasks().then(
      (ts) => {
        setTasks(ts);
        void refreshHeld(ts);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };
  useEffect(() => () => aborts.current.forEach((a) => a.abort()), []);
  // Progress counts local saves, so reload when the outbox changes.
  useEffect(load, [store, pending]);

  const user = currentUser.value;
  const gate = useQualificationGate(user, tasks);
  const done = tasks?.reduce((s, t) => s + t.done, 0) ?? 0;
  const total = tasks?.reduce((s, t) => s + t.total, 0) ?? 0;

  const open = (t: TaskSummary) => navigate({ name: 'annotate', taskId: t.id, number: (t.firstOpenIndex ?? 0) + 1 });
  const makeOffline = async (t: TaskSummary) => {
    const abort = new AbortController();
    aborts.current.set(t.id, abort);
    const update = (p: OfflineProgress) => setRunning((o) => ({ ...o, [t.id]: p }));
    try {
      update(await store.makeAvailableOffline(t.id, update, abort.signal));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      aborts.current.delete(t.id);
      setRunning(({ [t.id]: _done, ...rest }) => rest);
      if (tasks) await refreshHeld(tasks);
    }
  };

  return (
    <main class="page tasks-page">
      <div class="page-head">
        <div>
          <h1>{m.tasks.title}</h1>
          {user && <p class="muted">{fmt(m.tasks.greeting, { name: user.displayName })}</p>}
          <p>
            <a class="link" href={hrefOf({ name: 'docs' })}>
              {m.login.readGuide}
            </a>
          </p>
        </div>
        <InstallButton />
        {tasks && tasks.length > 0 && (
          <div class="card total-card">
            <div class="total-row">
              <span>{m.tasks.total}</span>
              <strong data-testid="total-progress">{fmt(m.tasks.progress, { done, total })}</strong>
            </div>
            <ProgressBar done={done} total={total} label={m.tasks.total} size="lg" />
            <StorageLine refreshKey={Object.keys(running).length} />
          </div>
        )}
      </div>
      {error && (
        <p class="note error" role="alert">
          {fmt(m.tasks.loadFailed, { error })}{' '}
          <button type="button" class="link" onClick={load}>
            {m.tasks.retry}
          </button>
        </p>
      )}
      {!tasks && !error && <p class="muted">{m.app.loading}</p>}
      <QualificationGate gate={gate} />
      {tasks && tasks.length === 0 && !gate.shown && <p class="muted">{m.tasks.empty}</p>}
      <ul class="task-list">
        {tasks?.map((t) => {
          return (
            <li key={t.id} class="card task-card">
              <button type="button" class="task-main" aria-label={fmt(m.tasks.open, { name: t.name })} onClick={() => open(t)}>
                <div class="task-title">
                  <strong>{t.name}</strong>
                  <span class="chip">{t.category ?? m.tasks.mixed}</span>
                  <ReworkBadge taskId={t.id} count={t.rework} />
                </div>
                <ProgressBar done={t.done} total={t.total} label={t.name} />
                <div class="task-meta">
                  <span>{fmt(m.tasks.progress, { done: t.done, total: t.total })}</span>
                  <span class="task-continue">
                    {t.firstOpenIndex === null ? m.tasks.allDone : fmt(m.tasks.continueAt, { n: t.firstOpenIndex + 1 })}
                    <ChevronRight size={16} aria-hidden="true" />
                  </span>
                </div>
              </button>
              <OfflineButton taskName={t.name} state={held[t.id]} running={running[t.id]} onStart={() => void makeOffline(t)} onCancel={() => aborts.current.get(t.id)?.abort()} />
            </li>
          );
        })}
      </ul>
    </main>
  );
}
