// Where a CPU overlay frame's time goes, stage by stage, in node (no browser): the same drawLayers
// the render worker runs, on the fixture meshes, in the scene bench/render.ts draws (1200x800 CSS px
// canvas, a 500x375 photo fitted in it, the model about 70% of the photo's height), in feature edges
// and shaded at devicePixelRatio 1 and 2, the engine's layer settings (1.5 CSS px lines, shading on
// one sample a CSS pixel). One figure a line: `raster <mesh> <mode> dpr<n> <stage>_p50_ms`, stages
//   restore   the last frame's overlay box copied back from the base image (the backend's first step)
//   project   vertices to device pixels (+ their screen box)     depth    1/w per vertex
//   fill      scan conversion into the id and depth buffers       shade    covered faces' shades (shaded)
//   resolve   buffers to pixels (resolveShaded / resolveFeatures) clear    the buffers cleared for the next frame
//   total     restore + drawLayers; upload_px  the pixels putImageData sends (union of last and new box)
// putImageData itself runs only in the browser: see bench/render.ts and bench/annotate-frame.ts.
// Alone: `npx tsx bench/raster-stages.ts`; RASTER_ONLY=motorbike/02 limits the meshes, RASTER_FRAMES the frames.
import { loadavg } from 'node:os';
import { decodeMesh } from '@in3d/shared/mesh/codec';
import { faceNormals } from '@in3d/shared/mesh/features';
import type { DecodedMesh } from '@in3d/shared/mesh/types';
import type { PoseJson } from '@in3d/shared/types';
import { drawLayers, Scratch, unionBox, type StageTimes } from '../pwa/src/render/worker/cpu/overlay';
import { copyBox, type PixelBox } from '../pwa/src/render/worker/cpu/raster';
import type { Layer } from '../pwa/src/render/worker/layers';
import { boundingRadius, overlayProjection } from '../pwa/src/render/worker/view';
import { fixtureMesh } from './render-page/serve';

export const needsFixtures = true;
const MESHES = process.env.RASTER_ONLY?.split(',') ?? ['chair/01', 'motorbike/02', 'microphone/01'];
const FRAMES = Number(process.env.RASTER_FRAMES ?? 40);
const WARMUP = 10;
const CANVAS = { width: 1200, height: 800 };
const PHOTO = { width: 500, height: 375 };
const VIEWPORT = 3000;
const COLOR = 0xffd43bff;

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The pose of frame `i`: the render bench's sweep (bench/render-page/main.ts runPoses). */
function poseAt(p0: PoseJson, i: number): PoseJson {
  return {
    ...p0,
    azimuth: p0.azimuth + 1.7 * i,
    elevation: p0.elevation + 8 * Math.sin(i / 7),
    theta: p0.theta + 3 * Math.sin(i / 11),
    distance: p0.distance * (1 + 0.05 * Math.sin(i / 13)),
  };
}

/** A photo-like base: a smooth gradient, so blending reads varied pixels. */
function baseImage(width: number, height: number): Uint32Array {
  const base = new Uint32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) base[y * width + x] = (0xff000000 | (((x * 255) / width) << 16) | (((y * 255) / height) << 8) | 0x40) >>> 0;
  return base;
}

function bench(name: string, mesh: DecodedMesh, normals: Float32Array, mode: 'edges' | 'shaded', dpr: 1 | 2): void {
  const width = CANVAS.width * dpr, height = CANVAS.height * dpr;
  const zoom = Math.min(CANVAS.width / PHOTO.width, CANVAS.height / PHOTO.height);
  const scene = { zoom, offset: { x: (CANVAS.width - PHOTO.width * zoom) / 2, y: (CANVAS.height - PHOTO.height * zoom) / 2 }, viewport: VIEWPORT };
  const distance = (VIEWPORT * boundingRadius(mesh)) / (0.35 * PHOTO.height);
  const p0: PoseJson = { azimuth: 30, elevation: 15, theta: -5, distance, px: PHOTO.width / 2, py: PHOTO.height / 2 };
  const base = baseImage(width, height);
  const frame = { data: base.slice(), width, height };
  const clip: PixelBox = [scene.offset.x * dpr, scene.offset.y * dpr, (scene.offset.x + PHOTO.width * zoom) * dpr, (scene.offset.y + PHOTO.height * zoom) * dpr].map(Math.round) as PixelBox;
  const scratch = new Scratch();
  const stages = new Map<string, number[]>();
  const add = (k: string, v: number) => (stages.get(k) ?? stages.set(k, []).get(k)!).push(v);
  let lastBox: PixelBox | null = null;
  for (let i = 0; i < WARMUP + FRAMES; i++) {
    const layer: Layer = {
      mesh,
      projection: overlayProjection(scene, poseAt(p0, i), dpr),
      mode,
      color: COLOR,
      opacity: 0.7,
      features: { normals, creaseDeg: 30, lineWidth: 1.5 * dpr },
      fillCell: dpr,
    };
    const t0 = performance.now();
    if (lastBox) copyBox(frame.data, base, width, lastBox);
    const t1 = performance.now();
    const times: StageTimes = {};
    const { box } = drawLayers(frame, base, [layer], scratch, 0, clip, times);
    const t2 = performance.now();
    const dirty = lastBox && box ? unionBox(lastBox, box) : (lastBox ?? box);
    lastBox = box;
    if (i < WARMUP) continue;
    add('restore', t1 - t0);
    for (const [k, v] of Object.entries(times)) add(k, v);
    add('total', t2 - t0);
    add('upload_px', dirty ? (dirty[2] - dirty[0]) * (dirty[3] - dirty[1]) : 0);
  }
  for (const [k, v] of stages) console.log(`raster ${name} ${mode} dpr${dpr} ${k === 'upload_px' ? k : `${k}_p50_ms`} ${k === 'upload_px' ? p50(v) : p50(v).toFixed(2)}`);
}

export async function run(): Promise<void> {
  console.log(`raster load_average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const name of MESHES) {
    const decoded = await decodeMesh(fixtureMesh(name));
    if (!decoded.ok) throw new Error(`${name}: ${decoded.error}`);
    const normals = faceNormals(decoded.mesh);
    for (const mode of ['edges', 'shaded'] as const) for (const dpr of [1, 2] as const) bench(name, decoded.mesh, normals, mode, dpr);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
