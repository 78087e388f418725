// A note and a "report a problem" flag on the question itself (wrong box, wrong category, duplicate,
// broken photo). Queued in the one outbox (SPEC R50): it reaches the admin and reviewers with the next sync.
import { useState } from 'preact/hooks';
import { REPORT_PROBLEMS, type ReportProblem } from '@in3d/shared/protocol';
import type { QuestionInfo } from '@in3d/shared/types';
import type { DataStore } from '../data/contract';
import { fmt, useMessages } from '../i18n';

export function QuestionReport({ q, store }: { q: QuestionInfo; store: DataStore }) {
  const m = useMessages();
  const [problem, setProblem] = useState<ReportProblem | ''>('');
  const [note, setNote] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const label = (p: ReportProblem) => m.annotate[`report_${p}`];
  const send = async () => {
    setError(null);
    try {
      await store.reportQuestion(q.taskId, q.id, { problem: problem || null, note });
      setSent(fmt(m.annotate.reportSent, { kind: problem ? label(problem) : m.annotate.note }));
      setProblem('');
      setNote('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div class="question-report">
      <label class="field">
        <span>{m.annotate.note}</span>
        <textarea value={note} placeholder={m.annotate.notePlaceholder} maxLength={2000} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <div class="report-row">
        <select aria-label={m.annotate.reportKind} value={problem} onChange={(e) => setProblem(e.currentTarget.value as ReportProblem | '')}>
          <option value="">{m.annotate.report}…</option>
          {REPORT_PROBLEMS.map((p) => (
            <option key={p} value={p}>{label(p)}</option>
          ))}
        </select>
        <button type="button" class="btn btn-ghost btn-sm" disabled={!problem && note.trim() === ''} onClick={() => void send()}>
          {m.annotate.reportSend}
        </button>
      </div>
      {sent && <p class="muted small" role="status">{sent}</p>}
      {error && <p class="note error" role="alert">{error}</p>}
    </div>
  );
}
