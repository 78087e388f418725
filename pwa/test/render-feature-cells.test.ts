// Feature edges sampled on a grid of the line's width (2x2 device pixels for 2 px lines): the lines
// stay where the per-pixel ones are (within a line width), hidden lines stay removed, and the box
// the backend uploads still holds every changed pixel.
import { describe, expect, it } from 'vitest';
import { decodeMesh, encodeMesh } from '@in3d/shared/mesh/codec';
import { faceNormals } from '@in3d/shared/mesh/features';
import type { DecodedMesh } from '@in3d/shared/mesh/types';
import { drawLayers, Scratch } from '../src/render/worker/cpu/overlay';
import { featureCell } from '../src/render/worker/cpu/features';
import type { Layer } from '../src/render/worker/layers';

const W = 240, H = 180, BG = 0xff202020;
const pose = { azimuth: 30, elevation: 15, theta: -5, distance: 5, px: 120.3, py: 90.6 };

/** Cubes of the given half sizes, all centred on the origin, in one mesh. */
function cubes(...halves: number[]): DecodedMesh {
  const positions: number[] = [], triangles: number[] = [];
  const faces = [0, 1, 3, 0, 3, 2, 4, 6, 7, 4, 7, 5, 0, 4, 5, 0, 5, 1, 2, 3, 7, 2, 7, 6, 0, 2, 6, 0, 6, 4, 1, 5, 7, 1, 7, 3];
  for (const s of halves) {
    const first = positions.length / 3;
    for (let i = 0; i < 8; i++) positions.push(i & 1 ? s : -s, i & 2 ? s : -s, i & 4 ? s : -s);
    triangles.push(...faces.map((v) => v + first));
  }
  const r = decodeMesh(encodeMesh({ positions: Float32Array.from(positions), triangles: Uint32Array.from(triangles) }));
  if (!r.ok) throw new Error(r.error);
  return r.mesh;
}

function draw(m: DecodedMesh, lineWidth: number, scratch = new Scratch()) {
  const base = new Uint32Array(W * H).fill(BG);
  const out = { data: base.slice(), width: W, height: H };
  const layer: Layer = { mesh: m, projection: { pose, viewport: 300 }, mode: 'edges', color: 0xff00ffff, opacity: 1, features: { normals: faceNormals(m), creaseDeg: 40, lineWidth } };
  const { box } = drawLayers(out, base, [layer], scratch, 0);
  const lit = new Set<number>();
  out.data.forEach((p, i) => p !== BG && lit.add(i));
  return { lit, box, scratch };
}

/** How many of `a`'s pixels have no pixel of `b` within `r` pixels (either axis). */
function strays(a: Set<number>, b: Set<number>, r: number): number {
  let n = 0;
  for (const i of a) {
    const x = i % W, y = (i - x) / W;
    let near = false;
    for (let dy = -r; dy <= r && !near; dy++) for (let dx = -r; dx <= r && !near; dx++) near = b.has((y + dy) * W + x + dx);
    if (!near) n++;
  }
  return n;
}

describe('feature edges on a grid of the line width', () => {
  it('samples per pixel for 1 px lines and per line width up to 4 px', () => {
    expect([0.4, 1, 1.5, 2, 3, 6].map(featureCell)).toEqual([1, 1, 2, 2, 3, 4]);
  });

  it('puts 2 px lines on 2x2 cells within a line width of the per-pixel lines, both ways', () => {
    const m = cubes(0.5);
    const fine = draw(m, 1).lit, coarse = draw(m, 2).lit;
    expect(fine.size).toBeGreaterThan(300);
    // Twice as wide, and the cube's 9 visible edges all there.
    expect(coarse.size).toBeGreaterThan(1.6 * fine.size);
    expect(strays(coarse, fine, 2)).toBe(0);
    expect(strays(fine, coarse, 1)).toBe(0);
  });

  it('keeps hidden lines removed: a cube inside the cube adds no pixel', () => {
    for (const lw of [2, 3]) expect(draw(cubes(0.5, 0.3), lw).lit).toEqual(draw(cubes(0.5), lw).lit);
  });

  it('changes pixels only inside the box it reports and leaves the buffers clean', () => {
    const { lit, box, scratch } = draw(cubes(0.5), 3);
    const [x0, y0, x1, y1] = box!;
    for (const i of lit) {
      const x = i % W, y = (i - x) / W;
      expect(x >= x0 && x < x1 && y >= y0 && y < y1, `pixel ${x},${y} outside ${box}`).toBe(true);
    }
    expect(scratch.ids.every((v) => v === -1)).toBe(true);
    expect(scratch.zbuf.every((v) => v === 0)).toBe(true);
    expect(scratch.marks.every((v) => v === 0)).toBe(true);
  });
});

describe('shading on a coarser grid (dpr 2: one sample a CSS pixel)', () => {
  it('covers the same area as per-pixel shading, in 2x2 blocks of one shade', () => {
    const m = cubes(0.5);
    const shade = (fillCell: number) => {
      const base = new Uint32Array(W * H).fill(BG);
      const out = { data: base.slice(), width: W, height: H };
      const layer: Layer = { mesh: m, projection: { pose, viewport: 300 }, mode: 'shaded', color: 0xff00ffff, opacity: 1, fillCell };
      drawLayers(out, base, [layer], new Scratch(), 0);
      return out.data;
    };
    const fine = shade(1), coarse = shade(2);
    const area = (d: Uint32Array) => d.filter((p) => p !== BG).length;
    expect(area(fine)).toBeGreaterThan(2000);
    expect(Math.abs(area(coarse) - area(fine)) / area(fine)).toBeLessThan(0.05);
    for (let y = 0; y < H; y += 2)
      for (let x = 0; x < W; x += 2) {
        const i = y * W + x;
        expect([coarse[i + 1], coarse[i + W], coarse[i + W + 1]], `block at ${x},${y}`).toEqual([coarse[i], coarse[i], coarse[i]]);
      }
  });
});
