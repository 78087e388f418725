// The review page's keyboard shortcuts, in one table: the handler resolves keys through it, the verdict
// buttons show their key from it and the help sheet lists it. Keys match on `code`, like keymap.ts.
import { REVIEW_VERDICTS, type ReviewVerdict } from '@in3d/shared/quality';
import { type FocusKind, type KeyLike, plain } from './keymap';

export type ReviewAction =
  | { type: 'verdict'; verdict: ReviewVerdict }
  | { type: 'skip' }
  | { type: 'back' }
  | { type: 'cycleView' }
  | { type: 'beforeAfter' }
  | { type: 'holdHide' }
  | { type: 'help' }
  | { type: 'escape' };

interface ReviewBinding {
  keys: string;
  /** Key of the description in the quality messages (`review.keys.*`). */
  label: string;
  match: (k: KeyLike) => boolean;
  action: ReviewAction;
}

export const REVIEW_BINDINGS: readonly ReviewBinding[] = [
  ...REVIEW_VERDICTS.map((verdict, i): ReviewBinding => ({ keys: String(i + 1), label: `verdict.${verdict}`, match: plain(`Digit${i + 1}`), action: { type: 'verdict', verdict } })),
  { keys: '.', label: 'skip', match: (k) => plain('Period')(k) || plain('ArrowRight')(k), action: { type: 'skip' } },
  { keys: ',', label: 'back', match: (k) => plain('Comma')(k) || plain('ArrowLeft')(k), action: { type: 'back' } },
  { keys: 'V', label: 'cycleView', match: plain('KeyV'), action: { type: 'cycleView' } },
  { keys: 'B', label: 'beforeAfter', match: plain('KeyB'), action: { type: 'beforeAfter' } },
  { keys: 'Space', label: 'holdHide', match: (k) => k.code === 'Space' && !k.ctrlKey && !k.metaKey && !k.altKey, action: { type: 'holdHide' } },
  { keys: '?', label: 'help', match: (k) => k.key === '?' || (k.code === 'Slash' && k.shiftKey), action: { type: 'help' } },
  { keys: 'Esc', label: 'escape', match: (k) => k.code === 'Escape', action: { type: 'escape' } },
];

/** The action of a key, or null; nothing while typing a comment, and Space stays native on buttons and links. */
export function resolveReviewKey(k: KeyLike, focus: FocusKind = 'other'): ReviewAction | null {
  if (focus === 'text') return k.code === 'Escape' ? { type: 'escape' } : null;
  const b = REVIEW_BINDINGS.find((x) => x.match(k));
  if (!b) return null;
  if ((focus === 'button' || focus === 'keyButton' || focus === 'link') && b.action.type === 'holdHide') return null;
  // Arrows in a radio group or select move its choice.
  if ((focus === 'radio' || focus === 'range') && (k.code === 'ArrowLeft' || k.code === 'ArrowRight')) return null;
  return b.action;
}

/** The key shown on a verdict button ("4" for Bad pose). */
export const verdictKey = (v: ReviewVerdict): string => String(REVIEW_VERDICTS.indexOf(v) + 1);
