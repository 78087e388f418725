// The one sign-in form: the login page and the "sign in again" dialog differ only in their frame, whether
// the user id can be edited, and what happens after a successful sign-in.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { fmt, useMessages } from '../i18n';
import { useServices } from '../app/services';
import { login } from '../state/session';

export function CredentialForm({
  fixedUserId,
  onSignedIn,
  class: className,
  labelledBy,
  header,
  actions,
}: {
  /** Set for "sign in again": the id is shown read-only. */
  fixedUserId?: string;
  /** The login page leaves this out: App moves on once the user is known. */
  onSignedIn?: () => void;
  class: string;
  labelledBy?: string;
  header?: ComponentChildren;
  /** Renders the buttons; receives whether a sign-in is under way. */
  actions: (busy: boolean) => ComponentChildren;
}) {
  const m = useMessages();
  const { store } = useServices();
  const [typedId, setTypedId] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const userId = fixedUserId ?? typedId;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const r = await login(store, userId, password);
    setBusy(false);
    if (r.ok) onSignedIn?.();
    else setError(r.error ?? 'unknown error');
  };

  return (
    <form class={className} onSubmit={submit} aria-labelledby={labelledBy}>
      {header}
      <label class="field">
        <span>{m.login.userId}</span>
        {fixedUserId !== undefined ? (
          <input name="userId" autoComplete="username" value={fixedUserId} readOnly />
        ) : (
          <input name="userId" autoComplete="username" autoCapitalize="none" spellcheck={false} required value={typedId} onInput={(e) => setTypedId(e.currentTarget.value)} />
        )}
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
      {actions(busy)}
    </form>
  );
}
