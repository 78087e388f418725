// Every keyboard shortcut lives in this one table: the handler resolves keys through it and the help
// overlay lists it, so the two cannot drift apart. Keys match on `code` (the physical key) so that they
// work the same with any keyboard layout or input method.
import type { ObjectStatus, Dense } from '@in3d/shared/types';
import type { PoseParam } from './pose-params';
import type { ZoomCommand } from './photo-view';

export type ShortcutAction =
  | { type: 'step'; param: PoseParam; direction: 1 | -1; coarse: boolean }
  | { type: 'save' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'reset' }
  | { type: 'snap' }
  | { type: 'prev' }
  | { type: 'next' }
  | { type: 'nextOpen' }
  | { type: 'jump' }
  | { type: 'help' }
  /** A digit typed towards a subtype number (see subtype-keys.ts). */
  | { type: 'subtype'; index: number }
  | { type: 'objectStatus'; value: ObjectStatus }
  | { type: 'dense'; value: Dense }
  | { type: 'cycleOverlay' }
  | { type: 'cycleView' }
  | { type: 'opacity'; delta: number }
  | { type: 'holdHide' }
  | { type: 'zoom'; cmd: ZoomCommand }
  | { type: 'panTool' }
  | { type: 'fine' }
  | { type: 'escape' };

export interface KeyLike {
  key: string;
  code: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** Where the key was pressed: shortcuts stay out of the way of typing and of native control keys. */
/** 'button': one clicked or tapped (Enter still saves); 'keyButton': one reached by the keyboard (Enter and Space press it). */
export type FocusKind = 'text' | 'range' | 'radio' | 'button' | 'keyButton' | 'link' | 'other';

/** Groups and names for the help overlay (i18n keys under `keys.*`). */
export type ShortcutGroup = 'pose' | 'labels' | 'actions' | 'view';

interface Binding {
  /** Shown in the help overlay, e.g. "Shift+A". */
  keys: string;
  group: ShortcutGroup;
  /** i18n key of the description. */
  label: string;
  match: (k: KeyLike) => boolean;
  action: ShortcutAction;
  /** Fires even while typing in a text/number field. */
  inText?: boolean;
  /** Arrow keys are left to native sliders and radio groups. */
  nativeInRange?: boolean;
}

const mod = (k: KeyLike) => k.ctrlKey || k.metaKey;
/** The key alone (or with Shift when `shift`), no Ctrl, Meta or Alt. */
export const plain = (code: string, shift = false) => (k: KeyLike) => k.code === code && k.shiftKey === shift && !mod(k) && !k.altKey;

function stepBindings(param: PoseParam, minus: string, plus: string, minusName: string, plusName: string, native = false): Binding[] {
  const out: Binding[] = [];
  for (const coarse of [false, true]) {
    out.push(
      { keys: `${coarse ? 'Shift+' : ''}${minusName}`, group: 'pose', label: `keys.${param}.${coarse ? 'coarse' : 'fine'}`, match: plain(minus, coarse), action: { type: 'step', param, direction: -1, coarse }, nativeInRange: native },
      { keys: `${coarse ? 'Shift+' : ''}${plusName}`, group: 'pose', label: `keys.${param}.${coarse ? 'coarse' : 'fine'}`, match: plain(plus, coarse), action: { type: 'step', param, direction: 1, coarse }, nativeInRange: native },
    );
  }
  return out;
}

const STATUS_KEYS: [string, ObjectStatus][] = [['Digit1', 'status_good'], ['Digit2', 'status_partially'], ['Digit3', 'status_barely'], ['Digit4', 'status_bad']];

export const BINDINGS: readonly Binding[] = [
  ...stepBindings('azimuth', 'KeyA', 'KeyD', 'A', 'D'),
  ...stepBindings('elevation', 'KeyS', 'KeyW', 'S', 'W'),
  ...stepBindings('theta', 'KeyQ', 'KeyE', 'Q', 'E'),
  ...stepBindings('distance', 'KeyZ', 'KeyX', 'Z', 'X'),
  ...stepBindings('px', 'ArrowLeft', 'ArrowRight', '←', '→', true),
  ...stepBindings('py', 'ArrowUp', 'ArrowDown', '↑', '↓', true),
  ...Array.from({ length: 10 }, (_, i): Binding => ({
    keys: String(i), group: 'labels', label: 'keys.subtype', match: plain(`Digit${i}`), action: { type: 'subtype', index: i },
  })),
  ...STATUS_KEYS.map(([code, value], i): Binding => ({
    keys: `Shift+${i + 1}`, group: 'labels', label: `keys.objectStatus.${value}`, match: plain(code, true), action: { type: 'objectStatus', value },
  })),
  { keys: 'Shift+5', group: 'labels', label: 'keys.dense.dense_no', match: plain('Digit5', true), action: { type: 'dense', value: 'dense_no' } },
  { keys: 'Shift+6', group: 'labels', label: 'keys.dense.dense_yes', match: plain('Digit6', true), action: { type: 'dense', value: 'dense_yes' } },
  { keys: 'Enter', group: 'actions', label: 'keys.save', match: (k) => k.code === 'Enter' || k.code === 'NumpadEnter', action: { type: 'save' }, inText: true },
  { keys: 'Ctrl+Z', group: 'actions', label: 'keys.undo', match: (k) => k.code === 'KeyZ' && mod(k) && !k.shiftKey, action: { type: 'undo' } },
  { keys: 'Ctrl+Shift+Z', group: 'actions', label: 'keys.redo', match: (k) => (k.code === 'KeyZ' && mod(k) && k.shiftKey) || (k.code === 'KeyY' && mod(k)), action: { type: 'redo' } },
  { keys: 'Shift+R', group: 'actions', label: 'keys.reset', match: plain('KeyR', true), action: { type: 'reset' } },
  { keys: 'P', group: 'actions', label: 'keys.snap', match: plain('KeyP'), action: { type: 'snap' } },
  { keys: ',', group: 'actions', label: 'keys.prev', match: plain('Comma'), action: { type: 'prev' } },
  { keys: '.', group: 'actions', label: 'keys.next', match: plain('Period'), action: { type: 'next' } },
  { keys: 'N', group: 'actions', label: 'keys.nextOpen', match: plain('KeyN'), action: { type: 'nextOpen' } },
  { keys: 'G', group: 'actions', label: 'keys.jump', match: plain('KeyG'), action: { type: 'jump' } },
  { keys: 'M', group: 'view', label: 'keys.cycleOverlay', match: plain('KeyM'), action: { type: 'cycleOverlay' } },
  { keys: 'V', group: 'view', label: 'keys.cycleView', match: plain('KeyV'), action: { type: 'cycleView' } },
  { keys: '-', group: 'view', label: 'keys.opacityDown', match: plain('Minus'), action: { type: 'opacity', delta: -0.1 } },
  { keys: '=', group: 'view', label: 'keys.opacityUp', match: plain('Equal'), action: { type: 'opacity', delta: 0.1 } },
  { keys: ']', group: 'view', label: 'keys.zoomIn', match: plain('BracketRight'), action: { type: 'zoom', cmd: 'in' } },
  { keys: '[', group: 'view', label: 'keys.zoomOut', match: plain('BracketLeft'), action: { type: 'zoom', cmd: 'out' } },
  // Digit0 reaches the subtype binding above first (1 then 0 types subtype 10); alone it fits (AnnotatePage).
  { keys: '0', group: 'view', label: 'keys.zoomFit', match: plain('Digit0'), action: { type: 'zoom', cmd: 'fit' } },
  { keys: 'B', group: 'view', label: 'keys.zoomBbox', match: plain('KeyB'), action: { type: 'zoom', cmd: 'bbox' } },
  { keys: 'Shift+0', group: 'view', label: 'keys.zoomActual', match: plain('Digit0', true), action: { type: 'zoom', cmd: 'actual' } },
  { keys: 'H', group: 'view', label: 'keys.panTool', match: plain('KeyH'), action: { type: 'panTool' } },
  { keys: 'F', group: 'view', label: 'keys.fine', match: plain('KeyF'), action: { type: 'fine' } },
  { keys: 'Space', group: 'view', label: 'keys.holdHide', match: (k) => k.code === 'Space' && !mod(k) && !k.altKey, action: { type: 'holdHide' } },
  { keys: '?', group: 'view', label: 'keys.help', match: (k) => k.key === '?' || (k.code === 'Slash' && k.shiftKey), action: { type: 'help' } },
  { keys: 'Esc', group: 'view', label: 'keys.escape', match: (k) => k.code === 'Escape', action: { type: 'escape' }, inText: true },
];

export function resolveShortcut(k: KeyLike, focus: FocusKind = 'other'): ShortcutAction | null {
  for (const b of BINDINGS) {
    if (!b.match(k)) continue;
    if (focus === 'text' && !b.inText) return null;
    if ((focus === 'range' || focus === 'radio') && b.nativeInRange) return null;
    // Space presses a focused button natively; Enter still saves (the handler cancels the native click),
    // because after clicking a step button the focus sits on it and Enter must keep meaning "save". A
    // button reached with Tab is pressed by Enter as everywhere else: that is how a keyboard user presses it.
    if (focus === 'button' && b.action.type === 'holdHide') return null;
    if (focus === 'keyButton' && (b.action.type === 'holdHide' || b.action.type === 'save')) return null;
    if (focus === 'link' && (b.action.type === 'holdHide' || b.action.type === 'save')) return null;
    return b.action;
  }
  return null;
}

/**
 * Classifies the focused element for `resolveShortcut`. A toggle, radio or slider focused by a click
 * (`byPointer`) counts as 'other': after clicking "Partially visible" the arrows must still move the
 * model, not silently pick "Barely visible". Reached with Tab, they keep their native keys.
 */
export function focusKindOf(el: Element | null, byPointer = false): FocusKind {
  if (!el) return 'other';
  if (byPointer && el.tagName === 'INPUT' && ['radio', 'checkbox', 'range'].includes((el as HTMLInputElement).type)) return 'other';
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT' || (el as HTMLElement).isContentEditable) return 'text';
  if (tag === 'A') return 'link';
  if (tag === 'BUTTON' || tag === 'SUMMARY') return byPointer ? 'button' : 'keyButton';
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    if (type === 'range') return 'range';
    if (type === 'radio' || type === 'checkbox') return 'radio';
    if (type === 'button' || type === 'submit') return byPointer ? 'button' : 'keyButton';
    return 'text';
  }
  return 'other';
}

/** Rows for the help overlay: bindings sharing a description become one row ("A / D", "0 … 9"). */
export function shortcutsByGroup(): Record<ShortcutGroup, { keys: string; label: string }[]> {
  const out: Record<ShortcutGroup, { keys: string; label: string }[]> = { pose: [], labels: [], actions: [], view: [] };
  for (const b of BINDINGS) {
    const rows = out[b.group];
    const same = rows.find((r) => r.label === b.label);
    if (!same) rows.push({ keys: b.keys, label: b.label });
    else if (b.label === 'keys.subtype') same.keys = `0 … ${b.keys}`;
    else if (same.keys.startsWith('Shift+') && b.keys.startsWith('Shift+')) same.keys = `${same.keys} / ${b.keys.slice('Shift+'.length)}`;
    else same.keys = `${same.keys} / ${b.keys}`;
  }
  return out;
}
