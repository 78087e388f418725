/// <reference types="vite-plugin-pwa/client" />
// Service worker registration. An update waits for the user (prompt), and even then the page reloads
// only when nothing would be lost: the outbox is empty and there are no unsaved edits. Another tab
// activating the update does not reload this one over unsaved work either (onNeedReload).
import { effect, signal } from '@preact/signals';
import { registerSW } from 'virtual:pwa-register';
import { syncStatus } from '../state/sync-status';
import { unsavedChanges } from '../state/unsaved';

export const updateAvailable = signal(false);
export const offlineReady = signal(false);
/** The user asked to update; we reload as soon as it is safe. */
const reloadRequested = signal(false);
let activate: ((reload?: boolean) => Promise<void>) | null = null;
let controlling = false;

export const safeToReload = () => syncStatus.value.pending === 0 && !unsavedChanges.value && !syncStatus.value.syncing;

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  activate = registerSW({
    onNeedRefresh: () => (updateAvailable.value = true),
    onOfflineReady: () => (offlineReady.value = true),
    onNeedReload: () => {
      controlling = true;
      if (reloadRequested.value && safeToReload()) location.reload();
      else updateAvailable.value = true;
    },
  });
  effect(() => {
    if (reloadRequested.value && controlling && safeToReload()) location.reload();
  });
}

/** Called by the prompt's button; a no-op while reloading would lose work. */
export function applyUpdate(): void {
  if (!safeToReload()) return;
  reloadRequested.value = true;
  if (controlling) location.reload();
  else void activate?.(true);
}

export function dismissUpdate(): void {
  updateAvailable.value = false;
}
