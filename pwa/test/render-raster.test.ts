import { describe, expect, it } from 'vitest';
import {
  blend,
  clearBox,
  drawEdges,
  fillTriangles,
  makeInk,
  projectedBox,
  resolveSilhouette,
  strokeRect,
  type Frame,
} from '../src/render/worker/cpu/raster';

const RED = 0xff0000ff;
const GREY = 0xff808080;

function frame(w: number, h: number, fill = GREY): { out: Frame; base: Uint32Array } {
  const base = new Uint32Array(w * h).fill(fill);
  return { out: { data: base.slice(), width: w, height: h }, base };
}

/** Pixels that differ from the base, as "x,y" strings. */
function inked(out: Frame, base: Uint32Array): Set<string> {
  const s = new Set<string>();
  for (let i = 0; i < out.data.length; i++) if (out.data[i] !== base[i]) s.add(`${i % out.width},${Math.floor(i / out.width)}`);
  return s;
}

describe('blend', () => {
  it('is the colour at opacity 1 and the base at 0, and opaque either way', () => {
    expect(blend(GREY, makeInk(RED, 1))).toBe(RED);
    expect(blend(GREY, makeInk(RED, 0))).toBe(GREY);
    const half = blend(0xff000000, makeInk(0xffffffff, 0.5));
    expect(half & 0xff).toBe(127); // 255 · 128/256, rounded down
    expect(half >>> 24).toBe(255);
  });
});

describe('drawEdges', () => {
  it('draws a horizontal line on exactly the pixels it crosses', () => {
    const { out, base } = frame(10, 5);
    const xy = Float32Array.of(1.5, 2.5, 6.5, 2.5);
    expect(drawEdges(out, base, xy, Uint32Array.of(0, 1), makeInk(RED, 1))).toBe(1);
    expect([...inked(out, base)].sort()).toEqual(['1,2', '2,2', '3,2', '4,2', '5,2', '6,2']);
    expect(out.data[2 * 10 + 3]).toBe(RED);
  });

  it('draws a diagonal as one pixel per major-axis step, endpoints included', () => {
    const { out, base } = frame(10, 10);
    drawEdges(out, base, Float32Array.of(0.5, 0.5, 7.5, 7.5), Uint32Array.of(0, 1), makeInk(RED, 1));
    expect(inked(out, base)).toEqual(new Set(Array.from({ length: 8 }, (_, i) => `${i},${i}`)));
  });

  it('rejects edges off one side and behind the camera, clips the rest to the frame', () => {
    const { out, base } = frame(8, 8);
    // 0-1 off the left, 2-3 has a NaN end, 4-5 crosses the whole frame.
    const xy = Float32Array.of(-5, 1, -1, 6, NaN, NaN, 3, 3, -100, 4.5, 100, 4.5);
    const drawn = drawEdges(out, base, xy, Uint32Array.of(0, 1, 2, 3, 4, 5), makeInk(RED, 1));
    expect(drawn).toBe(1);
    expect(inked(out, base)).toEqual(new Set(Array.from({ length: 8 }, (_, i) => `${i},4`)));
  });

  it('draws a zero-length edge as its one pixel, and thins short edges only when asked', () => {
    const { out, base } = frame(4, 4);
    const xy = Float32Array.of(1.2, 1.2, 1.2, 1.2, 2.1, 2.1, 2.3, 2.2, 0.5, 0.5, 3.5, 0.5);
    const edges = Uint32Array.of(0, 1, 2, 3, 2, 3, 2, 3, 4, 5);
    // Short edges 0..3: only edge 0 (every 4th) survives; long edge 4 always does.
    expect(drawEdges(out, base, xy, edges, makeInk(RED, 1), 0.5, 4)).toBe(2);
    expect(drawEdges(out, base, xy, edges, makeInk(RED, 1), 0)).toBe(5);
    expect(inked(out, base)).toEqual(new Set(['1,1', '2,2', '0,0', '1,0', '2,0', '3,0']));
  });

  it('tints crossings once: inking reads the base, so overlapping lines do not go opaque', () => {
    const { out, base } = frame(5, 5, 0xff000000);
    const xy = Float32Array.of(0.5, 2.5, 4.5, 2.5, 2.5, 0.5, 2.5, 4.5);
    drawEdges(out, base, xy, Uint32Array.of(0, 1, 2, 3), makeInk(0xffffffff, 0.5));
    expect(out.data[2 * 5 + 2]).toBe(out.data[2 * 5 + 0]);
  });
});

describe('fillTriangles', () => {
  // Two triangles sharing the diagonal of a 4x4 square; pixel centres lie exactly on the diagonal.
  const square = { xy: Float32Array.of(0, 0, 4, 0, 4, 4, 0, 4), tris: Uint32Array.of(0, 1, 2, 0, 2, 3) };

  it('covers a square split on its diagonal with no gap and no pixel twice', () => {
    const ids = new Int32Array(36).fill(-1);
    const filled = fillTriangles(ids, 6, 6, square.xy, square.tris, null, null);
    expect(filled).toBe(16);
    for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) expect(ids[y * 6 + x]! >= 0).toBe(x < 4 && y < 4);
  });

  it('samples pixel centres: a triangle between centres covers nothing', () => {
    const ids = new Int32Array(16).fill(-1);
    expect(fillTriangles(ids, 4, 4, Float32Array.of(1.6, 1.6, 2.4, 1.6, 2.0, 2.4), Uint32Array.of(0, 1, 2), null, null)).toBe(0);
  });

  it('keeps the nearest triangle whatever the drawing order', () => {
    const xy = Float32Array.of(0, 0, 4, 0, 0, 4, 0, 0, 4, 0, 0, 4);
    const tris = Uint32Array.of(0, 1, 2, 3, 4, 5);
    for (const [near, far] of [[1, 0], [0, 1]] as const) {
      const depth = new Float32Array(6);
      depth.fill(near === 0 ? 0.5 : 0.1, 0, 3);
      depth.fill(near === 1 ? 0.5 : 0.1, 3, 6);
      const ids = new Int32Array(16).fill(-1);
      fillTriangles(ids, 4, 4, xy, tris, depth, new Float32Array(16));
      expect(ids[0]).toBe(near);
      expect(ids.includes(far)).toBe(false);
    }
  });

  it('skips triangles with a vertex behind the camera and clips to the frame', () => {
    const ids = new Int32Array(16).fill(-1);
    expect(fillTriangles(ids, 4, 4, Float32Array.of(0, 0, NaN, NaN, 2, 2), Uint32Array.of(0, 1, 2), null, null)).toBe(0);
    expect(fillTriangles(ids, 4, 4, Float32Array.of(-10, -10, 30, -10, -10, 30), Uint32Array.of(0, 1, 2), null, null)).toBe(16);
  });
});

describe('silhouette resolve', () => {
  it('outlines the covered area and tints its inside', () => {
    const w = 10, h = 10;
    const { out, base } = frame(w, h);
    const ids = new Int32Array(w * h).fill(-1);
    fillTriangles(ids, w, h, Float32Array.of(2, 2, 8, 2, 8, 8, 2, 8), Uint32Array.of(0, 1, 2, 0, 2, 3), null, null);
    const box = projectedBox(Float32Array.of(2, 2, 8, 8), w, h)!;
    const edge = makeInk(RED, 1), fill = makeInk(RED, 0.3);
    expect(resolveSilhouette(out, base, ids, box, edge, fill)).toBe(36);
    const edgePixels = out.data.filter((p) => p === RED).length;
    const fillPixels = out.data.filter((p) => p === blend(GREY, fill)).length;
    // A 6x6 square: the outer two rings (20 + 12) are outline, the 2x2 core is fill.
    expect([edgePixels, fillPixels]).toEqual([32, 4]);
    clearBox(ids, null, w, box);
    expect(ids.every((v) => v === -1)).toBe(true);
  });
});

describe('strokeRect', () => {
  it('draws the four sides once each, corners included', () => {
    const { out, base } = frame(8, 8);
    strokeRect(out, 1, 1, 5, 4, makeInk(RED, 1));
    expect(inked(out, base).size).toBe(2 * 5 + 2 * 2);
  });
});
