// Failures reported through app/report-error.ts, shown until dismissed (the console has the details).
import { X } from 'lucide-preact';
import { useMessages } from '../i18n';
import { dismissError, reportedErrors } from '../app/report-error';

export function ErrorToast() {
  const m = useMessages();
  const errors = reportedErrors.value;
  if (errors.length === 0) return null;
  return (
    <div class="toast toast-error" role="alert" data-testid="error-toast">
      <strong>{m.sync.errorsTitle}</strong>
      {errors.map((e) => (
        <div class="toast-row" key={e.id}>
          <span class="small">{e.message}</span>
          <button type="button" class="icon-btn" aria-label={m.session.dismiss} onClick={() => dismissError(e.id)}>
            <X size={14} aria-hidden="true" />
          </button>
        </div>
      ))}
    </div>
  );
}
