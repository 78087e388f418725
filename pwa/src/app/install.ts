// "Install app": Chromium offers installation through `beforeinstallprompt`, which we keep and replay
// from our own button; iOS Safari has no such event, so there we show how to add to the home screen.
import { signal } from '@preact/signals';

/** The part of Chromium's BeforeInstallPromptEvent we use (not in lib.dom). */
export interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/** Set while the browser allows installing; null when it does not (or the app is installed). */
export const installPrompt = signal<InstallPromptEvent | null>(null);
export const installed = signal(false);

export function isStandalone(): boolean {
  return window.matchMedia?.('(display-mode: standalone)').matches === true || (navigator as { standalone?: boolean }).standalone === true;
}

/** iOS and iPadOS Safari: installable only through Share → Add to Home Screen. */
export function isIosSafari(): boolean {
  const ua = navigator.userAgent;
  const ios = /iPad|iPhone|iPod/.test(ua) || (ua.includes('Macintosh') && navigator.maxTouchPoints > 1);
  return ios && !/CriOS|FxiOS|EdgiOS/.test(ua);
}

export function watchInstall(): void {
  installed.value = isStandalone();
  window.addEventListener('beforeinstallprompt', (e) => {
    // Keep the event for our button instead of the browser's own mini-infobar.
    e.preventDefault();
    installPrompt.value = e as InstallPromptEvent;
  });
  window.addEventListener('appinstalled', () => {
    installed.value = true;
    installPrompt.value = null;
  });
}

/** Shows the browser's install dialog; the event can be used once, whatever the answer. */
export async function promptInstall(): Promise<'accepted' | 'dismissed' | 'unavailable'> {
  const e = installPrompt.value;
  if (!e) return 'unavailable';
  installPrompt.value = null;
  await e.prompt();
  const { outcome } = await e.userChoice;
  if (outcome === 'accepted') installed.value = true;
  return outcome;
}
