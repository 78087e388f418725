// "Sign in again" in place: the same user, a password, and nothing else on the page changes.
import { useState } from 'preact/hooks';
import { fmt, useMessages } from '../i18n';
import { useServices } from '../app/services';
import { login } from '../state/session';
import { Modal } from './Modal';

export function SignInDialog({ userId, onClose }: { userId: string; onClose: () => void }) {
  const m = useMessages();
  const { store } = useServices();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const r = await login(store, userId, password);
    setBusy(false);
    if (r.ok) onClose();
    else setError(r.error ?? 'unknown error');
  };

  return (
    <Modal title={m.session.dialogTitle} onClose={onClose} testId="sign-in-dialog">
      <form class="stack" onSubmit={submit}>
        <p class="muted small">{fmt(m.session.dialogHint, { user: userId })}</p>
        <label class="field">
          <span>{m.login.userId}</span>
          <input name="userId" autoComplete="username" value={userId} readOnly />
        </label>
        <label class="field">
          <span>{m.login.password}</span>
          <input name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="note error" role="alert">
            {fmt(m.login.failed, { error })}
          </p>
        )}
        <div class="row-end">
          <button type="button" class="btn btn-ghost" onClick={onClose}>
            {m.session.cancel}
          </button>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {busy ? m.login.busy : m.login.submit}
          </button>
        </div>
      </form>
    </Modal>
  );
}
