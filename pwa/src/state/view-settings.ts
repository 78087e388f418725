// How the overlay is shown (style, opacity, view). Personal preferences, not part of an annotation:
// remembered on this device, never undone.
import { effect, signal } from '@preact/signals';
import type { OverlayMode, ViewMode } from '../render/contract';

export const OVERLAY_MODES: readonly OverlayMode[] = ['wireframe', 'shaded', 'silhouette'];
export const VIEW_MODES: readonly ViewMode[] = ['overlay', 'model', 'photo'];

export interface ViewSettings {
  overlayMode: OverlayMode;
  opacity: number;
  view: ViewMode;
}

const KEY = 'in3d.view';
const DEFAULTS: ViewSettings = { overlayMode: 'wireframe', opacity: 0.8, view: 'overlay' };

function read(): ViewSettings {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    if (!raw) return DEFAULTS;
    const v = JSON.parse(raw) as Partial<ViewSettings>;
    return {
      overlayMode: OVERLAY_MODES.includes(v.overlayMode as OverlayMode) ? (v.overlayMode as OverlayMode) : DEFAULTS.overlayMode,
      opacity: typeof v.opacity === 'number' && v.opacity >= 0.1 && v.opacity <= 1 ? v.opacity : DEFAULTS.opacity,
      view: VIEW_MODES.includes(v.view as ViewMode) ? (v.view as ViewMode) : DEFAULTS.view,
    };
  } catch {
    // Blocked storage or a hand-edited value: the defaults are the right view settings then.
    return DEFAULTS;
  }
}

export const viewSettings = signal<ViewSettings>(read());
/** Held Space: hide the overlay for a moment. */
export const overlayHeld = signal(false);

effect(() => {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(viewSettings.value));
  } catch {
    // storage full or blocked: settings last for the session
  }
});

export function updateView(patch: Partial<ViewSettings>): void {
  const next = { ...viewSettings.value, ...patch };
  next.opacity = Math.round(Math.max(0.1, Math.min(1, next.opacity)) * 100) / 100;
  viewSettings.value = next;
}

export function cycle<T>(list: readonly T[], cur: T): T {
  const i = list.indexOf(cur);
  return list[(i + 1) % list.length] ?? cur;
}
