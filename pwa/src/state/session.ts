// The signed-in user, read once from the store's cached session (works offline), and the account
// actions the pages share: sign in (also "Sign in again" in place), sign out.
import { signal } from '@preact/signals';
import type { SessionUser } from '@in3d/shared/types';
import type { DataStore, LoginResult, PendingOfUser } from '../data/contract';
import { errorMessage, reportError } from '../app/report-error';

/** undefined: not known yet (startup); null: signed out. */
export const currentUser = signal<SessionUser | null | undefined>(undefined);
/** After a sign-in: other users' unsynced saves this device still holds (the pages say so). */
export const othersPending = signal<PendingOfUser[]>([]);

export async function loadSession(store: DataStore): Promise<SessionUser | null> {
  try {
    currentUser.value = await store.currentUser();
  } catch (err) {
    // The cached session could not be read: signing in again is the way on, and the reason is shown.
    reportError('session: read the signed-in user', err);
    currentUser.value = null;
  }
  return currentUser.value;
}

export async function login(store: DataStore, userId: string, password: string): Promise<LoginResult> {
  try {
    const r = await store.login(userId.trim(), password);
    if (r.ok && r.user) {
      currentUser.value = r.user;
      othersPending.value = await store.pendingOfOtherUsers();
    }
    return r;
  } catch (e) {
    // Shown on the form by the caller; also logged.
    reportError('session: sign in', e);
    return { ok: false, error: errorMessage(e) };
  }
}

export async function logout(store: DataStore): Promise<void> {
  await store.logout();
  othersPending.value = [];
  currentUser.value = null;
}
