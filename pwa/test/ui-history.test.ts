import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, createHistory, isHistory, record, redo, undo, type History } from '../src/state/history';

type S = { az: number; label: string | null };

describe('undo/redo history', () => {
  it('undoes and redoes every recorded change in order', () => {
    let h: History<S> = createHistory({ az: 0, label: null });
    h = record(h, { az: 1, label: null }, { now: 0 });
    h = record(h, { az: 2, label: null }, { now: 5000 });
    h = record(h, { az: 2, label: 'good' }, { now: 10000 });
    expect(h.past).toHaveLength(3);
    h = undo(h);
    expect(h.present).toEqual({ az: 2, label: null });
    h = undo(h);
    expect(h.present).toEqual({ az: 1, label: null });
    expect(canRedo(h)).toBe(true);
    h = redo(h);
    expect(h.present).toEqual({ az: 2, label: null });
    h = redo(h);
    expect(h.present).toEqual({ az: 2, label: 'good' });
    expect(canRedo(h)).toBe(false);
  });

  it('a new change after undo drops the redo branch', () => {
    let h = createHistory<S>({ az: 0, label: null });
    h = record(h, { az: 10, label: null }, { now: 0 });
    h = undo(h);
    h = record(h, { az: 20, label: null }, { now: 5000 });
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present.az).toBe(0);
  });

  it('coalesces a burst of the same kind (a drag) into one step, but not different kinds or slow edits', () => {
    let h = createHistory<S>({ az: 0, label: null });
    for (let i = 1; i <= 50; i++) h = record(h, { az: i, label: null }, { coalesceKey: 'drag', now: i * 16 });
    expect(h.past).toHaveLength(1);
    expect(undo(h).present.az).toBe(0);
    h = record(h, { az: 50, label: 'good' }, { coalesceKey: 'label', now: 900 });
    expect(h.past).toHaveLength(2);
    h = record(h, { az: 51, label: 'good' }, { coalesceKey: 'drag', now: 10_000 });
    h = record(h, { az: 52, label: 'good' }, { coalesceKey: 'drag', now: 20_000 });
    expect(h.past).toHaveLength(4);
  });

  it('ignores no-op changes and undo/redo at the ends', () => {
    const h0 = createHistory<S>({ az: 0, label: null });
    expect(record(h0, { az: 0, label: null })).toBe(h0);
    expect(undo(h0)).toBe(h0);
    expect(redo(h0)).toBe(h0);
    expect(canUndo(h0)).toBe(false);
  });

  it('keeps at most `limit` steps and survives a JSON round trip', () => {
    let h = createHistory<S>({ az: 0, label: null });
    for (let i = 1; i <= 30; i++) h = record(h, { az: i, label: null }, { now: i * 10_000, limit: 10 });
    expect(h.past).toHaveLength(10);
    expect(h.past[0]!.az).toBe(20);
    const back = JSON.parse(JSON.stringify(h)) as unknown;
    expect(isHistory(back)).toBe(true);
    expect(undo(back as History<S>).present.az).toBe(29);
    expect(isHistory({ present: 1 })).toBe(false);
  });
});
