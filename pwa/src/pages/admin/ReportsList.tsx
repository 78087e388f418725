// Open notes and problem flags from annotators (SPEC R50), on the admin dashboard and in the reviewer's
// queue; an admin marks one resolved.
import { useEffect, useState } from 'preact/hooks';
import type { QuestionReportInfo } from '@in3d/shared/quality';
import { listOpenReports, resolveReport } from '../../state/admin';
import { fmt, useQualityMessages } from '../review/messages';
import { CsvButton } from './CsvButton';

export function ReportsList({ canResolve }: { canResolve: boolean }) {
  const t = useQualityMessages();
  const d = t.admin.dash;
  const [reports, setReports] = useState<QuestionReportInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => listOpenReports().then(setReports, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  useEffect(() => void load(), []);
  return (
    <section class="card q-section" data-testid="question-reports">
      <CsvButton
        name="problem-reports"
        header={['question_id', 'task_id', 'problem', 'note', 'user_id', 'created_at']}
        rows={(reports ?? []).map((r) => [r.questionId, r.taskId, r.problem, r.note, r.userId, r.createdAt])}
      />
      <h2>{d.reports}</h2>
      {error && <p class="note error" role="alert">{fmt(t.common.error, { error })}</p>}
      {reports?.length === 0 && <p class="muted">{d.reportsNone}</p>}
      {reports && reports.length > 0 && (
        <table class="q-table">
          <thead>
            <tr><th>{t.review.question}</th><th>{d.problem}</th><th>{d.note}</th><th>{d.by}</th><th /></tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <tr key={r.id} data-report={r.questionId}>
                <td>{r.questionId}<div class="muted small">{r.taskId}</div></td>
                <td>{r.problem ? d.problems[r.problem] : '—'}</td>
                <td>{r.note}</td>
                <td>{r.userId}<div class="muted small">{new Date(r.createdAt).toLocaleString()}</div></td>
                <td>
                  {canResolve && (
                    <button type="button" class="btn btn-ghost btn-sm" onClick={() => void resolveReport(r.id).then(load, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))}>
                      {d.resolve}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
