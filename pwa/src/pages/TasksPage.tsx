// The account page: the user's tasks with progress; a task opens at its first unannotated question.
import { useEffect, useState } from 'preact/hooks';
import { ChevronRight, Download, HardDrive } from 'lucide-preact';
import type { TaskSummary } from '@in3d/shared/types';
import type { OfflineProgress } from '../data/contract';
import { fmt, useMessages } from '../i18n';
import { useServices } from '../app/services';
import { hrefOf, navigate } from '../app/router';
import { currentUser } from '../state/session';
import { syncStatus } from '../state/sync-status';
import { ProgressBar } from '../components/ProgressBar';
import { ReworkBadge } from './review/ReworkBadge';

export function TasksPage() {
  const m = useMessages();
  const { store } = useServices();
  const [tasks, setTasks] = useState<TaskSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [offline, setOffline] = useState<Record<string, OfflineProgress & { finished?: boolean }>>({});
  const pending = syncStatus.value.pending;

  const load = () => {
    setError(null);
    store.listTasks().then(setTasks, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  // Progress counts local saves, so reload when the outbox changes.
  useEffect(load, [store, pending]);

  const user = currentUser.value;
  const done = tasks?.reduce((s, t) => s + t.done, 0) ?? 0;
  const total = tasks?.reduce((s, t) => s + t.total, 0) ?? 0;

  const open = (t: TaskSummary) => navigate({ name: 'annotate', taskId: t.id, number: (t.firstOpenIndex ?? 0) + 1 });
  const makeOffline = async (t: TaskSummary) => {
    const update = (p: OfflineProgress, finished = false) => setOffline((o) => ({ ...o, [t.id]: { ...p, finished } }));
    try {
      update(await store.makeAvailableOffline(t.id, (p) => update(p)), true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
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
        {tasks && tasks.length > 0 && (
          <div class="card total-card">
            <div class="total-row">
              <span>{m.tasks.total}</span>
              <strong data-testid="total-progress">{fmt(m.tasks.progress, { done, total })}</strong>
            </div>
            <ProgressBar done={done} total={total} label={m.tasks.total} size="lg" />
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
      {tasks && tasks.length === 0 && <p class="muted">{m.tasks.empty}</p>}
      <ul class="task-list">
        {tasks?.map((t) => {
          const o = offline[t.id];
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
              <button type="button" class="btn btn-ghost btn-sm task-offline" disabled={o !== undefined && !o.finished} onClick={() => void makeOffline(t)}>
                {o?.finished ? <HardDrive size={14} aria-hidden="true" /> : <Download size={14} aria-hidden="true" />}
                {o === undefined ? m.tasks.makeOffline : o.finished ? m.tasks.offlineDone : fmt(m.tasks.offlineProgress, { done: o.done, total: o.total })}
              </button>
            </li>
          );
        })}
      </ul>
    </main>
  );
}
