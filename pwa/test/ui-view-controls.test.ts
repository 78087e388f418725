// Photo zoom and pan, the automatic overlay colour, stored view settings, and which focused control
// keeps the arrow keys.
import { describe, expect, it } from 'vitest';
import { focusKindOf, resolveShortcut } from '../src/state/keymap';
import { contrastColor, resolveColor } from '../src/state/overlay-color';
import { oneToOne, panBy, viewTransform, zoomAt } from '../src/state/photo-view';
import { DEFAULT_VIEW, parseViewSettings } from '../src/state/view-settings';

const canvas = { width: 1000, height: 800 }, photo = { width: 500, height: 400 };
const toCanvas = (t: { zoom: number; offset: { x: number; y: number } }, p: { x: number; y: number }) => ({ x: p.x * t.zoom + t.offset.x, y: p.y * t.zoom + t.offset.y });

describe('photo view', () => {
  it('fit centres the whole photo; bbox puts the box centre in the middle, filling most of the canvas', () => {
    const fit = viewTransform({ kind: 'fit' }, canvas, photo, null);
    expect(toCanvas(fit, { x: 250, y: 200 })).toEqual({ x: 500, y: 400 });
    const box = viewTransform({ kind: 'bbox' }, canvas, photo, [100, 100, 200, 150]);
    const c = toCanvas(box, { x: 150, y: 125 });
    expect([c.x, c.y]).toEqual([500, 400]);
    expect(100 * box.zoom).toBeGreaterThan(0.6 * canvas.width);
    expect(box.zoom).toBeGreaterThan(fit.zoom * 3);
  });

  it('zooming about a point keeps the photo point under it', () => {
    const fit = viewTransform({ kind: 'fit' }, canvas, photo, null);
    const at = { x: 300, y: 250 };
    const before = { x: (at.x - fit.offset.x) / fit.zoom, y: (at.y - fit.offset.y) / fit.zoom };
    const zoomed = viewTransform(zoomAt(fit, at, 3, canvas, photo), canvas, photo, null);
    expect(zoomed.zoom).toBeCloseTo(3 * fit.zoom, 9);
    const after = toCanvas(zoomed, before);
    expect(after.x).toBeCloseTo(at.x, 6);
    expect(after.y).toBeCloseTo(at.y, 6);
  });

  it('pans by canvas pixels, 1:1 is one photo pixel per CSS pixel, and the photo cannot fly away', () => {
    const fit = viewTransform({ kind: 'fit' }, canvas, photo, null);
    const zoomed = viewTransform(zoomAt(fit, { x: 500, y: 400 }, 2, canvas, photo), canvas, photo, null);
    const moved = viewTransform(panBy(zoomed, 40, -30, canvas, photo), canvas, photo, null);
    expect([moved.offset.x - zoomed.offset.x, moved.offset.y - zoomed.offset.y]).toEqual([40, -30]);
    expect(viewTransform(oneToOne(fit, canvas, photo), canvas, photo, null).zoom).toBeCloseTo(1, 9);
    const far = viewTransform(panBy(zoomed, 1e6, 1e6, canvas, photo), canvas, photo, null);
    const centre = { x: (500 - far.offset.x) / far.zoom, y: (400 - far.offset.y) / far.zoom };
    expect(centre).toEqual({ x: 0, y: 0 });
  });
});

describe('overlay colour', () => {
  it('auto picks a colour far from the photo under the box', () => {
    expect(contrastColor([250, 250, 250])).not.toBe('#ffffff');
    expect(['#000000', '#3b82f6', '#ff3bd4', '#ef4444']).toContain(contrastColor([245, 245, 240])); // white cup
    expect(contrastColor([94, 234, 212])).not.toBe('#5eead4'); // a teal object
    expect(resolveColor('#facc15', [0, 0, 0])).toBe('#facc15');
    expect(resolveColor('auto', null)).toBe('#5eead4');
  });
});

describe('view settings', () => {
  it('defaults to feature edges, moves old every-edge defaults on, and refuses out-of-range values', () => {
    expect(parseViewSettings(null).overlayMode).toBe('edges');
    expect(parseViewSettings(JSON.stringify({ overlayMode: 'wireframe', opacity: 0.5, view: 'overlay' }))).toMatchObject({ overlayMode: 'edges', opacity: 0.5 });
    expect(parseViewSettings(JSON.stringify({ ...DEFAULT_VIEW, overlayMode: 'wireframe' })).overlayMode).toBe('wireframe');
    expect(parseViewSettings(JSON.stringify({ ...DEFAULT_VIEW, sensitivity: 9, creaseDeg: -1, color: 'puce' }))).toMatchObject({ sensitivity: 1, creaseDeg: DEFAULT_VIEW.creaseDeg, color: 'auto' });
    expect(parseViewSettings('{broken').overlayMode).toBe('edges');
  });
});

describe('arrow keys and focus', () => {
  const el = (tagName: string, type?: string) => ({ tagName, type }) as unknown as Element;
  const arrow = { key: 'ArrowRight', code: 'ArrowRight', shiftKey: false, ctrlKey: false, metaKey: false, altKey: false };
  it('a clicked radio, checkbox or slider leaves the arrows to the pose; one reached with Tab keeps them', () => {
    for (const type of ['radio', 'checkbox', 'range']) {
      expect(resolveShortcut(arrow, focusKindOf(el('INPUT', type), true)), `clicked ${type}`).toMatchObject({ type: 'step', param: 'px' });
      expect(resolveShortcut(arrow, focusKindOf(el('INPUT', type), false)), `tabbed ${type}`).toBeNull();
    }
    // A number field keeps its keys however it got focus.
    expect(resolveShortcut(arrow, focusKindOf(el('INPUT', 'number'), true))).toBeNull();
    expect(resolveShortcut({ ...arrow, key: ']', code: 'BracketRight' }, 'other')).toEqual({ type: 'zoom', cmd: 'in' });
  });
});
