import { describe, expect, it } from 'vitest';
import { drawScaled, halve, levelFor, type Pixels } from '../src/render/worker/cpu/photo';

const grey = (v: number) => (0xff000000 | (v << 16) | (v << 8) | v) >>> 0;
const red = (p: number) => p & 0xff;

function pixels(width: number, height: number, f: (x: number, y: number) => number): Pixels {
  const data = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { data, width, height };
}

describe('drawScaled', () => {
  it('copies pixels exactly at scale 1, at the rect position, leaving the rest alone', () => {
    const src = pixels(3, 2, (x, y) => grey(10 * x + 100 * y));
    const dst = { data: new Uint32Array(6 * 4).fill(7), width: 6, height: 4 };
    drawScaled(dst, src, { x: 2, y: 1, w: 3, h: 2 });
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 6; x++) {
        const inside = x >= 2 && x < 5 && y >= 1 && y < 3;
        expect(dst.data[y * 6 + x]).toBe(inside ? src.data[(y - 1) * 3 + (x - 2)] : 7);
      }
  });

  it('interpolates between pixel centres when enlarging and clamps at the border', () => {
    // Two pixels, 0 and 200, stretched to four: centres map to u = -0.25, 0.25, 0.75, 1.25.
    const src = pixels(2, 1, (x) => grey(200 * x));
    const dst = { data: new Uint32Array(4), width: 4, height: 1 };
    drawScaled(dst, src, { x: 0, y: 0, w: 4, h: 1 });
    expect(Array.from(dst.data, red)).toEqual([0, 50, 150, 200]);
    expect(dst.data.every((p) => p >>> 24 === 255)).toBe(true);
  });

  it('clips a rect that hangs off the frame', () => {
    const src = pixels(4, 4, () => grey(99));
    const dst = { data: new Uint32Array(9), width: 3, height: 3 };
    drawScaled(dst, src, { x: -2, y: 1, w: 4, h: 4 });
    expect(Array.from(dst.data, red)).toEqual([0, 0, 0, 99, 99, 0, 99, 99, 0]);
  });
});

describe('halve and levels', () => {
  it('averages 2x2 blocks', () => {
    const src = pixels(2, 2, (x, y) => grey([0, 40, 80, 120][2 * y + x]!));
    const h = halve(src);
    expect([h.width, h.height, red(h.data[0]!)]).toEqual([1, 1, 60]);
  });

  it('picks a level no more than twice the target size', () => {
    const pyramid = [pixels(1000, 800, () => grey(1))];
    expect(levelFor(pyramid, { x: 0, y: 0, w: 600, h: 480 }).width).toBe(1000);
    expect(levelFor(pyramid, { x: 0, y: 0, w: 200, h: 160 }).width).toBe(250);
    expect(pyramid.length).toBe(3);
  });
});
