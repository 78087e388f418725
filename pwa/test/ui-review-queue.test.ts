import { describe, expect, it } from 'vitest';
import type { ReviewItem } from '@in3d/shared/quality';
import type { KeyLike } from '../src/state/keymap';
import { resolveReviewKey, verdictKey } from '../src/state/review-keys';
import { back, currentItem, filterParams, firstSkipped, judge, matchesFilter, progressOf, skip, startSession } from '../src/state/review-queue';

const item = (id: string, over: { annotator?: string; task?: string; category?: string; previous?: 'good' | 'bad_pose' } = {}): ReviewItem => ({
  question: { id: `q-${id}`, taskId: over.task ?? 't1', category: over.category ?? 'chair' } as ReviewItem['question'],
  revisionId: id,
  revisionSeq: 1,
  annotatorId: over.annotator ?? 'ann',
  savedAt: '2026-12-01T00:00:00Z',
  answer: { pose: { azimuth: 0, elevation: 0, theta: 0, distance: 5, px: 0, py: 0 }, subtype: 1, objectStatus: 'status_good', dense: 'dense_no' },
  previous: over.previous ? { review: { verdict: over.previous } as NonNullable<ReviewItem['previous']>['review'], before: {} as NonNullable<ReviewItem['previous']>['before'] } : null,
});
const ids = ['a', 'b', 'c', 'd'].map((x) => item(x));

describe('review queue session', () => {
  it('skips, goes back and counts "n of total"', () => {
    let s = startSession(ids);
    expect(progressOf(s)).toEqual({ position: 1, total: 4, judged: 0, skipped: 0 });
    s = skip(s);
    expect(currentItem(s)?.revisionId).toBe('b');
    s = judge(s, 'bad_pose');
    expect(currentItem(s)?.revisionId).toBe('c');
    expect(progressOf(s)).toEqual({ position: 3, total: 4, judged: 1, skipped: 1 });
    s = back(s);
    expect(currentItem(s)?.revisionId).toBe('b');
    expect(s.judged.b).toBe('bad_pose');
    // Skipping a judged item does not count it as skipped.
    s = skip(s);
    expect(progressOf(s).skipped).toBe(1);
    s = back(back(back(back(s))));
    expect(s.index).toBe(0);
  });

  it('walks past the end, then returns to the first skipped; judging it clears the skip', () => {
    let s = startSession(ids);
    s = skip(judge(skip(skip(s)), 'good'));
    expect(currentItem(s)).toBeNull();
    expect(progressOf(s).position).toBe(5);
    expect(skip(s)).toBe(s);
    s = firstSkipped(s);
    expect(currentItem(s)?.revisionId).toBe('a');
    s = judge(s, 'good');
    expect(s.skipped).toEqual(['b', 'd']);
  });

  it('puts items skipped before a reload last, and forgets skips no longer in the queue', () => {
    const s = startSession(ids, ['b', 'gone', 'a']);
    expect(s.items.map((i) => i.revisionId)).toEqual(['c', 'd', 'a', 'b']);
    expect(s.skipped).toEqual(['b', 'a']);
  });
});

describe('review queue filter (offline copy)', () => {
  const xs = [item('a', { annotator: 'bob' }), item('b', { task: 't2' }), item('c', { category: 'car', previous: 'good' }), item('d', { previous: 'bad_pose' })];
  const pick = (f: Parameters<typeof matchesFilter>[1]) => xs.filter((x) => matchesFilter(x, f)).map((x) => x.revisionId);
  it('matches category, annotator, task and previous verdict like the server', () => {
    expect(pick({})).toEqual(['a', 'b', 'c', 'd']);
    expect(pick({ annotator: 'bob' })).toEqual(['a']);
    expect(pick({ task: 't2' })).toEqual(['b']);
    expect(pick({ category: 'car' })).toEqual(['c']);
    expect(pick({ verdict: 'none' })).toEqual(['a', 'b']);
    expect(pick({ verdict: 'bad_pose' })).toEqual(['d']);
    expect(pick({ verdict: 'none', annotator: 'ann' })).toEqual(['b']);
  });
  it('leaves empty filters out of the query', () => {
    expect(filterParams({ category: '', annotator: 'bob', verdict: 'none' }).toString()).toBe('annotator=bob&verdict=none');
  });
});

describe('review keys', () => {
  const key = (code: string, extra: Partial<KeyLike> = {}): KeyLike => ({ key: '', code, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...extra });
  it('maps 1–5 to the verdicts in the order of the buttons, with skip and back', () => {
    expect(resolveReviewKey(key('Digit4'))).toEqual({ type: 'verdict', verdict: 'bad_pose' });
    expect(resolveReviewKey(key('Digit1'))).toEqual({ type: 'verdict', verdict: 'good' });
    expect(verdictKey('bad_pose')).toBe('4');
    expect(resolveReviewKey(key('Period'))).toEqual({ type: 'skip' });
    expect(resolveReviewKey(key('ArrowLeft'))).toEqual({ type: 'back' });
    expect(resolveReviewKey(key('Digit4', { ctrlKey: true }))).toBeNull();
    expect(resolveReviewKey(key('Digit6'))).toBeNull();
  });
  it('stays out of the comment field and leaves Space to a focused button', () => {
    expect(resolveReviewKey(key('Digit4'), 'text')).toBeNull();
    expect(resolveReviewKey(key('Escape'), 'text')).toEqual({ type: 'escape' });
    expect(resolveReviewKey(key('Space'), 'button')).toBeNull();
    expect(resolveReviewKey(key('Space'))).toEqual({ type: 'holdHide' });
    expect(resolveReviewKey(key('ArrowRight'), 'radio')).toBeNull();
  });
});
