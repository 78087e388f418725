// "Needs attention": each refused save (any mutation kind) in words, with what can be done about it:
// open its question, send it again as a new save, or discard it.
import { useEffect, useState } from 'preact/hooks';
import type { AttentionEntry } from '../data/contract';
import { fmt, reasonText, useMessages } from '../i18n';
import { useServices } from '../app/services';
import { navigate } from '../app/router';
import { errorMessage, reportError } from '../app/report-error';
import { syncStatus } from '../state/sync-status';
import { attentionItems } from '../state/task-status';

export function AttentionList({ onOpen }: { onOpen: () => void }) {
  const m = useMessages();
  const { store } = useServices();
  const [entries, setEntries] = useState<AttentionEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const count = syncStatus.value.needsAttention;

  useEffect(() => {
    let alive = true;
    store.listNeedsAttention().then(
      (e) => alive && setEntries(e),
      (err: unknown) => alive && setError(reportError('needs attention: list', err)),
    );
    return () => {
      alive = false;
    };
  }, [store, count]);

  const act = async (what: string, fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
      setEntries(await store.listNeedsAttention());
    } catch (err) {
      reportError(`needs attention: ${what}`, err);
      setError(fmt(m.attention.actionFailed, { error: errorMessage(err) }));
    }
  };

  const open = async (e: AttentionEntry) => {
    if (!e.taskId || !e.questionId) return;
    const t = await store.getTask(e.taskId);
    const i = t ? [...t.questions].sort((a, b) => a.index - b.index).findIndex((q) => q.id === e.questionId) : -1;
    if (i < 0) throw new Error(`Question ${e.questionId} is not in task ${e.taskId} any more`);
    onOpen();
    navigate({ name: 'annotate', taskId: e.taskId, number: i + 1 });
  };

  const numberOf = (e: AttentionEntry) => attentionItems.value.find((a) => a.questionId === e.questionId)?.number;
  if (entries.length === 0 && !error) return null;
  return (
    <>
      {error && (
        <p class="note error" role="alert">
          {error}
        </p>
      )}
      <ul class="attention-list" data-testid="attention-list">
        {entries.map((e) => {
          const n = numberOf(e);
          const what = m.attention.kinds[e.kind] ?? e.kind;
          return (
            <li key={e.id} class="attention-item" data-testid="attention-item">
              <div class="attention-head">
                <strong>{n ? `${what} · ${fmt(m.sync.question, { n })}` : what}</strong>
              </div>
              <span class="small">{reasonText(m, e.reason)}</span>
              {e.message && <span class="muted small">{fmt(m.attention.serverSays, { message: e.message })}</span>}
              <div class="attention-actions">
                {e.taskId && e.questionId && (
                  <button type="button" class="btn btn-ghost btn-sm" onClick={() => void act('open', () => open(e))}>
                    {m.attention.open}
                  </button>
                )}
                <button type="button" class="btn btn-ghost btn-sm" onClick={() => void act('retry', () => store.retryAttention(e.id))}>
                  {m.attention.retry}
                </button>
                <button
                  type="button"
                  class="btn btn-ghost btn-sm"
                  onClick={() => window.confirm(m.attention.confirmDiscard) && void act('discard', () => store.discardAttention(e.id))}
                >
                  {m.attention.discard}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}
