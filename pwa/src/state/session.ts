// The signed-in user, read once from the store's cached session (works offline).
import { signal } from '@preact/signals';
import type { SessionUser } from '@in3d/shared/types';
import type { DataStore, LoginResult } from '../data/contract';

/** undefined: not known yet (startup); null: signed out. */
export const currentUser = signal<SessionUser | null | undefined>(undefined);

export async function loadSession(store: DataStore): Promise<SessionUser | null> {
  try {
    currentUser.value = await store.currentUser();
  } catch {
    currentUser.value = null;
  }
  return currentUser.value;
}

export async function login(store: DataStore, userId: string, password: string): Promise<LoginResult> {
  try {
    const r = await store.login(userId.trim(), password);
    if (r.ok && r.user) currentUser.value = r.user;
    return r;
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export async function logout(store: DataStore): Promise<void> {
  await store.logout();
  currentUser.value = null;
}
