// A page of questions with checkboxes and thumbnails, filtered as the admin types (category, task and
// annotator by substring; status); used to build tasks and mark gold.
import { useEffect, useState } from 'preact/hooks';
import type { AdminQuestion } from '@in3d/shared/quality';
import { listQuestions, type QuestionQuery } from '../../state/admin';
import { fmt, useQualityMessages } from '../review/messages';

const PAGE = 100;

export function QuestionPicker(props: { selected: Set<string>; onChange(next: Set<string>): void; reload?: number; extra?: (q: AdminQuestion) => preact.ComponentChild }) {
  const t = useQualityMessages();
  const [filter, setFilter] = useState<Omit<QuestionQuery, 'limit' | 'offset'>>({});
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ total: number; questions: AdminQuestion[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    // A short pause while typing, so each keystroke does not send a request.
    const timer = setTimeout(() => {
      listQuestions({ ...filter, limit: PAGE, offset }).then(
        (p) => alive && (setPage(p), setError(null)),
        (e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)),
      );
    }, 150);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [JSON.stringify(filter), offset, props.reload]);
  const text = (key: 'category' | 'task' | 'annotator', label: string) => (
    <label class="field">
      <span>{label}</span>
      <input
        value={filter[key] ?? ''}
        placeholder={t.admin.tasks.all}
        onInput={(e) => {
          setOffset(0);
          setFilter({ ...filter, [key]: (e.target as HTMLInputElement).value.trim() || undefined });
        }}
      />
    </label>
  );

  const toggle = (id: string, on: boolean) => {
    const next = new Set(props.selected);
    if (on) next.add(id);
    else next.delete(id);
    props.onChange(next);
  };
  const allOnPage = page?.questions.every((q) => props.selected.has(q.id)) ?? false;

  return (
    <div class="q-picker">
      {error && <p class="note error">{error}</p>}
      <div class="q-form">
        {text('category', t.admin.tasks.category)}
        {text('task', t.admin.tasks.task)}
        {text('annotator', t.admin.tasks.annotator)}
        <label class="field">
          <span>{t.admin.tasks.status}</span>
          <select
            data-testid="status-filter"
            value={filter.status ?? ''}
            onChange={(e) => {
              setOffset(0);
              setFilter({ ...filter, status: ((e.target as HTMLSelectElement).value || undefined) as QuestionQuery['status'] });
            }}
          >
            <option value="">{t.admin.tasks.all}</option>
            {(['open', 'annotated', 'conflict'] as const).map((k) => (
              <option key={k} value={k}>{t.admin.tasks.statuses[k]}</option>
            ))}
          </select>
        </label>
        <span class="muted">{fmt(t.admin.tasks.selected, { n: props.selected.size })}</span>
        {page && (page.total > PAGE || offset > 0) && (
          <span class="q-actions">
            <button type="button" class="btn btn-ghost btn-sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>‹</button>
            <span class="muted small">{offset + 1}–{Math.min(page.total, offset + PAGE)} / {page.total}</span>
            <button type="button" class="btn btn-ghost btn-sm" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>›</button>
          </span>
        )}
      </div>
      <table class="q-table" data-testid="question-picker">
        <thead>
          <tr>
            <th>
              <input type="checkbox" aria-label={t.admin.tasks.all} checked={allOnPage} onChange={(e) => {
                const on = (e.target as HTMLInputElement).checked;
                const next = new Set(props.selected);
                for (const q of page?.questions ?? []) on ? next.add(q.id) : next.delete(q.id);
                props.onChange(next);
              }} />
            </th>
            <th>{t.admin.tasks.photo}</th>
            <th>{t.review.question}</th>
            <th>{t.admin.tasks.category}</th>
            <th>{t.admin.tasks.status}</th>
            <th>{t.admin.tasks.inTasks}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {page?.questions.map((q) => (
            <tr key={q.id} data-question={q.id}>
              <td><input type="checkbox" aria-label={q.id} checked={props.selected.has(q.id)} onChange={(e) => toggle(q.id, (e.target as HTMLInputElement).checked)} /></td>
              <td>{q.imageUrl && <img class="admin-thumb" src={q.imageUrl} alt="" loading="lazy" />}</td>
              <td>{q.id}{q.isGold && <span class="chip">{t.admin.gold.isGold}</span>}</td>
              <td>{q.category}</td>
              <td class="small" data-status={q.status}>
                {q.status && t.admin.tasks.statuses[q.status]}
                {q.annotators?.length ? <span class="muted"> · {q.annotators.join(', ')}</span> : null}
              </td>
              <td class="muted small">{q.taskIds.join(', ')}</td>
              <td>{props.extra?.(q)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
