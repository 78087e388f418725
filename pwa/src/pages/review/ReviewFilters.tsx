// The review queue's filters: category, annotator, task and the earlier verdict. Choices come from the
// server (kept for offline use); an empty choice means any.
import { QUEUE_VERDICT_FILTERS, type QueueVerdictFilter, type ReviewFacets, type ReviewQueueFilter } from '@in3d/shared/quality';
import { useQualityMessages } from './messages';

export function ReviewFilters({ facets, value, onChange }: { facets: ReviewFacets | null; value: ReviewQueueFilter; onChange: (f: ReviewQueueFilter) => void }) {
  const t = useQualityMessages();
  const r = t.review;
  const set = (k: keyof ReviewQueueFilter, v: string) => onChange({ ...value, [k]: v || undefined });
  const select = (k: keyof ReviewQueueFilter, label: string, options: { id: string; name: string }[]) => (
    <label class="field q-filter">
      <span>{label}</span>
      <select aria-label={label} value={value[k] ?? ''} onChange={(e) => set(k, e.currentTarget.value)}>
        <option value="">{r.any}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>{o.name}</option>
        ))}
      </select>
    </label>
  );
  const same = (xs: string[] = []) => xs.map((x) => ({ id: x, name: x }));
  const verdictName = (v: QueueVerdictFilter) => (v === 'none' ? r.never : t.verdicts[v]);
  return (
    <fieldset class="q-filters" data-testid="review-filters">
      <legend class="muted small">{r.filters}</legend>
      {select('category', r.category, same(facets?.categories))}
      {select('annotator', r.annotator, same(facets?.annotators))}
      {select('task', r.task, facets?.tasks ?? [])}
      {select('verdict', r.previous, QUEUE_VERDICT_FILTERS.map((v) => ({ id: v, name: verdictName(v) })))}
      {Object.values(value).some(Boolean) && (
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => onChange({})}>{r.clear}</button>
      )}
    </fieldset>
  );
}
