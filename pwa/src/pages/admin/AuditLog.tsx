// The dashboard's audit log: the newest admin actions, who, what and when (from GET /api/admin/audit).
import { useEffect, useState } from 'preact/hooks';
import { type AuditEntry, listAudit } from '../../state/admin';
import { fmt, useQualityMessages } from '../review/messages';
import { CsvButton } from './CsvButton';

export function AuditLog() {
  const t = useQualityMessages();
  const d = t.admin.dash;
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listAudit().then(setEntries, (e: Error) => setError(e.message));
  }, []);
  return (
    <section class="card q-section q-wide">
      <CsvButton name="admin-actions" header={['at', 'actor', 'action', 'target', 'status']} rows={(entries ?? []).map((e) => [e.at, e.actor, e.action, e.target, e.status])} />
      <h2>{d.audit}</h2>
      {error && <p class="note error" role="alert">{fmt(t.common.error, { error })}</p>}
      {entries && entries.length > 0 ? (
        <table class="q-table" data-testid="admin-audit">
          <thead><tr><th>{d.auditWhen}</th><th>{d.auditWho}</th><th>{d.auditWhat}</th></tr></thead>
          <tbody>
            {entries.map((e, i) => (
              <tr key={i}><td>{new Date(e.at).toLocaleString()}</td><td>{e.actor}</td><td><code>{e.action} {e.target}</code></td></tr>
            ))}
          </tbody>
        </table>
      ) : entries && <p class="muted">{d.noData}</p>}
    </section>
  );
}
