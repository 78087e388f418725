// The always-visible sync status: what is waiting, when we last synced, and what needs attention.
import { useEffect, useRef, useState } from 'preact/hooks';
import { CloudCheck, CloudOff, CloudUpload, RefreshCw, TriangleAlert } from 'lucide-preact';
import { fmt, useMessages } from '../i18n';
import { useServices } from '../app/services';
import { navigate } from '../app/router';
import { relativeTime, syncStatus } from '../state/sync-status';
import { attentionItems } from '../state/task-status';

export function SyncStatus() {
  const m = useMessages();
  const { store } = useServices();
  const s = syncStatus.value;
  const items = attentionItems.value;
  const [open, setOpen] = useState(false);
  const [, tick] = useState(0);
  const ref = useRef<HTMLDivElement>(null);

  // Keep "5 min ago" honest.
  useEffect(() => {
    const id = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(id);
  }, []);
  useEffect(() => {
    if (!open) return;
    const close = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, [open]);

  const attention = Math.max(s.needsAttention + s.conflicts, items.length);
  const state = attention > 0 ? 'attention' : !s.online ? 'offline' : s.pending > 0 || s.syncing ? 'pending' : 'synced';
  const Icon = state === 'attention' ? TriangleAlert : state === 'offline' ? CloudOff : state === 'pending' ? CloudUpload : CloudCheck;
  const text = state === 'attention' ? m.sync.needsAttention : s.pending > 0 ? m.sync.savedOnDevice : s.syncing ? m.sync.syncing : m.sync.synced;
  const last = s.lastSyncAt ? fmt(m.sync.lastSync, { time: relativeTime(s.lastSyncAt, Date.now(), m.sync) }) : m.sync.never;

  return (
    <div class="sync" ref={ref} role="region" aria-label={m.sync.region}>
      <button type="button" class={`sync-pill sync-${state}`} aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)} title={last}>
        <Icon size={16} aria-hidden="true" class={s.syncing ? 'spin-slow' : ''} />
        <span class="sync-text" data-testid="sync-state">{text}</span>
        {s.pending > 0 && (
          <span class="badge" data-testid="pending-count" aria-label={fmt(m.sync.pending, { n: s.pending })}>
            {s.pending}
          </span>
        )}
        {attention > 0 && <span class="badge badge-warn">{attention}</span>}
      </button>
      {open && (
        <div class="popover sync-popover" role="dialog" aria-label={m.sync.region}>
          <dl class="sync-facts">
            <dt>{s.online ? (s.pending > 0 ? m.sync.savedOnDevice : m.sync.synced) : m.app.offline}</dt>
            <dd>{s.online ? fmt(m.sync.pending, { n: s.pending }) : m.sync.offline}</dd>
            <dt>{m.sync.lastSync.replace('{time}', '').trim()}</dt>
            <dd>{s.lastSyncAt ? relativeTime(s.lastSyncAt, Date.now(), m.sync) : m.sync.never}</dd>
          </dl>
          {s.loginNeeded && <p class="note warn">{m.sync.loginNeeded}</p>}
          {s.updateNeeded && <p class="note warn">{m.sync.updateNeeded}</p>}
          <h3>{m.sync.needsAttention}</h3>
          {items.length === 0 && attention === 0 ? (
            <p class="muted">{m.sync.attentionEmpty}</p>
          ) : (
            <>
              <p class="muted small">{m.sync.attentionHint}</p>
              {attention > items.length && <p class="small">{fmt(m.sync.attentionCount, { n: attention })}</p>}
              <ul class="attention-list">
                {items.map((it) => (
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
                    <span class="muted small">{it.reason === 'conflict' ? m.annotate.conflict : it.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          <button type="button" class="btn btn-ghost btn-sm" disabled={!s.online || s.syncing} onClick={() => void store.syncNow().catch(() => undefined)}>
            <RefreshCw size={14} aria-hidden="true" /> {m.sync.syncNow}
          </button>
        </div>
      )}
    </div>
  );
}
