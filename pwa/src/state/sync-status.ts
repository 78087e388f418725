// Sync status as a signal fed by DataStore.onStatus, plus the questions that need attention in the
// tasks this tab has looked at (the store reports counts; the list comes from the task statuses).
import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { type DataStore, type SyncStatus, initialSyncStatus } from '../data/contract';

export const syncStatus = signal<SyncStatus>(initialSyncStatus(typeof navigator === 'undefined' ? true : navigator.onLine));

export function watchSyncStatus(store: DataStore): () => void {
  syncStatus.value = store.status();
  return store.onStatus((s) => (syncStatus.value = s));
}

export function useSyncStatusFeed(store: DataStore): void {
  useEffect(() => watchSyncStatus(store), [store]);
}

/** "just now", "5 min ago", "3 h ago" or a date, from an ISO time. */
export function relativeTime(iso: string, now: number, words: { justNow: string; minutesAgo: string; hoursAgo: string }): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  if (ms < 60_000) return words.justNow;
  if (ms < 3_600_000) return words.minutesAgo.replace('{n}', String(Math.floor(ms / 60_000)));
  if (ms < 86_400_000) return words.hoursAgo.replace('{n}', String(Math.floor(ms / 3_600_000)));
  return new Date(iso).toLocaleDateString();
}
