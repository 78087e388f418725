// From the page's scene (photo pixels, CSS pixels) to what a backend draws (device pixels).
// Both backends use these, so the CPU and WebGL overlays land on the same pixels.
import type { PoseInput } from '@in3d/shared/camera';
import type { PoseJson } from '@in3d/shared/types';
import type { SceneState } from '../contract';

/** A camera for one frame in device pixels: the pose's centre and the focal length already scaled. */
export interface Projection {
  pose: PoseInput;
  viewport: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface MeshBounds {
  min: readonly number[];
  max: readonly number[];
}

/**
 * The overlay camera. Photo coordinate x lands on device pixel (x · zoom + offset.x) · dpr, and
 * scaling an image by s about the origin is the same as scaling the focal length and the principal
 * point, so the shared `projectInto` runs unchanged with a scaled pose.
 */
export function overlayProjection(scene: Pick<SceneState, 'zoom' | 'offset' | 'viewport'>, pose: PoseJson, dpr: number): Projection {
  const s = scene.zoom * dpr;
  return {
    pose: { ...pose, px: pose.px * s + scene.offset.x * dpr, py: pose.py * s + scene.offset.y * dpr },
    viewport: scene.viewport * s,
  };
}

/** Where the photo lies on the canvas, device pixels. */
export function photoRect(scene: Pick<SceneState, 'zoom' | 'offset' | 'photo'>, dpr: number): Rect {
  const s = scene.zoom * dpr;
  return { x: scene.offset.x * dpr, y: scene.offset.y * dpr, w: scene.photo.width * s, h: scene.photo.height * s };
}

/** The bbox (photo pixels x1, y1, x2, y2) on the canvas, device pixels. */
export function bboxRect(scene: Pick<SceneState, 'zoom' | 'offset' | 'bbox'>, dpr: number): Rect | null {
  if (!scene.bbox) return null;
  const s = scene.zoom * dpr;
  const [x1, y1, x2, y2] = scene.bbox;
  return { x: x1 * s + scene.offset.x * dpr, y: y1 * s + scene.offset.y * dpr, w: (x2 - x1) * s, h: (y2 - y1) * s };
}

/** Radius of the sphere around the origin that holds the mesh's bounding box. */
export function boundingRadius(b: MeshBounds): number {
  let r2 = 0;
  for (let k = 0; k < 3; k++) {
    const m = Math.max(Math.abs(b.min[k] ?? 0), Math.abs(b.max[k] ?? 0));
    r2 += m * m;
  }
  return Math.sqrt(r2) || 1;
}

/**
 * The "model alone" camera: the pose's rotation, looking at the origin from the pose's distance
 * (kept outside the bounding sphere), with the focal length chosen so the sphere fills `fill` of the
 * shorter side of a width x height area, centred in it.
 */
export function modelProjection(bounds: MeshBounds, pose: PoseJson, width: number, height: number, fill = 0.9): Projection {
  const r = boundingRadius(bounds);
  const d = Math.max(pose.distance, 2 * r);
  const viewport = ((fill * Math.min(width, height)) / 2) * (Math.sqrt(d * d - r * r) / r);
  return { pose: { ...pose, distance: d, px: width / 2, py: height / 2 }, viewport };
}

/**
 * A CSS colour as 0xAABBGGRR with alpha 255 (ImageData's byte order on little-endian machines).
 * Accepts #rgb, #rrggbb, #rrggbbaa (alpha ignored: opacity is separate) and rgb()/rgba();
 * anything else falls back to `fallback`.
 */
export function parseColor(css: string, fallback = 0xff2f8cff): number {
  const s = css.trim().toLowerCase();
  let r: number, g: number, b: number;
  let m = /^#([0-9a-f]{3})$/.exec(s);
  if (m) {
    const h = m[1]!;
    [r, g, b] = [0, 1, 2].map((i) => parseInt(h[i]! + h[i]!, 16)) as [number, number, number];
  } else if ((m = /^#([0-9a-f]{6})(?:[0-9a-f]{2})?$/.exec(s))) {
    const h = m[1]!;
    [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
  } else if ((m = /^rgba?\(\s*(\d+)\s*[, ]\s*(\d+)\s*[, ]\s*(\d+)/.exec(s))) {
    [r, g, b] = [m[1]!, m[2]!, m[3]!].map((v) => Math.min(255, Number(v))) as [number, number, number];
  } else return fallback;
  return (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
}

/** Packed 0xAABBGGRR to the [r, g, b] in 0..1 that WebGL wants. */
export function unpackRgb(c: number): [number, number, number] {
  return [(c & 0xff) / 255, ((c >>> 8) & 0xff) / 255, ((c >>> 16) & 0xff) / 255];
}
