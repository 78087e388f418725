// Logging out with saves still on the device: say how many, offer to send them first.
import { useState } from 'preact/hooks';
import { fmt, useMessages } from '../i18n';
import { useServices } from '../app/services';
import { syncStatus } from '../state/sync-status';
import { Modal } from './Modal';

export function LogoutDialog({ onLogout, onClose }: { onLogout: () => Promise<void>; onClose: () => void }) {
  const m = useMessages();
  const { store } = useServices();
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const s = syncStatus.value;

  const syncThenLogout = async () => {
    setBusy(true);
    await store.syncNow();
    setBusy(false);
    setTried(true);
    if (store.status().pending === 0) await onLogout();
  };

  const problem = !s.online ? m.session.logoutOffline : s.lastError ? (m.sync.errorKinds[s.lastError.kind] ?? s.lastError.message) : '';
  return (
    <Modal title={m.session.logoutTitle} onClose={onClose} testId="logout-dialog">
      <div class="stack">
        <p data-testid="logout-pending">{fmt(m.session.logoutPending, { n: s.pending })}</p>
        {tried && s.pending > 0 && (
          <p class="note warn" role="alert">
            {fmt(m.session.logoutStillPending, { n: s.pending, error: problem })}
          </p>
        )}
        {!tried && !s.online && <p class="note">{m.session.logoutOffline}</p>}
        <div class="row-end">
          <button type="button" class="btn btn-ghost" onClick={() => void onLogout()}>
            {m.session.logoutAnyway}
          </button>
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void syncThenLogout()}>
            {busy ? m.session.logoutSyncing : m.session.logoutSync}
          </button>
        </div>
      </div>
    </Modal>
  );
}
