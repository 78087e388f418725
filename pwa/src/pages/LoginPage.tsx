// Sign in with the annotator ID and password the coordinator handed out.
import { useState } from 'preact/hooks';
import { fmt, useMessages } from '../i18n';
import { useServices } from '../app/services';
import { hrefOf, navigate } from '../app/router';
import { login } from '../state/session';
import { syncStatus } from '../state/sync-status';
import { Logo } from '../components/Logo';

export function LoginPage() {
  const m = useMessages();
  const { store } = useServices();
  const [userId, setUserId] = useState('');
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
    if (r.ok) navigate({ name: 'tasks' }, { replace: true, force: true });
    else setError(r.error ?? 'unknown error');
  };

  return (
    <main class="login-page">
      <form class="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <div class="login-head">
          <Logo size={44} />
          <div>
            <h1 id="login-title">{m.login.title}</h1>
            <p class="muted">{m.login.subtitle}</p>
          </div>
        </div>
        {!syncStatus.value.online && <p class="note">{m.login.offlineHint}</p>}
        {syncStatus.value.otherUsersPending > 0 && (
          <p class="note warn" data-testid="device-pending">
            {fmt(m.login.devicePending, { n: syncStatus.value.otherUsersPending })}
          </p>
        )}
        <label class="field">
          <span>{m.login.userId}</span>
          <input name="userId" autoComplete="username" autoCapitalize="none" spellcheck={false} required value={userId} onInput={(e) => setUserId(e.currentTarget.value)} />
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
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? m.login.busy : m.login.submit}
        </button>
        <a class="link center" href={hrefOf({ name: 'docs' })}>
          {m.login.readGuide}
        </a>
      </form>
    </main>
  );
}
