// Sign in with the annotator ID and password the coordinator handed out.
import { fmt, useMessages } from '../i18n';
import { hrefOf } from '../app/router';
import { syncStatus } from '../state/sync-status';
import { CredentialForm } from '../components/CredentialForm';
import { Logo } from '../components/Logo';

export function LoginPage() {
  const m = useMessages();
  return (
    <main class="login-page">
      <CredentialForm
        class="card login-card"
        labelledBy="login-title"
        header={
          <>
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
          </>
        }
        actions={(busy) => (
          <>
            <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
              {busy ? m.login.busy : m.login.submit}
            </button>
            <a class="link center" href={hrefOf({ name: 'docs' })}>
              {m.login.readGuide}
            </a>
          </>
        )}
      />
    </main>
  );
}
