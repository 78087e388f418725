import { describe, expect, it } from 'vitest';
import type { PoseJson } from '@in3d/shared/types';
import { angleAround, angleDelta, fitPhoto, moveCentre, rotateByDrag, scaleDistance, twist, wheelScale } from '../src/state/gestures';

const pose: PoseJson = { azimuth: 10, elevation: 20, theta: 0, distance: 5, px: 100, py: 80 };

describe('direct manipulation', () => {
  it('drag rotates: right lowers azimuth (wrapping), down raises elevation (clamped)', () => {
    const p = rotateByDrag(pose, 40, 10);
    expect(p.azimuth).toBe(350);
    expect(p.elevation).toBe(25);
    expect(rotateByDrag(pose, 0, 400).elevation).toBe(90);
  });

  it('twist follows the pointer: a clockwise turn on screen lowers theta', () => {
    const c = { x: 0, y: 0 };
    const turn = angleDelta(angleAround(c, { x: 10, y: 0 }), angleAround(c, { x: 0, y: 10 }));
    expect(turn).toBeCloseTo(90);
    expect(twist(pose, turn).theta).toBeCloseTo(-90);
    expect(angleDelta(170, -170)).toBeCloseTo(20);
  });

  it('moves the centre in photo pixels and scales distance by pinch/wheel', () => {
    expect(moveCentre(pose, 20, -10, 2)).toMatchObject({ px: 110, py: 75 });
    expect(scaleDistance(pose, 2).distance).toBe(2.5);
    expect(scaleDistance(pose, 0)).toBe(pose);
    expect(wheelScale(100, 0)).toBeLessThan(1); // wheel down: farther, smaller
    expect(wheelScale(-100, 0)).toBeGreaterThan(1);
  });

  it('fits the photo inside the canvas, centred', () => {
    const f = fitPhoto({ width: 1000, height: 600 }, { width: 400, height: 300 }, 0);
    expect(f.zoom).toBe(2);
    expect(f.offset).toEqual({ x: 100, y: 0 });
  });
});
