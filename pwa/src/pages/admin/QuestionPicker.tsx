// A page of questions with checkboxes, filtered by category; used to build tasks and mark gold.
import { useEffect, useState } from 'preact/hooks';
import type { AdminQuestion } from '@in3d/shared/quality';
import { listQuestions } from '../../state/admin';
import { fmt, useQualityMessages } from '../review/messages';

const PAGE = 100;

export function QuestionPicker(props: { selected: Set<string>; onChange(next: Set<string>): void; reload?: number; extra?: (q: AdminQuestion) => preact.ComponentChild }) {
  const t = useQualityMessages();
  const [category, setCategory] = useState('');
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ total: number; questions: AdminQuestion[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listQuestions({ category: category || undefined, limit: PAGE, offset }).then(setPage, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [category, offset, props.reload]);

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
        <label class="field">
          <span>{t.admin.tasks.category}</span>
          <input value={category} placeholder={t.admin.tasks.all} onChange={(e) => (setOffset(0), setCategory((e.target as HTMLInputElement).value.trim()))} />
        </label>
        <span class="muted">{fmt(t.admin.tasks.selected, { n: props.selected.size })}</span>
        {page && page.total > PAGE && (
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
            <th>{t.review.question}</th>
            <th>{t.admin.tasks.category}</th>
            <th>{t.admin.tasks.inTasks}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {page?.questions.map((q) => (
            <tr key={q.id} data-question={q.id}>
              <td><input type="checkbox" aria-label={q.id} checked={props.selected.has(q.id)} onChange={(e) => toggle(q.id, (e.target as HTMLInputElement).checked)} /></td>
              <td>{q.id}{q.isGold && <span class="chip">{t.admin.gold.isGold}</span>}</td>
              <td>{q.category}</td>
              <td class="muted small">{q.taskIds.join(', ')}</td>
              <td>{props.extra?.(q)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
