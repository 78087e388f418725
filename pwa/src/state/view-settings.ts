// How the overlay is shown (style, opacity, view, colour, line width, crease angle) and how fast the
// pointer moves the pose. Personal preferences, not part of an annotation: remembered on this device,
// never undone.
import { effect, signal } from '@preact/signals';
import { DEFAULT_CREASE_DEG } from '@in3d/shared/mesh/features';
import type { OverlayMode, ViewMode } from '../render/contract';

export const OVERLAY_MODES: readonly OverlayMode[] = ['edges', 'wireframe', 'shaded', 'silhouette'];
export const VIEW_MODES: readonly ViewMode[] = ['overlay', 'model', 'photo'];
/** Overlay colours to choose from; 'auto' picks the one that stands out most on the photo's bbox. */
export const COLOR_PRESETS = ['#5eead4', '#ff3bd4', '#facc15', '#ef4444', '#3b82f6', '#ffffff', '#000000'] as const;
export type OverlayColor = 'auto' | (typeof COLOR_PRESETS)[number];
export const LINE_WIDTHS = [1, 1.5, 2, 3] as const;

export interface ViewSettings {
  overlayMode: OverlayMode;
  opacity: number;
  view: ViewMode;
  color: OverlayColor;
  /** CSS pixels. */
  lineWidth: number;
  /** Feature edges: folds sharper than this are drawn, degrees. */
  creaseDeg: number;
  /** Multiplies drag, wheel and pinch (0.25 to 2). */
  sensitivity: number;
}

const KEY = 'in3d.view';
export const DEFAULT_VIEW: ViewSettings = { overlayMode: 'edges', opacity: 0.8, view: 'overlay', color: 'auto', lineWidth: 1.5, creaseDeg: DEFAULT_CREASE_DEG, sensitivity: 1 };

const inRange = (x: unknown, lo: number, hi: number): x is number => typeof x === 'number' && x >= lo && x <= hi;

export function parseViewSettings(raw: string | null | undefined): ViewSettings {
  const d = DEFAULT_VIEW;
  if (!raw) return d;
  try {
    const v = JSON.parse(raw) as Partial<ViewSettings>;
    // Settings saved before feature edges existed had every-edge wireframe as the default: move them on.
    const legacy = v.lineWidth === undefined && v.overlayMode === 'wireframe';
    return {
      overlayMode: !legacy && OVERLAY_MODES.includes(v.overlayMode as OverlayMode) ? (v.overlayMode as OverlayMode) : d.overlayMode,
      opacity: inRange(v.opacity, 0.1, 1) ? v.opacity : d.opacity,
      view: VIEW_MODES.includes(v.view as ViewMode) ? (v.view as ViewMode) : d.view,
      color: v.color === 'auto' || COLOR_PRESETS.includes(v.color as (typeof COLOR_PRESETS)[number]) ? (v.color as OverlayColor) : d.color,
      lineWidth: inRange(v.lineWidth, 1, 4) ? v.lineWidth : d.lineWidth,
      creaseDeg: inRange(v.creaseDeg, 5, 90) ? v.creaseDeg : d.creaseDeg,
      sensitivity: inRange(v.sensitivity, 0.25, 2) ? v.sensitivity : d.sensitivity,
    };
  } catch {
    // Not JSON (a hand-edited or truncated value): the defaults are the right settings then.
    return d;
  }
}

function read(): ViewSettings {
  try {
    return parseViewSettings(globalThis.localStorage?.getItem(KEY));
  } catch {
    // Blocked storage: the defaults are the right view settings then.
    return DEFAULT_VIEW;
  }
}

export const viewSettings = signal<ViewSettings>(read());
/** Held Space: hide the overlay for a moment. */
export const overlayHeld = signal(false);
/** Fine control (0.1×) for drag, wheel and pinch, toggled for touch; Alt does the same while held. */
export const fineMode = signal(false);
/** Hand tool: one-finger drag pans the photo and pinch zooms it, instead of moving the pose. */
export const panTool = signal(false);

/** How much one pointer unit moves the pose now. */
export function pointerGain(alt: boolean): number {
  return viewSettings.value.sensitivity * (fineMode.value || alt ? FINE_FACTOR : 1);
}
export const FINE_FACTOR = 0.1;

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
  next.creaseDeg = Math.round(Math.max(5, Math.min(90, next.creaseDeg)));
  next.sensitivity = Math.round(Math.max(0.25, Math.min(2, next.sensitivity)) * 100) / 100;
  next.lineWidth = Math.max(1, Math.min(4, next.lineWidth));
  viewSettings.value = next;
}

export function cycle<T>(list: readonly T[], cur: T): T {
  const i = list.indexOf(cur);
  return list[(i + 1) % list.length] ?? cur;
}
