import { describe, expect, it } from 'vitest';
import { projectPoints } from '@in3d/shared/camera';
import { decodeMesh } from '@in3d/shared/mesh/codec';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import type { DecodedMesh } from '@in3d/shared/mesh/types';
import { chooseBackend, isSoftwareRenderer } from '../src/render/worker/capability';
import { latestOnly } from '../src/render/coalesce';
import { drawLayers, Scratch } from '../src/render/worker/cpu/overlay';
import { FRAME_BUDGET_MS, LOD_MIN_EDGES, minEdgeLength } from '../src/render/worker/lod';
import { eachInBackground } from '../src/render/worker/background';
import { boxFilter, STEP, THUMBNAIL_COLOR, thumbnailSteps } from '../src/render/worker/thumbnails';
import { modelProjection, overlayProjection, parseColor } from '../src/render/worker/view';
import { triangleShades } from '../src/render/worker/project';

const pose = { azimuth: 30, elevation: 15, theta: -5, distance: 5, px: 120, py: 90 };

/** A real codec round trip of a unit cube, or of an n x n grid of tiny quads (many short edges). */
async function mesh(kind: 'cube' | { grid: number; cell: number }): Promise<DecodedMesh> {
  let positions: number[], triangles: number[];
  if (kind === 'cube') {
    positions = [];
    for (let i = 0; i < 8; i++) positions.push(i & 1 ? 0.5 : -0.5, i & 2 ? 0.5 : -0.5, i & 4 ? 0.5 : -0.5);
    triangles = [0, 1, 3, 0, 3, 2, 4, 6, 7, 4, 7, 5, 0, 4, 5, 0, 5, 1, 2, 3, 7, 2, 7, 6, 0, 2, 6, 0, 6, 4, 1, 5, 7, 1, 7, 3];
  } else {
    const { grid: n, cell } = kind;
    positions = [];
    triangles = [];
    for (let y = 0; y <= n; y++) for (let x = 0; x <= n; x++) positions.push((x - n / 2) * cell, (y - n / 2) * cell, 0);
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) {
        const a = y * (n + 1) + x;
        triangles.push(a, a + 1, a + n + 2, a, a + n + 2, a + n + 1);
      }
  }
  const r = await decodeMesh(encodeMesh({ positions: Float32Array.from(positions), triangles: Uint32Array.from(triangles) }));
  if (!r.ok) throw new Error(r.error);
  return r.mesh;
}

// Decoded once: decodeMesh is async (its WASM decoder starts asynchronously).
const cube = await mesh('cube');
const grid160 = await mesh({ grid: 160, cell: 1 / 400 });

describe('overlay camera', () => {
  it('puts photo point (x, y) at device pixel (x·zoom + offset)·dpr, via the shared projection', () => {
    const pts = Float64Array.of(0, 0, 0, 0.3, -0.2, 0.1, -0.4, 0.25, 0.3);
    const scene = { zoom: 1.75, offset: { x: 13, y: -7 }, viewport: 3000 };
    const dpr = 2;
    const plain = projectPoints(pts, pose, scene.viewport);
    const p = overlayProjection(scene, pose, dpr);
    const dev = projectPoints(pts, p.pose, p.viewport);
    for (let i = 0; i < plain.length; i += 2) {
      expect(dev[i]).toBeCloseTo((plain[i]! * scene.zoom + scene.offset.x) * dpr, 9);
      expect(dev[i + 1]).toBeCloseTo((plain[i + 1]! * scene.zoom + scene.offset.y) * dpr, 9);
    }
  });

  it('centres the model view on the canvas and keeps it inside', () => {
    const m = cube;
    const p = modelProjection(m, pose, 400, 300);
    const xy = projectPoints(m.positions, p.pose, p.viewport);
    expect(Array.from(projectPoints([0, 0, 0], p.pose, p.viewport))).toEqual([200, 150]);
    for (let i = 0; i < xy.length; i += 2) {
      expect(Math.abs(xy[i]! - 200)).toBeLessThan(150);
      expect(Math.abs(xy[i + 1]! - 150)).toBeLessThan(150);
    }
  });
});

describe('level of detail', () => {
  it('applies only while interacting and only to big meshes, more when frames run late', () => {
    expect(minEdgeLength(LOD_MIN_EDGES * 2, false)).toBe(0);
    expect(minEdgeLength(LOD_MIN_EDGES * 2, false, 100)).toBe(0);
    expect(minEdgeLength(LOD_MIN_EDGES - 1, true, 100)).toBe(0);
    const fast = minEdgeLength(LOD_MIN_EDGES, true, FRAME_BUDGET_MS / 2);
    expect(fast).toBeGreaterThan(0);
    expect(minEdgeLength(LOD_MIN_EDGES, true, FRAME_BUDGET_MS * 2)).toBeGreaterThan(fast);
  });

  it('keeps the final frame complete: every edge is drawn once the drag ends', () => {
    // 160 x 160 quads of 1/400 units seen from 5 units at f=300: edges of ~0.15 px, 77k of them.
    const m = grid160;
    expect(m.edgeCount).toBeGreaterThan(LOD_MIN_EDGES);
    const w = 200, h = 200;
    const layer = { mesh: m, projection: { pose: { ...pose, azimuth: 0, elevation: 90, theta: 0, px: 100, py: 100 }, viewport: 300 }, mode: 'wireframe' as const, color: 0xff0000ff, opacity: 1 };
    const base = new Uint32Array(w * h).fill(0xff000000);
    const run = (interacting: boolean) => {
      const out = { data: base.slice(), width: w, height: h };
      const { drawn } = drawLayers(out, base, [layer], new Scratch(), minEdgeLength(m.edgeCount, interacting));
      return { drawn, pixels: out.data.filter((p) => p !== 0xff000000).length };
    };
    const dragging = run(true), final = run(false);
    expect(final.drawn).toBe(m.edgeCount);
    expect(dragging.drawn).toBeLessThanOrEqual(Math.ceil(m.edgeCount / 4));
    expect(final.pixels).toBeGreaterThan(0);
    // Thinned edges share their pixels with drawn ones: the drag frame loses almost none.
    expect(dragging.pixels).toBeGreaterThanOrEqual(final.pixels * 0.9);
  });
});

describe('silhouette and shaded overlays', () => {
  const m = cube;
  const w = 240, h = 180;
  const base = new Uint32Array(w * h).fill(0xff202020);
  const layer = (mode: 'silhouette' | 'shaded') => ({ mesh: m, projection: { pose, viewport: 300 }, mode, color: 0xff00ffff, opacity: 1 });

  it('tints exactly the pixels whose centres the projected cube covers', () => {
    const out = { data: base.slice(), width: w, height: h };
    drawLayers(out, base, [layer('silhouette')], new Scratch(), 0);
    const covered = out.data.filter((p) => p !== 0xff202020).length;
    const shaded = { data: base.slice(), width: w, height: h };
    drawLayers(shaded, base, [layer('shaded')], new Scratch(), 0);
    expect(covered).toBeGreaterThan(500);
    expect(shaded.data.filter((p) => p !== 0xff202020).length).toBe(covered);
  });

  it('reports a box holding every pixel it changed (the CPU backend uploads only that)', () => {
    for (const mode of ['wireframe', 'silhouette', 'shaded'] as const) {
      const out = { data: base.slice(), width: w, height: h };
      // Partly off the left edge, to exercise clipping too.
      const l = { ...layer('silhouette'), mode, projection: { pose: { ...pose, px: 10 }, viewport: 300 } };
      const { box } = drawLayers(out, base, [l], new Scratch(), 0);
      expect(box).not.toBeNull();
      const [x0, y0, x1, y1] = box!;
      let changed = 0;
      for (let i = 0; i < out.data.length; i++) {
        if (out.data[i] === base[i]) continue;
        changed++;
        const x = i % w, y = Math.floor(i / w);
        expect(x >= x0 && x < x1 && y >= y0 && y < y1, `${mode} pixel ${x},${y} outside ${box}`).toBe(true);
      }
      expect(changed).toBeGreaterThan(100);
      expect(x0).toBe(0);
    }
  });

  it('leaves its scratch buffers clean for the next frame', () => {
    const scratch = new Scratch();
    const a = { data: base.slice(), width: w, height: h };
    drawLayers(a, base, [layer('shaded')], scratch, 0);
    expect(scratch.ids.every((v) => v === -1)).toBe(true);
    expect(scratch.zbuf.every((v) => v === 0)).toBe(true);
  });
});

/** A thumbnail's pixels, its steps run back to back. */
async function thumbnail(m: DecodedMesh | undefined, size: number, scratch = new Scratch()) {
  const r = await eachInBackground([m], (x) => thumbnailSteps(x, pose, size, scratch), () => false, async () => undefined);
  return r![0]!;
}

describe('shading only what shows', () => {
  it('shades exactly the marked triangles, as the full pass does', () => {
    const m = grid160;
    const full = new Uint32Array(m.triangleCount);
    triangleShades(m.positions, m.triangles, pose, 0xff3c8ae0, full);
    const some = new Uint32Array(m.triangleCount);
    for (const t of [0, 7, 5000, m.triangleCount - 1]) some[t] = 1;
    triangleShades(m.positions, m.triangles, pose, 0xff3c8ae0, some, true);
    expect([...some.keys()].filter((t) => some[t] !== 0)).toEqual([0, 7, 5000, m.triangleCount - 1]);
    for (const t of [0, 7, 5000, m.triangleCount - 1]) expect(some[t]).toBe(full[t]);
  });
});

describe('thumbnails', () => {
  it('draws the model centred and opaque on a transparent tile', async () => {
    const px = await thumbnail(cube, 32);
    const alpha = (x: number, y: number) => px[4 * (y * 32 + x) + 3];
    expect(alpha(16, 16)).toBe(255);
    expect(alpha(0, 0)).toBe(0);
    expect((await thumbnail(undefined, 8)).every((v) => v === 0)).toBe(true);
  });

  it('drawn in steps, has exactly the pixels of one shaded pass over the whole mesh', async () => {
    const m = grid160;
    expect(m.triangleCount).toBeGreaterThan(3 * STEP);
    let steps = 0;
    for (const it = thumbnailSteps(m, pose, 48); !it.next().done; ) steps++;
    expect(steps).toBeGreaterThan(3);
    const big = 96;
    const frame = { data: new Uint32Array(big * big), width: big, height: big };
    drawLayers(frame, new Uint32Array(big * big), [{ mesh: m, projection: modelProjection(m, pose, big, big, 0.92), mode: 'shaded', color: THUMBNAIL_COLOR, opacity: 1 }], new Scratch(), 0);
    const want = new Uint8ClampedArray(48 * 48 * 4);
    boxFilter(new Uint8Array(frame.data.buffer), big, 48, want);
    expect(want.some((v) => v > 0)).toBe(true);
    expect(Array.from(await thumbnail(m, 48))).toEqual(Array.from(want));
  });

  it('skips repeated faces: a mesh with every face doubled (other winding) draws the same tile, filling only the first copies', async () => {
    const t = grid160.triangles, doubledTris = new Uint32Array(2 * t.length);
    doubledTris.set(t);
    for (let i = 0; i < t.length; i += 3) doubledTris.set([t[i + 2]!, t[i + 1]!, t[i]!], t.length + i);
    // Built directly, not encoded: the codec may reorder faces, and the first copies must be grid160's own.
    const doubled: DecodedMesh = { ...grid160, triangles: doubledTris, triangleCount: 2 * grid160.triangleCount };
    const count = (m: DecodedMesh) => {
      let steps = 0;
      for (const it = thumbnailSteps(m, pose, 48); !it.next().done; ) steps++;
      return steps;
    };
    // Shading still steps over every triangle; the fill only over the first copies.
    expect(count(doubled)).toBe(count(grid160) + Math.ceil((2 * grid160.triangleCount) / STEP) - Math.ceil(grid160.triangleCount / STEP));
    expect(Array.from(await thumbnail(doubled, 48))).toEqual(Array.from(await thumbnail(grid160, 48)));
  });

  it('a run abandoned midway (cancelled) leaves nothing behind in the shared buffers', async () => {
    const scratch = new Scratch();
    const abandoned = thumbnailSteps(grid160, pose, 32, scratch);
    for (let i = 0; i < 8; i++) abandoned.next();
    expect(Array.from(await thumbnail(cube, 32, scratch))).toEqual(Array.from(await thumbnail(cube, 32)));
  });
});

describe('backend choice', () => {
  it('sends software WebGL to the CPU path and real GPUs to WebGL', () => {
    const swift = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
    expect(isSoftwareRenderer(swift)).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(chooseBackend('auto', { available: true, renderer: swift, software: true })).toBe('cpu');
    const gpu = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)';
    expect(chooseBackend('auto', { available: true, renderer: gpu, software: isSoftwareRenderer(gpu) })).toBe('webgl');
    expect(chooseBackend('webgl', { available: false, renderer: '', software: false })).toBe('cpu');
    expect(chooseBackend('cpu', { available: true, renderer: gpu, software: false })).toBe('cpu');
  });

  it('reads CSS colours into ImageData byte order', () => {
    expect(parseColor('#ff8000')).toBe(0xff0080ff);
    expect(parseColor('#f80')).toBe(0xff0088ff);
    expect(parseColor('rgb(1, 2, 3)')).toBe(0xff030201);
    expect(parseColor('nonsense', 7)).toBe(7);
  });
});

describe('latestOnly', () => {
  it('draws the first and the newest scene, and answers every caller', async () => {
    const ran: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const render = latestOnly(async (n: number) => {
      ran.push(n);
      if (n === 1) await gate;
      return n * 10;
    });
    const results = Promise.all([render(1), render(2), render(3), render(4)]);
    release();
    expect(await results).toEqual([10, 40, 40, 40]);
    expect(ran).toEqual([1, 4]);
  });
});
