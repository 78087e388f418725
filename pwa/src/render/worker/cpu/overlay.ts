// The CPU overlay for one frame: projects each layer's mesh with the shared camera and rasterizes it
// over the photo pixels. No canvas here, so unit tests run it as is.
import type { Layer } from '../layers';
import { inverseDepth, projectVertices, triangleShades } from '../project';
import { boundingRadius, type Projection } from '../view';
import { featureCell, resolveFeatures } from './features';
import { fillMesh } from './unique';
import { clearBox, drawEdges, fillTriangles, makeInk, markCovered, projectedBox, resolveShaded, resolveSilhouette, type Frame, type PixelBox } from './raster';

/** How strongly the inside of a silhouette is tinted, relative to the overlay opacity. */
export const SILHOUETTE_FILL = 0.3;

/** Reusable per-frame buffers; grown on demand and kept, so dragging allocates nothing. */
export class Scratch {
  xy = new Float32Array(0);
  depth = new Float32Array(0);
  /** Two per triangle: its depth gradient (feature edges). */
  gradients = new Float32Array(0);
  shades = new Uint32Array(0);
  ids = new Int32Array(0);
  zbuf = new Float32Array(0);
  marks = new Uint8Array(0);
  markList = new Int32Array(0);

  /** Sizes the per-pixel buffers; `ids` starts all -1 (uncovered) and `zbuf` all 0 (infinitely far). */
  forFrame(pixels: number): void {
    if (this.ids.length !== pixels) {
      this.ids = new Int32Array(pixels).fill(-1);
      this.zbuf = new Float32Array(pixels);
      this.marks = new Uint8Array(pixels);
      this.markList = new Int32Array(pixels);
    }
  }

  forMesh(vertices: number, triangles: number): void {
    if (this.xy.length < 2 * vertices) {
      this.xy = new Float32Array(2 * vertices);
      this.depth = new Float32Array(vertices);
    }
    if (this.shades.length < triangles) this.shades = new Uint32Array(triangles);
    if (this.gradients.length < 2 * triangles) this.gradients = new Float32Array(2 * triangles);
  }
}

export interface LayersDrawn {
  /** Edges or triangles drawn. */
  drawn: number;
  /** Every pixel the layers may have changed lies in here (null: none). */
  box: PixelBox | null;
}

/** A depth jump of this fraction of the mesh's bounding radius is a feature line (one part in front of another). */
export const DEPTH_JUMP = 0.04;

/** Milliseconds per stage of drawLayers, summed over its layers (bench/raster-stages.ts reads it). */
export type StageTimes = Partial<Record<'project' | 'depth' | 'fill' | 'shade' | 'resolve' | 'clear', number>>;

/**
 * Draws `layers` into `out`, whose pixels must start equal to `base` (opaque photo, background, bbox).
 * Nothing is drawn outside `clip` (default: the whole frame). With `times`, each stage's time is added there.
 */
export function drawLayers(out: Frame, base: Uint32Array, layers: readonly Layer[], scratch: Scratch, minEdgeLength: number, clip?: PixelBox, times?: StageTimes): LayersDrawn {
  let t0 = times ? performance.now() : 0;
  const lap = times ? (stage: keyof StageTimes) => {
    const t = performance.now();
    times[stage] = (times[stage] ?? 0) + t - t0;
    t0 = t;
  } : null;
  scratch.forFrame(out.width * out.height);
  const frameClip: PixelBox = clip ?? [0, 0, out.width, out.height];
  let drawn = 0;
  let touched: PixelBox | null = null;
  for (const layer of layers) {
    const { mesh } = layer;
    const mode = layer.mode === 'edges' && !layer.features ? 'wireframe' : layer.mode;
    // Feature edges sample the surface on a grid of the line's width (see features.ts), shading on
    // the layer's fill cell; the rest per pixel.
    const cell = mode === 'edges' ? featureCell(layer.features!.lineWidth) : mode === 'shaded' ? Math.max(1, Math.round(layer.fillCell ?? 1)) : 1;
    const gw = Math.ceil(out.width / cell), gh = Math.ceil(out.height / cell);
    const projection = cell === 1 ? layer.projection : scaledProjection(layer.projection, 1 / cell);
    // Lines need every vertex (the edges index them); fills one per distinct position.
    const src = mode === 'wireframe' ? { positions: mesh.positions, vertexCount: mesh.vertexCount, triangles: mesh.triangles, faces: null } : fillMesh(mesh);
    scratch.forMesh(src.vertexCount, mesh.triangleCount);
    const xy = scratch.xy.subarray(0, 2 * src.vertexCount);
    projectVertices(src.positions, projection.pose, projection.viewport, xy);
    // Lines and fills stay inside the box of their (visible) vertices, in cells.
    const box = projectedBox(xy, gw, gh);
    lap?.('project');
    if (!box) continue;
    // Wide feature lines reach a few pixels past the mesh's box.
    const shown = intersectBox([box[0] * cell - 3 - cell, box[1] * cell - 3 - cell, box[2] * cell + 3 + cell, box[3] * cell + 3 + cell], frameClip);
    if (!shown) continue;
    touched = touched ? unionBox(touched, shown) : shown;
    if (mode === 'wireframe') {
      drawn += drawEdges(out, base, xy, mesh.edges, makeInk(layer.color, layer.opacity), minEdgeLength, 4, frameClip);
      lap?.('resolve');
      continue;
    }
    const { ids, zbuf } = scratch;
    const useDepth = mode !== 'silhouette';
    if (useDepth) {
      const depth = scratch.depth.subarray(0, src.vertexCount);
      inverseDepth(src.positions, projection.pose, depth);
      lap?.('depth');
      fillTriangles(ids, gw, gh, xy, src.triangles, depth, zbuf, mode === 'edges' ? scratch.gradients : null, 0, src.faces);
    } else fillTriangles(ids, gw, gh, xy, src.triangles, null, null, null, 0, src.faces);
    lap?.('fill');
    if (mode === 'edges') {
      const f = layer.features!;
      resolveFeatures(out, base, ids, zbuf, box, makeInk(layer.color, layer.opacity), {
        normals: f.normals,
        cosCrease: Math.cos((f.creaseDeg * Math.PI) / 180),
        depthTol: DEPTH_JUMP * boundingRadius(mesh),
        gradients: scratch.gradients,
        lineWidth: f.lineWidth,
        cell,
        clip: frameClip,
      }, scratch.marks, scratch.markList);
    } else if (mode === 'silhouette') {
      resolveSilhouette(out, base, ids, shown, makeInk(layer.color, layer.opacity), makeInk(layer.color, layer.opacity * SILHOUETTE_FILL));
    } else {
      const shades = scratch.shades.subarray(0, mesh.triangleCount);
      // Only the faces that won a pixel need a shade: a dense mesh hides most of its own.
      shades.fill(0);
      markCovered(ids, gw, box, shades);
      triangleShades(mesh.positions, mesh.triangles, projection.pose, layer.color, shades, true);
      lap?.('shade');
      resolveShaded(out, base, ids, shown, shades, layer.opacity, cell);
    }
    lap?.('resolve');
    drawn += mesh.triangleCount;
    // Leave the buffers clean for the next layer or frame, touching only where this mesh was.
    clearBox(ids, useDepth ? zbuf : null, gw, box);
    lap?.('clear');
  }
  return { drawn, box: touched };
}

export function intersectBox(a: PixelBox, b: PixelBox): PixelBox | null {
  const r: PixelBox = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return r[0] < r[2] && r[1] < r[3] ? r : null;
}

export function unionBox(a: PixelBox, b: PixelBox): PixelBox {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/** The same camera drawing into an image `k` times the size: focal length and principal point scale. */
function scaledProjection(p: Projection, k: number): Projection {
  return { pose: { ...p.pose, px: p.pose.px * k, py: p.pose.py * k }, viewport: p.viewport * k };
}
