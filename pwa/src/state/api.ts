// The app's one API client for state modules that have no DataStore at hand (the admin panels): the
// DataStore's `request`, bound once at start, so every call shares its failure handling (401, 426).
import type { DataStore } from '../data/contract';

let bound: DataStore['request'] | null = null;

export function bindApi(store: Pick<DataStore, 'request'>): void {
  bound = store.request.bind(store);
}

export function api<T>(method: Parameters<DataStore['request']>[0], path: string, body?: unknown): Promise<T> {
  if (!bound) return Promise.reject(new Error('The API is used before the app bound it (bindApi in main.tsx)'));
  return bound<T>(method, path, body);
}
