// The sync status pages show: recounted from the database after every change, pushed to listeners.
import { type SyncStatus, initialSyncStatus } from './contract';
import type { LocalDb } from './db';
import { isOnline } from './env';

export interface StatusHub {
  get(): SyncStatus;
  patch(p: Partial<SyncStatus>): void;
  /** Recount pending, needs-attention and conflicts for the user (or zeros without one). */
  recount(userId: string | null): Promise<void>;
  subscribe(listener: (s: SyncStatus) => void): () => void;
}

export function createStatusHub(db: LocalDb): StatusHub {
  let status: SyncStatus = initialSyncStatus(isOnline());
  const listeners = new Set<(s: SyncStatus) => void>();
  const emit = () => {
    for (const l of listeners) l(status);
  };
  const hub: StatusHub = {
    get: () => status,
    patch(p) {
      const next = { ...status, ...p };
      if ((Object.keys(p) as (keyof SyncStatus)[]).every((k) => next[k] === status[k])) return;
      status = next;
      emit();
    },
    async recount(userId) {
      if (!userId) return hub.patch({ pending: 0, needsAttention: 0, conflicts: 0 });
      const [pending, needsAttention, conflicts] = await db.transaction('r', [db.outbox, db.attention, db.annotations], () =>
        Promise.all([
          db.outbox.where('userId').equals(userId).count(),
          db.attention.where('userId').equals(userId).count(),
          db.annotations.where('[userId+syncKind]').equals([userId, 'conflict']).count(),
        ]),
      );
      hub.patch({ pending, needsAttention, conflicts });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return hub;
}
