import { describe, expect, it } from 'vitest';
import { BINDINGS, focusKindOf, resolveShortcut, shortcutsByGroup, type KeyLike } from '../src/state/keymap';
import { en } from '../src/i18n/en';
import { zh } from '../src/i18n/zh';

const key = (code: string, extra: Partial<KeyLike> = {}): KeyLike => ({ key: '', code, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...extra });

describe('keyboard map', () => {
  it('maps keys to fine and coarse steps of each parameter', () => {
    expect(resolveShortcut(key('KeyD'))).toEqual({ type: 'step', param: 'azimuth', direction: 1, coarse: false });
    expect(resolveShortcut(key('KeyA', { shiftKey: true }))).toEqual({ type: 'step', param: 'azimuth', direction: -1, coarse: true });
    expect(resolveShortcut(key('KeyW'))).toMatchObject({ param: 'elevation', direction: 1 });
    expect(resolveShortcut(key('KeyE'))).toMatchObject({ param: 'theta', direction: 1 });
    expect(resolveShortcut(key('KeyX'))).toMatchObject({ param: 'distance', direction: 1 });
    expect(resolveShortcut(key('ArrowDown', { shiftKey: true }))).toEqual({ type: 'step', param: 'py', direction: 1, coarse: true });
  });

  it('tells undo from redo from distance on the Z key', () => {
    expect(resolveShortcut(key('KeyZ', { ctrlKey: true }))).toEqual({ type: 'undo' });
    expect(resolveShortcut(key('KeyZ', { metaKey: true, shiftKey: true }))).toEqual({ type: 'redo' });
    expect(resolveShortcut(key('KeyY', { ctrlKey: true }))).toEqual({ type: 'redo' });
    expect(resolveShortcut(key('KeyZ'))).toMatchObject({ type: 'step', param: 'distance', direction: -1 });
  });

  it('labels, subtypes, help and save', () => {
    expect(resolveShortcut(key('Digit3'))).toEqual({ type: 'subtype', index: 3 });
    expect(resolveShortcut(key('Digit4', { shiftKey: true }))).toEqual({ type: 'objectStatus', value: 'status_bad' });
    expect(resolveShortcut(key('Digit6', { shiftKey: true }))).toEqual({ type: 'dense', value: 'dense_yes' });
    expect(resolveShortcut(key('Slash', { key: '?', shiftKey: true }))).toEqual({ type: 'help' });
    expect(resolveShortcut(key('Enter'))).toEqual({ type: 'save' });
  });

  it('stays out of the way while typing and of native slider/radio arrows', () => {
    expect(resolveShortcut(key('KeyD'), 'text')).toBeNull();
    expect(resolveShortcut(key('Enter'), 'text')).toEqual({ type: 'save' });
    expect(resolveShortcut(key('ArrowLeft'), 'range')).toBeNull();
    expect(resolveShortcut(key('ArrowLeft'), 'radio')).toBeNull();
    expect(resolveShortcut(key('KeyD'), 'range')).toMatchObject({ param: 'azimuth' });
    expect(resolveShortcut(key('Space'), 'button')).toBeNull();
    expect(resolveShortcut(key('Enter'), 'button')).toEqual({ type: 'save' });
    expect(resolveShortcut(key('Enter'), 'link')).toBeNull();
  });

  it('a button reached with Tab is pressed by Enter and Space; one clicked keeps Enter as save', () => {
    const button = { tagName: 'BUTTON' } as unknown as Element;
    expect(focusKindOf(button, false)).toBe('keyButton');
    expect(focusKindOf(button, true)).toBe('button');
    expect(resolveShortcut(key('Enter'), 'keyButton')).toBeNull();
    expect(resolveShortcut(key('Space'), 'keyButton')).toBeNull();
    expect(resolveShortcut(key('KeyD'), 'keyButton')).toMatchObject({ type: 'step', param: 'azimuth' });
  });

  it('has no key bound twice and every binding is described in both languages', () => {
    const seen = new Map<string, string>();
    const codes = ['KeyA', 'KeyD', 'KeyS', 'KeyW', 'KeyQ', 'KeyE', 'KeyZ', 'KeyX', 'KeyY', 'KeyR', 'KeyN', 'KeyG', 'KeyM', 'KeyV', 'Comma', 'Period', 'Minus', 'Equal', 'Space', 'Enter', 'Escape', 'Slash', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', ...Array.from({ length: 9 }, (_, i) => `Digit${i + 1}`)];
    for (const code of codes)
      for (const shiftKey of [false, true])
        for (const ctrlKey of [false, true]) {
          const hits = BINDINGS.filter((b) => b.match(key(code, { shiftKey, ctrlKey })));
          expect(hits.length, `${code} shift=${shiftKey} ctrl=${ctrlKey}`).toBeLessThanOrEqual(1);
          if (hits[0]) seen.set(hits[0].keys, hits[0].label);
        }
    const groups = shortcutsByGroup();
    const labels = Object.values(groups).flat().map((s) => s.label);
    expect(labels.length).toBeGreaterThan(25);
    expect(groups.pose.find((r) => r.label === 'keys.azimuth.fine')?.keys).toBe('A / D');
    expect(groups.pose.find((r) => r.label === 'keys.azimuth.coarse')?.keys).toBe('Shift+A / D');
    expect(groups.labels[0]).toEqual({ keys: '0 … 9', label: 'keys.subtype' });
    for (const label of labels) {
      expect(en.keys[label.slice('keys.'.length) as keyof typeof en.keys], label).toBeTypeOf('string');
      expect(zh.keys[label.slice('keys.'.length) as keyof typeof zh.keys], label).toBeTypeOf('string');
    }
  });
});
