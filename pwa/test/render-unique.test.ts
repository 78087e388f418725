// The rasterizer skips repeated faces (same three corner positions) and faces whose corners coincide:
// the buffers must say what they said with every face drawn, up to which copy of a repeated face
// holds a pixel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMesh } from '@in3d/shared/mesh/codec';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import { parseOff } from '@in3d/shared/mesh/off';
import type { DecodedMesh } from '@in3d/shared/mesh/types';
import type { PoseJson } from '@in3d/shared/types';
import { fillTriangles } from '../src/render/worker/cpu/raster';
import { fillMesh } from '../src/render/worker/cpu/unique';
import { inverseDepth, projectVertices } from '../src/render/worker/project';
import { boundingRadius } from '../src/render/worker/view';
import { hasFixtures, IMAGENET3D } from '../../shared/test/fixtures';

const W = 320, H = 240;

/** Each triangle's first copy by corner positions (the face fillMesh keeps for it). */
function firstCopies(m: DecodedMesh): Int32Array {
  const { triangles, positions } = m;
  const first = new Map<string, number>();
  const out = new Int32Array(triangles.length / 3);
  const corner = (v: number) => [...positions.subarray(3 * v, 3 * v + 3)].join(' ');
  for (let t = 0; t < out.length; t++) {
    const key = [...triangles.subarray(3 * t, 3 * t + 3)].map(corner).sort().join();
    if (!first.has(key)) first.set(key, t);
    out[t] = first.get(key)!;
  }
  return out;
}

/** ids with every face of the mesh drawn (mapped to first copies) and of its FillMesh; how many pixels are covered. */
function both(m: DecodedMesh, pose: PoseJson, viewport: number) {
  const fill = (positions: Float32Array, triangles: Uint32Array, only: Uint32Array | null) => {
    const n = positions.length / 3;
    const xy = new Float32Array(2 * n), depth = new Float32Array(n);
    projectVertices(positions, pose, viewport, xy);
    inverseDepth(positions, pose, depth);
    const ids = new Int32Array(W * H).fill(-1);
    fillTriangles(ids, W, H, xy, triangles, depth, new Float32Array(W * H), null, 0, only);
    return ids;
  };
  const first = firstCopies(m);
  const all = fill(m.positions, m.triangles, null).map((t) => (t < 0 ? t : first[t]!));
  const f = fillMesh(m);
  const unique = fill(f.positions, f.triangles, f.faces);
  return { all, unique, covered: all.filter((t) => t >= 0).length };
}

async function mesh(positions: number[], triangles: number[]): Promise<DecodedMesh> {
  const r = await decodeMesh(encodeMesh({ positions: Float32Array.from(positions), triangles: Uint32Array.from(triangles) }));
  if (!r.ok) throw new Error(r.error);
  return r.mesh;
}

describe('fillMesh', () => {
  // Seven distinct corners, then vertex 7 at vertex 1's position and vertex 8 at vertex 2's.
  const corners = Float32Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0]);

  it('keeps the first copy of each vertex set, in any winding, and says null when nothing repeats', () => {
    const tris = Uint32Array.from([0, 1, 2, 2, 0, 1, 1, 3, 2, 0, 2, 1, 3, 1, 2, 4, 5, 6]);
    const f = fillMesh({ positions: corners, triangles: tris });
    expect([...f.faces!]).toEqual([0, 2, 5]);
    expect(fillMesh({ positions: corners, triangles: tris })).toBe(f);
    expect(fillMesh({ positions: corners, triangles: Uint32Array.from([0, 1, 2, 0, 1, 3, 0, 2, 3]) }).faces).toBeNull();
  });

  it('treats vertices at one position as one: a copy with its own vertices repeats, a face with two corners at one point is dropped', () => {
    // Face 1 is face 0 on copies of its vertices (wound the other way), face 3 has corners 1 and 7 at one point.
    const tris = Uint32Array.from([0, 1, 2, 8, 7, 0, 1, 3, 2, 1, 7, 3, 4, 5, 6]);
    const f = fillMesh({ positions: corners, triangles: tris });
    expect([...f.faces!]).toEqual([0, 2, 4]);
    // One vertex per position, the faces renumbered onto them.
    expect(f.vertexCount).toBe(7);
    expect([...f.positions]).toEqual([...corners.subarray(0, 21)]);
    expect([...f.triangles]).toEqual([0, 1, 2, 2, 1, 0, 1, 3, 2, 1, 1, 3, 4, 5, 6]);
  });

  it('fills a doubled quad the same as with every face drawn', async () => {
    // A quad, then the same quad wound the other way (a "double-sided" export), then a triangle behind.
    const m = await mesh([-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0, 0, 0, -0.5, 2, 0, -0.5, 0, 2, -0.5], [0, 1, 2, 0, 2, 3, 2, 1, 0, 3, 2, 0, 4, 5, 6]);
    expect(fillMesh(m).faces!.length).toBe(3);
    const r = both(m, { azimuth: 20, elevation: 10, theta: 3, distance: 5, px: 160.3, py: 120.7 }, 400);
    expect(r.covered).toBeGreaterThan(5000);
    expect(r.unique).toEqual(r.all);
  });

  it('fills a quad doubled on its own copies of the vertices the same as with every face drawn', async () => {
    // Vertices 4-7 repeat 0-3; faces 2-3 are the quad again on them, wound the other way; face 4 is a sliver with two corners at one point.
    const quad = [-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0];
    const m = await mesh([...quad, ...quad, 0, 0, -0.5, 2, 0, -0.5, 0, 2, -0.5], [0, 1, 2, 0, 2, 3, 6, 5, 4, 7, 6, 4, 1, 5, 2, 8, 9, 10]);
    expect([...fillMesh(m).faces!]).toEqual([0, 1, 5]);
    expect(fillMesh(m).vertexCount).toBe(7);
    const r = both(m, { azimuth: -25, elevation: 12, theta: -4, distance: 5, px: 150.2, py: 110.9 }, 400);
    expect(r.covered).toBeGreaterThan(5000);
    expect(r.unique).toEqual(r.all);
  });
});

describe.skipIf(!hasFixtures)('fillMesh on a CAD mesh with repeated faces', () => {
  // motorbike/02 repeats faces on the same vertices, microphone/01 mostly on copies of them.
  it.each([['motorbike', '02', 0.8], ['microphone', '01', 0.6]] as const)('%s/%s: same buffers in view, partly off the frame and with the camera inside the mesh', async (category, subtype, keptAtMost) => {
    const parsed = parseOff(readFileSync(join(IMAGENET3D, 'cad', category, `${subtype}.off`), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const m = await mesh([...parsed.mesh.positions], [...parsed.mesh.triangles]);
    expect(fillMesh(m).faces!.length).toBeLessThan(keptAtMost * m.triangleCount);
    const r0 = boundingRadius(m);
    const viewport = 600;
    const framed = (viewport * r0) / (0.4 * H);
    const poses: [PoseJson, number][] = [
      [{ azimuth: 30, elevation: 15, theta: -5, distance: framed, px: W / 2, py: H / 2 }, 5000],
      [{ azimuth: 200, elevation: -20, theta: 10, distance: framed / 2, px: W * 0.9, py: H * 0.2 }, 8000],
      // Inside the bounding sphere: some vertices behind the camera.
      [{ azimuth: 80, elevation: 5, theta: 0, distance: 0.3 * r0, px: W / 2, py: H / 2 }, 50000],
    ];
    for (const [pose, minCovered] of poses) {
      const r = both(m, pose, viewport);
      expect(r.covered).toBeGreaterThan(minCovered);
      let differ = 0;
      for (let i = 0; i < r.all.length; i++) if (r.all[i] !== r.unique[i]) differ++;
      expect(differ).toBe(0);
    }
  });
});
