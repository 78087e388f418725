// Feature edges on the CPU path: lines where coverage changes, where faces fold past the crease
// angle or where the depth jumps, only on the nearest surface, never outside the clip.
import { describe, expect, it } from 'vitest';
import { faceNormals } from '@in3d/shared/mesh/features';
import { resolveFeatures } from '../src/render/worker/cpu/features';
import { fillTriangles, makeInk, type PixelBox } from '../src/render/worker/cpu/raster';

const W = 40, H = 30;
const RED = 0xff0000ff;

/** Rasterises screen-space triangles with per-vertex 1/w, then resolves feature lines. */
function draw(xy: number[], depth: number[], tris: number[], normals: Float32Array, o: { crease?: number; clip?: PixelBox; lineWidth?: number; depthTol?: number } = {}) {
  const ids = new Int32Array(W * H).fill(-1), zbuf = new Float32Array(W * H), gradients = new Float32Array(tris.length);
  fillTriangles(ids, W, H, Float32Array.from(xy), Uint32Array.from(tris), Float32Array.from(depth), zbuf, gradients);
  const base = new Uint32Array(W * H), out = { data: new Uint32Array(W * H), width: W, height: H };
  const marks = new Uint8Array(W * H);
  const found = resolveFeatures(out, base, ids, zbuf, [0, 0, W, H], makeInk(RED, 1), {
    normals, gradients, cosCrease: Math.cos(((o.crease ?? 40) * Math.PI) / 180), depthTol: o.depthTol ?? 0.1, lineWidth: o.lineWidth ?? 1, clip: o.clip ?? [0, 0, W, H],
  }, marks, new Int32Array(W * H));
  const lit = (x: number, y: number) => out.data[y * W + x] !== 0;
  return { found, lit, count: out.data.filter((v) => v !== 0).length, marksClear: marks.every((m) => m === 0) };
}

// A 20x20 square at (10, 5) made of two triangles sharing the diagonal.
const SQUARE = [10, 5, 30, 5, 30, 25, 10, 25];
const TWO = [0, 1, 2, 0, 2, 3];

describe('feature edges', () => {
  it('a flat square shows its outline only, not the diagonal between its two triangles', () => {
    const flat = Float32Array.of(0, 0, 1, 0, 0, 1);
    const r = draw(SQUARE, [1, 1, 1, 1], TWO, flat);
    expect(r.lit(10, 15)).toBe(true); // left border
    expect(r.lit(29, 15)).toBe(true); // right border
    expect(r.lit(20, 15)).toBe(false); // on the diagonal, inside
    expect(r.count).toBeGreaterThan(60);
    expect(r.count).toBeLessThan(90);
    expect(r.marksClear).toBe(true);
  });

  it('a fold sharper than the crease angle draws the diagonal; a gentler one does not', () => {
    const folded = Float32Array.of(0, 0, 1, 0, Math.sin(1), Math.cos(1)); // 57° apart
    expect(draw(SQUARE, [1, 1, 1, 1], TWO, folded, { crease: 40 }).lit(20, 15)).toBe(true);
    expect(draw(SQUARE, [1, 1, 1, 1], TWO, folded, { crease: 70 }).lit(20, 15)).toBe(false);
    // Winding does not matter: a flipped normal is the same plane.
    expect(draw(SQUARE, [1, 1, 1, 1], TWO, Float32Array.of(0, 0, 1, 0, 0, -1)).lit(20, 15)).toBe(false);
  });

  it('hidden lines are removed: a square behind another shows only where it is not covered', () => {
    // Front square as above at 1/w = 1; a back square (1/w = 0.2) shifted right by 15 px.
    const xy = [...SQUARE, 25, 8, 38, 8, 38, 22, 25, 22];
    const tris = [...TWO, 4, 5, 6, 4, 6, 7];
    const n = Float32Array.of(0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1);
    const r = draw(xy, [1, 1, 1, 1, 0.2, 0.2, 0.2, 0.2], tris, n);
    expect(r.lit(25, 15)).toBe(false); // the back square's left border lies behind the front one
    expect(r.lit(37, 15)).toBe(true); // its right border is in view
    expect(r.lit(29, 15)).toBe(true); // the front square's border over the back one: a depth jump
  });

  it('a steep face is no depth jump: its diagonal stays undrawn although 1/w changes fast from pixel to pixel', () => {
    const flat = Float32Array.of(0, 0, 1, 0, 0, 1);
    // 1/w from 1 on the left to 0.2 on the right: steps of 0.04 a pixel, far over the tolerance.
    const steep = draw(SQUARE, [1, 0.2, 0.2, 1], TWO, flat, { depthTol: 0.05 });
    expect(steep.lit(20, 15)).toBe(false);
    expect(steep.lit(10, 15)).toBe(true);
    expect(steep.count).toBeLessThan(90);
  });

  it('never draws outside the clip, and the line width widens lines', () => {
    const flat = Float32Array.of(0, 0, 1, 0, 0, 1);
    const clipped = draw(SQUARE, [1, 1, 1, 1], TWO, flat, { clip: [0, 0, 20, H] });
    expect(clipped.lit(29, 15)).toBe(false);
    expect(clipped.lit(10, 15)).toBe(true);
    const wide = draw(SQUARE, [1, 1, 1, 1], TWO, flat, { lineWidth: 3 });
    expect(wide.count).toBeGreaterThan(2.5 * draw(SQUARE, [1, 1, 1, 1], TWO, flat).count);
  });

  it('faceNormals gives unit normals by winding, zero for a degenerate face', () => {
    const n = faceNormals({ positions: Float32Array.of(0, 0, 0, 1, 0, 0, 0, 1, 0, 2, 0, 0), triangles: Uint32Array.of(0, 1, 2, 0, 1, 3) });
    expect(Array.from(n)).toEqual([0, 0, 1, 0, 0, 0]);
  });
});
