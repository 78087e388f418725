/// <reference types="vite-plugin-pwa/client" />
// Service worker registration. An update waits for the user (prompt), and even then the page reloads
// only when nothing would be lost: the outbox is empty and there are no unsaved edits. Another tab
// activating the update does not reload this one over unsaved work either (onNeedReload).
import { effect, signal } from '@preact/signals';
import { registerSW } from 'virtual:pwa-register';
import { syncStatus } from '../state/sync-status';
import { unsavedChanges } from '../state/unsaved';
import { reported } from './report-error';

export const updateAvailable = signal(false);
export const offlineReady = signal(false);
/** The user asked to update; we reload as soon as it is safe. */
const reloadRequested = signal(false);
let activate: ((reload?: boolean) => Promise<void>) | null = null;
let controlling = false;
let registration: ServiceWorkerRegistration | null = null;

/** A tab left open all day still learns of a new version: check hourly and whenever it becomes visible. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;
/** The Background Sync tag; the service worker (public/sw-sync.js) wakes an open tab to push the outbox. */
export const OUTBOX_SYNC_TAG = 'in3d-outbox';

export const safeToReload = () => syncStatus.value.pending === 0 && !unsavedChanges.value && !syncStatus.value.syncing;

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  activate = registerSW({
    onNeedRefresh: () => (updateAvailable.value = true),
    onOfflineReady: () => (offlineReady.value = true),
    onRegisteredSW: (_url, reg) => {
      if (!reg) return;
      registration = reg;
      const check = () => {
        // Offline or mid-install: the next check tries again; nothing to tell the user.
        if (navigator.onLine) reg.update().catch((e: unknown) => console.warn('Update check failed', e));
      };
      setInterval(check, UPDATE_CHECK_MS);
      document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && check());
    },
    onRegisterError: reported('service worker registration'),
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

/**
 * Asks the browser to fire a Background Sync when the network is back (Chromium). Where it is missing,
 * the sync triggers of data/triggers.ts (online, visible, periodic) do the same job.
 */
export async function registerBackgroundSync(): Promise<boolean> {
  const reg = registration ?? (navigator.serviceWorker ? await navigator.serviceWorker.getRegistration() : undefined) ?? null;
  const sync = (reg as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | null)?.sync;
  if (!sync) return false;
  try {
    await sync.register(OUTBOX_SYNC_TAG);
    return true;
  } catch (e) {
    // Denied by the browser (e.g. site settings): the other triggers still sync.
    console.warn('Background Sync registration failed', e);
    return false;
  }
}

/** The service worker's "sync" event posts this message to open tabs; they run a sync. */
export function onBackgroundSync(run: () => void): void {
  navigator.serviceWorker?.addEventListener('message', (e: MessageEvent) => {
    if ((e.data as { type?: string } | null)?.type === OUTBOX_SYNC_TAG) run();
  });
}
