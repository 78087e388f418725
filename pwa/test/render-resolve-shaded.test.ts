// resolveShaded walks the id grid cell by cell; it must paint what the per-pixel walk it replaced
// painted (kept here as the reference), for any cell size and any box, aligned to the cells or not.
import { describe, expect, it } from 'vitest';
import { resolveShaded, type Frame, type PixelBox } from '../src/render/worker/cpu/raster';

/** The per-device-pixel resolve the renderer used before. */
function reference(out: Frame, base: Uint32Array, ids: Int32Array, box: PixelBox, shades: Uint32Array, alpha: number, cell: number): number {
  const { data, width: w } = out;
  const gw = Math.ceil(w / cell);
  const [bx0, by0, bx1, by1] = box;
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 256), inv = 256 - a;
  let covered = 0;
  for (let y = by0; y < by1; y++) {
    const row = y * w, grow = ((y / cell) | 0) * gw;
    for (let x = bx0; x < bx1; x++) {
      const t = ids[grow + ((x / cell) | 0)]!;
      if (t < 0) continue;
      covered++;
      const c = shades[t]!, px = base[row + x]!;
      data[row + x] = 0xff000000 | ((((px & 0xff00ff) * inv + (c & 0xff00ff) * a) >>> 8) & 0xff00ff) | ((((px & 0xff00) * inv + (c & 0xff00) * a) >>> 8) & 0xff00);
    }
  }
  return covered;
}

/** A small deterministic generator, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('resolveShaded', () => {
  it('paints the same pixels as the per-pixel walk, cells of 1 to 3, boxes on and off the cell grid', () => {
    const W = 97, H = 61;
    const r = rng(7);
    const base = Uint32Array.from({ length: W * H }, () => (0xff000000 | (r() * 0xffffff)) >>> 0);
    const shades = Uint32Array.from({ length: 50 }, () => (0xff000000 | (r() * 0xffffff)) >>> 0);
    let painted = 0;
    for (const cell of [1, 2, 3]) {
      const ids = Int32Array.from({ length: Math.ceil(W / cell) * Math.ceil(H / cell) }, () => (r() < 0.4 ? -1 : Math.floor(r() * 50)));
      for (const box of [[0, 0, W, H], [5, 3, 60, 40], [1, 1, 2, 2], [10, 7, W, H], [0, 0, 0, 0]] as PixelBox[]) {
        for (const alpha of [0.7, 1]) {
          const a = { data: base.slice(), width: W, height: H }, b = { data: base.slice(), width: W, height: H };
          const na = resolveShaded(a, base, ids, box, shades, alpha, cell);
          const nb = reference(b, base, ids, box, shades, alpha, cell);
          expect(na).toBe(nb);
          expect(a.data).toEqual(b.data);
          painted += nb;
        }
      }
    }
    expect(painted).toBeGreaterThan(10000);
  });
});
