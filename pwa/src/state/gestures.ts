// Direct manipulation on the photo, as pure pose updates. Directions follow "grab the object": dragging
// right turns its front to the right, dragging down tips its top towards you, twisting turns it with
// the pointer, pinching out makes it bigger.
import type { PoseJson } from '@in3d/shared/types';
import { setParam } from './pose-params';

/** Degrees of rotation per CSS pixel of drag. */
export const ROTATE_DEG_PER_PX = 0.5;

export function rotateByDrag(pose: PoseJson, dx: number, dy: number, degPerPx = ROTATE_DEG_PER_PX): PoseJson {
  return setParam(setParam(pose, 'azimuth', pose.azimuth - dx * degPerPx), 'elevation', pose.elevation + dy * degPerPx);
}

/** Angle (degrees, image coordinates: y down, so clockwise on screen) of `p` around `c`. */
export function angleAround(c: { x: number; y: number }, p: { x: number; y: number }): number {
  return (Math.atan2(p.y - c.y, p.x - c.x) * 180) / Math.PI;
}

/** Smallest signed difference between two angles, in (-180, 180]. */
export function angleDelta(from: number, to: number): number {
  let d = (to - from) % 360;
  if (d > 180) d -= 360;
  if (d <= -180) d += 360;
  return d;
}

/** Theta is counter-clockwise on screen, so a clockwise twist of `deltaDeg` lowers it. */
export function twist(pose: PoseJson, deltaDeg: number): PoseJson {
  return setParam(pose, 'theta', pose.theta - deltaDeg);
}

/** Moves the principal point by a drag measured in CSS pixels on a photo shown at `zoom`. */
export function moveCentre(pose: PoseJson, dx: number, dy: number, zoom: number): PoseJson {
  return setParam(setParam(pose, 'px', pose.px + dx / zoom), 'py', pose.py + dy / zoom);
}

/** A larger `scale` (pinch out, wheel up) draws the object bigger, i.e. the camera comes closer. */
export function scaleDistance(pose: PoseJson, scale: number): PoseJson {
  if (!(scale > 0) || !Number.isFinite(scale)) return pose;
  return setParam(pose, 'distance', pose.distance / scale);
}

/** Wheel delta (pixels) to a scale factor; a notch (~100 px) is about 14 %. */
export function wheelScale(deltaY: number, deltaMode: number): number {
  const px = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-px * 0.0013);
}

/** Fit of the photo into the canvas (CSS pixels): the scene's zoom and offset. */
export function fitPhoto(canvas: { width: number; height: number }, photo: { width: number; height: number }, margin = 12): { zoom: number; offset: { x: number; y: number } } {
  const w = Math.max(1, canvas.width - 2 * margin), h = Math.max(1, canvas.height - 2 * margin);
  const zoom = Math.min(w / photo.width, h / photo.height);
  return { zoom, offset: { x: (canvas.width - photo.width * zoom) / 2, y: (canvas.height - photo.height * zoom) / 2 } };
}
