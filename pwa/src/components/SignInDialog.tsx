// "Sign in again" in place: the same user, a password, and nothing else on the page changes.
import { fmt, useMessages } from '../i18n';
import { CredentialForm } from './CredentialForm';
import { Modal } from './Modal';

export function SignInDialog({ userId, onClose }: { userId: string; onClose: () => void }) {
  const m = useMessages();
  return (
    <Modal title={m.session.dialogTitle} onClose={onClose} testId="sign-in-dialog">
      <CredentialForm
        class="stack"
        fixedUserId={userId}
        onSignedIn={onClose}
        header={<p class="muted small">{fmt(m.session.dialogHint, { user: userId })}</p>}
        actions={(busy) => (
          <div class="row-end">
            <button type="button" class="btn btn-ghost" onClick={onClose}>
              {m.session.cancel}
            </button>
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {busy ? m.login.busy : m.login.submit}
            </button>
          </div>
        )}
      />
    </Modal>
  );
}
