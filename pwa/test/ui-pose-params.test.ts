import { describe, expect, it } from 'vitest';
import type { PoseJson } from '@in3d/shared/types';
import { paramRange, readTyped, setParam, stepParam, typedRange } from '../src/state/pose-params';
import { checkSavable, initialDraft, toValues } from '../src/state/draft';

const pose: PoseJson = { azimuth: 359.5, elevation: 80, theta: 170, distance: 0.3, px: 100, py: 50 };

describe('pose parameter steps', () => {
  it('uses the original fine/coarse steps and folds angles back into range', () => {
    expect(stepParam(pose, 'azimuth', 1, false).azimuth).toBe(0.5);
    expect(stepParam(pose, 'azimuth', -1, true).azimuth).toBe(329.5);
    expect(stepParam(pose, 'elevation', 1, true).elevation).toBe(90);
    expect(stepParam(pose, 'theta', 1, true).theta).toBe(-160);
    expect(stepParam(pose, 'distance', -1, false).distance).toBe(0.1);
    expect(stepParam(pose, 'distance', 1, true).distance).toBe(1.3);
    expect(stepParam(pose, 'px', 1, false).px).toBe(105);
    expect(stepParam(pose, 'py', -1, true).py).toBe(20);
    let p = pose;
    for (let i = 0; i < 3; i++) p = stepParam(p, 'distance', 1, false);
    expect(p.distance).toBe(0.9);
  });

  it('ignores a non-number and sizes centre sliders to the photo', () => {
    expect(setParam(pose, 'px', Number.NaN)).toBe(pose);
    expect(paramRange('px', { width: 640, height: 480 }, 100)).toEqual([0, 640]);
    expect(paramRange('py', { width: 640, height: 480 }, 700)).toEqual([0, 700]);
    expect(paramRange('px', { width: 640, height: 480 }, -12.5)).toEqual([-13, 640]);
  });
});

describe('save rules', () => {
  const q = { id: 'q', taskId: 't', index: 0, category: 'chair', imageUrl: '', imageWidth: 10, imageHeight: 10, bbox: [0, 0, 1, 1] as [number, number, number, number], viewport: 3000, initialPose: pose, initialSubtype: 2 };
  it('needs both labels, never a pose change', () => {
    const d = initialDraft(q);
    expect(checkSavable(d)).toEqual({ ok: false, missing: ['objectStatus', 'dense'] });
    const bad = { ...d, objectStatus: 'status_bad' as const, dense: 'dense_no' as const };
    expect(checkSavable(bad)).toEqual({ ok: true });
    expect(toValues(bad, 1234.4)).toEqual({ pose, subtype: 2, objectStatus: 'status_bad', dense: 'dense_no', activeMs: 1234 });
    expect(toValues(d, 0)).toBeNull();
  });
});

describe('typed pose values', () => {
  const photo = { width: 640, height: 480 };
  it('takes finite numbers in range (angles one turn either way) and says why it refuses the rest', () => {
    expect(readTyped('azimuth', '370', photo)).toEqual({ ok: true, value: 370 });
    expect(readTyped('azimuth', '-30', photo)).toEqual({ ok: true, value: -30 });
    expect(readTyped('distance', '12.5', photo)).toEqual({ ok: true, value: 12.5 });
    expect(typedRange('azimuth', photo)).toEqual([-360, 720]);
    expect(typedRange('px', photo)).toEqual([-6400, 7040]);
    // 1e309 is Infinity, 1e30 folded into 0…360 would be noise: both refused with the range.
    expect(readTyped('azimuth', '1e309', photo)).toEqual({ ok: false, reason: 'range' });
    expect(readTyped('azimuth', '1e30', photo)).toEqual({ ok: false, reason: 'range' });
    expect(readTyped('theta', '-Infinity', photo)).toMatchObject({ ok: false, reason: 'range' });
    // Elevation is not clamped silently any more.
    expect(readTyped('elevation', '95', photo)).toEqual({ ok: false, reason: 'range' });
    expect(readTyped('distance', '0', photo)).toEqual({ ok: false, reason: 'range' });
    expect(readTyped('px', String(11 * 640 + 1), photo)).toMatchObject({ ok: false, reason: 'range' });
    expect(readTyped('py', '-100', photo)).toEqual({ ok: true, value: -100 });
    for (const text of ['', ' ', 'abc', 'NaN', '0x', '1e']) expect(readTyped('azimuth', text, photo)).toEqual({ ok: false, reason: 'notNumber' });
  });
});
