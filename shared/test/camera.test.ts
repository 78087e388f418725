import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPoints, viewMatrix, projectionMatrix, rotationErrorDegrees, type PoseInput } from '../src/camera';
import { hasFixtures, IMAGENET3D } from './fixtures';

const fixture = join(IMAGENET3D, 'camera_vectors.json');
interface Case { pose: PoseInput; viewport: number; points3d: number[][]; points2d: number[][] }
const cases = hasFixtures ? (JSON.parse(readFileSync(fixture, 'utf8')) as { cases: Case[] }).cases : [];

describe.skipIf(!hasFixtures)('ImageNet3D camera', () => {
  it('has fixture cases to check', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  it.each(cases.map((c, i) => [i, c] as const))('reproduces the original projection, case %i, within 1e-6 px', (_i, c) => {
    const out = projectPoints(c.points3d.flat(), c.pose, c.viewport);
    expect(out.length).toBe(c.points2d.length * 2);
    c.points2d.forEach(([x, y], k) => {
      expect(Math.abs(out[2 * k]! - x!)).toBeLessThan(1e-6);
      expect(Math.abs(out[2 * k + 1]! - y!)).toBeLessThan(1e-6);
    });
  });

  it('the view and projection matrices land on the same pixels as projectPoints', () => {
    const W = 640, H = 480;
    for (const c of cases.slice(0, 10)) {
      const v = viewMatrix(c.pose), p = projectionMatrix(c.viewport, c.pose.px, c.pose.py, W, H, 0.01, 1000);
      const expected = projectPoints(c.points3d.flat(), c.pose, c.viewport);
      c.points3d.forEach((pt, k) => {
        const cam = [0, 1, 2, 3].map((i) => v[i]! * pt[0]! + v[4 + i]! * pt[1]! + v[8 + i]! * pt[2]! + v[12 + i]!);
        const clip = [0, 1, 3].map((i) => p[i]! * cam[0]! + p[4 + i]! * cam[1]! + p[8 + i]! * cam[2]! + p[12 + i]! * cam[3]!);
        const ndcX = clip[0]! / clip[2]!, ndcY = clip[1]! / clip[2]!;
        expect(((ndcX + 1) / 2) * W).toBeCloseTo(expected[2 * k]!, 6);
        expect(((1 - ndcY) / 2) * H).toBeCloseTo(expected[2 * k + 1]!, 6);
      });
    }
  });
});

describe('projectPoints', () => {
  it('points behind the camera project to NaN instead of a mirrored pixel', () => {
    const pose = { azimuth: 0, elevation: 0, theta: 0, distance: 2, px: 100, py: 100 };
    const out = projectPoints([0, -5, 0], pose, 1000);
    expect(Number.isNaN(out[0])).toBe(true);
  });
});

describe('geodesic rotation error', () => {
  const base = { azimuth: 30, elevation: 20, theta: 10, distance: 5, px: 0, py: 0 };
  it('is zero for identical rotations whatever the translation', () => {
    expect(rotationErrorDegrees(base, { ...base, distance: 9, px: 50 })).toBeCloseTo(0, 9);
  });
  it('is the in-plane angle for a pure theta change', () => {
    expect(rotationErrorDegrees(base, { ...base, theta: 100 })).toBeCloseTo(90, 9);
    expect(rotationErrorDegrees(base, { ...base, theta: 40 })).toBeCloseTo(30, 9);
  });
  it('is the azimuth change at zero elevation and the elevation change at any azimuth', () => {
    const flat = { ...base, elevation: 0, theta: 0 };
    expect(rotationErrorDegrees(flat, { ...flat, azimuth: 120 })).toBeCloseTo(90, 9);
    expect(rotationErrorDegrees(base, { ...base, elevation: 50 })).toBeCloseTo(30, 9);
  });
  it('is symmetric and reaches 180', () => {
    const b = { ...base, azimuth: 210, theta: -10 };
    expect(rotationErrorDegrees(base, b)).toBeCloseTo(rotationErrorDegrees(b, base), 9);
    const flat = { ...base, elevation: 0, theta: 0 };
    expect(rotationErrorDegrees(flat, { ...flat, azimuth: 210 })).toBeCloseTo(180, 6);
  });
});
