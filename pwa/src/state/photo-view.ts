// Zoom and pan of the photo on the annotate page: fit, the bounding box, 1:1 or a free zoom about a
// point. The renderer draws the photo and the overlay through the same photo → canvas mapping, at
// the canvas's own resolution, so the overlay stays registered and sharp at every zoom.
import { signal } from '@preact/signals';
import { fitPhoto } from './gestures';

type Size = { width: number; height: number };
type Bbox = readonly [number, number, number, number] | null;

/** 'free' keeps the photo point (cx, cy) at the canvas centre at `zoom` CSS px per photo px. */
export type PhotoView = { kind: 'fit' } | { kind: 'bbox' } | { kind: 'free'; zoom: number; cx: number; cy: number };
export interface Transform {
  zoom: number;
  offset: { x: number; y: number };
}

export const MAX_ZOOM = 32;
export const ZOOM_STEP = 1.25;

export const photoView = signal<PhotoView>({ kind: 'fit' });

/** The view as a photo → canvas mapping. */
export function viewTransform(v: PhotoView, canvas: Size, photo: Size, bbox: Bbox): Transform {
  if (v.kind === 'fit' || (v.kind === 'bbox' && !bbox)) return fitPhoto(canvas, photo);
  if (v.kind === 'bbox') {
    const [x1, y1, x2, y2] = bbox!;
    // The box with a margin of a fifth of its size around it.
    const w = Math.max(1, x2 - x1) * 1.4, h = Math.max(1, y2 - y1) * 1.4;
    const zoom = Math.min(MAX_ZOOM, canvas.width / w, canvas.height / h);
    return centred(zoom, (x1 + x2) / 2, (y1 + y2) / 2, canvas);
  }
  return centred(v.zoom, v.cx, v.cy, canvas);
}

function centred(zoom: number, cx: number, cy: number, canvas: Size): Transform {
  return { zoom, offset: { x: canvas.width / 2 - cx * zoom, y: canvas.height / 2 - cy * zoom } };
}

/** From a mapping back to a free view, keeping the photo centre inside the photo. */
function freeOf(t: Transform, canvas: Size, photo: Size): PhotoView {
  const zoom = t.zoom;
  const cx = (canvas.width / 2 - t.offset.x) / zoom, cy = (canvas.height / 2 - t.offset.y) / zoom;
  return { kind: 'free', zoom, cx: Math.max(0, Math.min(photo.width, cx)), cy: Math.max(0, Math.min(photo.height, cy)) };
}

/** Zoom by `factor` about the canvas point `at` (CSS px): the photo point under it stays put. */
export function zoomAt(t: Transform, at: { x: number; y: number }, factor: number, canvas: Size, photo: Size): PhotoView {
  const min = fitPhoto(canvas, photo).zoom / 2;
  const zoom = Math.max(min, Math.min(MAX_ZOOM, t.zoom * factor));
  const k = zoom / t.zoom;
  return freeOf({ zoom, offset: { x: at.x - (at.x - t.offset.x) * k, y: at.y - (at.y - t.offset.y) * k } }, canvas, photo);
}

/** Moves the photo by (dx, dy) CSS px. */
export function panBy(t: Transform, dx: number, dy: number, canvas: Size, photo: Size): PhotoView {
  return freeOf({ zoom: t.zoom, offset: { x: t.offset.x + dx, y: t.offset.y + dy } }, canvas, photo);
}

/** One photo pixel per CSS pixel, about the canvas centre. */
export function oneToOne(t: Transform, canvas: Size, photo: Size): PhotoView {
  return zoomAt(t, { x: canvas.width / 2, y: canvas.height / 2 }, 1 / t.zoom, canvas, photo);
}

/** The canvas the photo is on now (set by the Viewport), for commands from keys and buttons. */
let geometry: { canvas: Size; photo: Size; bbox: Bbox } | null = null;
export function setPhotoGeometry(g: { canvas: Size; photo: Size; bbox: Bbox } | null): void {
  geometry = g;
}

export type ZoomCommand = 'in' | 'out' | 'fit' | 'bbox' | 'actual';

export function zoomCommand(cmd: ZoomCommand): void {
  if (cmd === 'fit' || cmd === 'bbox') {
    photoView.value = { kind: cmd };
    return;
  }
  if (!geometry || geometry.canvas.width <= 0) return;
  const { canvas, photo, bbox } = geometry;
  const t = viewTransform(photoView.value, canvas, photo, bbox);
  const centre = { x: canvas.width / 2, y: canvas.height / 2 };
  photoView.value = cmd === 'actual' ? oneToOne(t, canvas, photo) : zoomAt(t, centre, cmd === 'in' ? ZOOM_STEP : 1 / ZOOM_STEP, canvas, photo);
}
