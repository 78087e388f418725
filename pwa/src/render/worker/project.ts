// Per-frame vertex work for the CPU backend, on top of the shared camera so the overlay lands on
// exactly the pixels `projectPoints` names. Depth and shading need the camera frame, which
// `projectInto` does not expose, so they are derived here from the same shared building blocks.
import { cameraCentre, projectInto, type PoseInput } from '@in3d/shared/camera';
import { deg, toRadians } from '@in3d/shared/units';

/** Device-pixel positions (xy pairs) of every vertex; NaN for vertices behind the camera. */
export function projectVertices(positions: Float32Array, pose: PoseInput, viewport: number, out: Float32Array): void {
  projectInto(positions, pose, viewport, out);
}

/**
 * 1 / (distance along the view axis) per vertex: affine in screen space, so the rasterizer can
 * interpolate it linearly; larger is nearer.
 */
export function inverseDepth(positions: Float32Array, pose: PoseInput, out: Float32Array): void {
  const az = toRadians(deg(pose.azimuth)), el = toRadians(deg(pose.elevation));
  const [cx, cy, cz] = cameraCentre(az, el, pose.distance);
  // The view axis is the unit vector from the camera centre to the origin.
  const len = Math.hypot(cx, cy, cz) || 1;
  const fx = -cx / len, fy = -cy / len, fz = -cz / len;
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const w = (positions[3 * i]! - cx) * fx + (positions[3 * i + 1]! - cy) * fy + (positions[3 * i + 2]! - cz) * fz;
    out[i] = w > 0 ? 1 / w : 0;
  }
}

/**
 * Flat "headlight" shading per triangle, packed 0xAABBGGRR: the colour scaled by how squarely the
 * face looks at the camera (two-sided, because CAD meshes rarely have consistent winding). With
 * `onlyMarked`, only the triangles whose `out` entry the caller set non-zero get one (the rest stay 0).
 */
export function triangleShades(positions: Float32Array, triangles: Uint32Array, pose: PoseInput, color: number, out: Uint32Array, onlyMarked = false): void {
  const [cx, cy, cz] = cameraCentre(toRadians(deg(pose.azimuth)), toRadians(deg(pose.elevation)), pose.distance);
  const r = color & 0xff, g = (color >>> 8) & 0xff, b = (color >>> 16) & 0xff;
  const nT = out.length;
  for (let t = 0; t < nT; t++) {
    if (onlyMarked && out[t] === 0) continue;
    const a = 3 * triangles[3 * t]!, bb = 3 * triangles[3 * t + 1]!, c = 3 * triangles[3 * t + 2]!;
    const ax = positions[a]!, ay = positions[a + 1]!, az = positions[a + 2]!;
    const ux = positions[bb]! - ax, uy = positions[bb + 1]! - ay, uz = positions[bb + 2]! - az;
    const vx = positions[c]! - ax, vy = positions[c + 1]! - ay, vz = positions[c + 2]! - az;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const dx = cx - ax, dy = cy - ay, dz = cz - az;
    const nn = Math.sqrt((nx * nx + ny * ny + nz * nz) * (dx * dx + dy * dy + dz * dz));
    const cos = nn > 0 ? Math.abs(nx * dx + ny * dy + nz * dz) / nn : 0;
    const k = 0.35 + 0.65 * cos;
    out[t] = (0xff000000 | (Math.round(b * k) << 16) | (Math.round(g * k) << 8) | Math.round(r * k)) >>> 0;
  }
}
