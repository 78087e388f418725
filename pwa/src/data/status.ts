// The sync status pages show: counted from the database and pushed to listeners. The counts follow the
// database live (Dexie liveQuery), so a save in another tab of the same user moves this tab's chip too.
import { liveQuery } from 'dexie';
import { type SyncStatus, initialSyncStatus } from './contract';
import type { LocalDb } from './db';
import { isOnline } from './env';

type Counts = Pick<SyncStatus, 'pending' | 'needsAttention' | 'conflicts' | 'otherUsersPending'>;

export interface StatusHub {
  get(): SyncStatus;
  patch(p: Partial<SyncStatus>): void;
  /** Recount pending, needs-attention and conflicts for the user (or zeros without one) now. */
  recount(userId: string | null): Promise<void>;
  /** Keeps the counts of `userId` (null: signed out) current across tabs until the next call or `stop()`. */
  watch(userId: string | null): void;
  stop(): void;
  subscribe(listener: (s: SyncStatus) => void): () => void;
}

function count(db: LocalDb, userId: string | null): Promise<Counts> {
  return db.transaction('r', [db.outbox, db.attention, db.annotations], async () => {
    if (!userId) return { pending: 0, needsAttention: 0, conflicts: 0, otherUsersPending: await db.outbox.count() };
    const [pending, needsAttention, conflicts, all] = await Promise.all([
      db.outbox.where('userId').equals(userId).count(),
      db.attention.where('userId').equals(userId).count(),
      db.annotations.where('[userId+syncKind]').equals([userId, 'conflict']).count(),
      db.outbox.count(),
    ]);
    return { pending, needsAttention, conflicts, otherUsersPending: all - pending };
  });
}

export function createStatusHub(db: LocalDb, onError: (err: unknown) => void): StatusHub {
  let status: SyncStatus = initialSyncStatus(isOnline());
  const listeners = new Set<(s: SyncStatus) => void>();
  let watching: { userId: string | null; unsubscribe(): void } | null = null;
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
      hub.patch(await count(db, userId));
    },
    watch(userId) {
      if (watching && watching.userId === userId) return;
      watching?.unsubscribe();
      watching = null;
      const sub = liveQuery(() => count(db, userId)).subscribe({ next: (c) => hub.patch(c), error: onError });
      watching = { userId, unsubscribe: () => sub.unsubscribe() };
    },
    stop() {
      watching?.unsubscribe();
      watching = null;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return hub;
}
