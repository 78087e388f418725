// Small settings in idb-keyval: the last user (so the app opens offline) and one client id per
// annotator on this device (SPEC R3).
import type { SessionUser } from '@in3d/shared/types';
import { createStore, del, get, set, update, type UseStore } from 'idb-keyval';
import { newUuid } from './uuid';

export interface Settings {
  lastUser(): Promise<SessionUser | null>;
  setLastUser(user: SessionUser | null): Promise<void>;
  /** This device's client id for the user, created once and kept. */
  clientIdFor(userId: string): Promise<string>;
}

export function createSettings(dbName: string): Settings {
  let store: UseStore | null = null;
  // Opened on first use, so creating a data store has no side effects until it is used.
  const kv = () => (store ??= createStore(`${dbName}-settings`, 'kv'));
  const clientIds = new Map<string, string>();
  return {
    async lastUser() {
      return (await get<SessionUser>('lastUser', kv())) ?? null;
    },
    async setLastUser(user) {
      if (user) await set('lastUser', user, kv());
      else await del('lastUser', kv());
    },
    async clientIdFor(userId) {
      const known = clientIds.get(userId);
      if (known) return known;
      const key = `clientId:${userId}`;
      // update() reads and writes in one transaction, so two tabs cannot mint two ids.
      await update<string>(key, (old) => old ?? newUuid(), kv());
      const id = await get<string>(key, kv());
      if (!id) throw new Error('could not store the client id');
      clientIds.set(userId, id);
      return id;
    },
  };
}
