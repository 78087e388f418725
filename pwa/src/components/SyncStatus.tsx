// The always-visible sync status (signed-in users only): what is waiting, when we last synced, why
// the last sync failed, and what needs attention with what to do about it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { CloudCheck, CloudOff, CloudUpload, RefreshCw, TriangleAlert } from 'lucide-preact';
import { fmt, useMessages } from '../i18n';
import { useServices } from '../app/services';
import { navigate } from '../app/router';
import { relativeTime, syncStatus } from '../state/sync-status';
import { attentionItems } from '../state/task-status';
import { AttentionList } from './AttentionList';
import { useDismiss } from './use-dismiss';

export function SyncStatus() {
  const m = useMessages();
  const { store } = useServices();
  const s = syncStatus.value;
  const conflicts = attentionItems.value.filter((it) => it.reason === 'conflict');
  const [open, setOpen] = useState(false);
  const [, tick] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  const pill = useRef<HTMLButtonElement>(null);
  useDismiss(open, ref, () => setOpen(false), pill);

  // Keep "5 min ago" honest.
  useEffect(() => {
    const id = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(id);
  }, []);

  const attention = s.needsAttention + Math.max(s.conflicts, conflicts.length);
  const state = attention > 0 ? 'attention' : !s.online ? 'offline' : s.pending > 0 || s.syncing ? 'pending' : 'synced';
  const Icon = state === 'attention' ? TriangleAlert : state === 'offline' ? CloudOff : state === 'pending' ? CloudUpload : CloudCheck;
  const text =
    state === 'attention' ? m.sync.needsAttention : state === 'offline' ? m.app.offline : s.pending > 0 ? m.sync.savedOnDevice : s.syncing ? m.sync.syncing : m.sync.synced;
  const last = s.lastSyncAt ? fmt(m.sync.lastSync, { time: relativeTime(s.lastSyncAt, Date.now(), m.sync) }) : m.sync.never;
  const lastError = s.lastError ? `${m.sync.errorKinds[s.lastError.kind] ?? s.lastError.kind}: ${s.lastError.message}` : null;

  return (
    <div class="sync" ref={ref} role="region" aria-label={m.sync.region}>
      <button ref={pill} type="button" class={`sync-pill sync-${state}`} aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)} title={last}>
        <Icon size={16} aria-hidden="true" class={s.syncing ? 'spin-slow' : ''} />
        <span class="sync-text" data-testid="sync-state">
          {text}
        </span>
        {s.pending > 0 && (
          <span class="badge" data-testid="pending-count" aria-label={fmt(m.sync.pending, { n: s.pending })}>
            {s.pending}
          </span>
        )}
        {attention > 0 && <span class="badge badge-warn">{attention}</span>}
      </button>
      {open && (
        <div class="popover sync-popover" role="dialog" aria-label={m.sync.region} data-testid="sync-popover">
          <dl class="sync-facts">
            <dt>{s.online ? (s.pending > 0 ? m.sync.savedOnDevice : m.sync.synced) : m.app.offline}</dt>
            <dd>{s.online ? fmt(m.sync.pending, { n: s.pending }) : m.sync.offline}</dd>
            <dt>{m.sync.lastSync.replace('{time}', '').trim()}</dt>
            <dd>{s.lastSyncAt ? relativeTime(s.lastSyncAt, Date.now(), m.sync) : m.sync.never}</dd>
          </dl>
          {lastError && (
            <p class="note error small" data-testid="sync-last-error">
              {fmt(m.sync.lastError, { error: lastError })}
            </p>
          )}
          {s.loginNeeded && <p class="note warn">{m.sync.loginNeeded}</p>}
          {s.updateNeeded && <p class="note warn">{m.sync.updateNeeded}</p>}
          <h3>{m.sync.needsAttention}</h3>
          {attention === 0 ? (
            <p class="muted">{m.sync.attentionEmpty}</p>
          ) : (
            <>
              <p class="muted small">{m.sync.attentionHint}</p>
              <AttentionList onOpen={() => setOpen(false)} />
              {conflicts.length > 0 && (
                <ul class="attention-list">
                  {conflicts.map((it) => (
                    <li key={it.questionId}>
                      <button
                        type="button"
                        class="link"
                        onClick={() => {
                          setOpen(false);
                          navigate({ name: 'annotate', taskId: it.taskId, number: it.number });
                        }}
                      >
                        {fmt(m.sync.question, { n: it.number })}
                      </button>
                      <span class="muted small">{m.annotate.conflict}</span>
                    </li>
                  ))}
                </ul>
              )}
              {s.conflicts > conflicts.length && <p class="small">{fmt(m.sync.conflicts, { n: s.conflicts })}</p>}
            </>
          )}
          <button type="button" class="btn btn-ghost btn-sm" disabled={!s.online || s.syncing} onClick={() => void store.syncNow()}>
            <RefreshCw size={14} aria-hidden="true" /> {m.sync.syncNow}
          </button>
        </div>
      )}
    </div>
  );
}
