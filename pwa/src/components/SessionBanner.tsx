// Shown on every page: an ended session (a 401 from any call) with "Sign in again", and, after a
// sign-in, other users' unsynced saves that this device still holds.
import { useState } from 'preact/hooks';
import { TriangleAlert } from 'lucide-preact';
import { fmt, useMessages } from '../i18n';
import { currentUser, othersPending } from '../state/session';
import { syncStatus } from '../state/sync-status';
import { SignInDialog } from './SignInDialog';

export function SessionBanner() {
  const m = useMessages();
  const user = currentUser.value;
  const [dialog, setDialog] = useState(false);
  const others = othersPending.value;
  return (
    <>
      {user && syncStatus.value.loginNeeded && (
        <div class="banner banner-warn" role="alert" data-testid="session-banner">
          <TriangleAlert size={16} aria-hidden="true" />
          <span>{m.session.ended}</span>
          <button type="button" class="btn btn-primary btn-sm" onClick={() => setDialog(true)}>
            {m.session.signInAgain}
          </button>
        </div>
      )}
      {user && others.length > 0 && (
        <div class="banner" role="status" data-testid="others-pending">
          <span>{others.map((o) => fmt(m.session.othersPending, { n: o.count, user: o.userId })).join(' ')}</span>
          <button type="button" class="btn btn-ghost btn-sm" onClick={() => (othersPending.value = [])}>
            {m.session.dismiss}
          </button>
        </div>
      )}
      {dialog && user && <SignInDialog userId={user.id} onClose={() => setDialog(false)} />}
    </>
  );
}
