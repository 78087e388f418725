// The ImageNet3D camera model, reproduced from the original annotation tool.
//
// A pose is a viewpoint on a sphere around the object: the camera sits at `distance` from the origin,
// at `azimuth` around the object's z axis and `elevation` above its xy plane, looks at the origin, and
// is rolled by `theta` in the image plane. The origin projects to the principal point (px, py) and
// `viewport` is the focal length in pixels. Camera space follows OpenGL: x right, y up, looking down -z;
// image y points down, hence the final flip.
import { type Degrees, type Pixels, type ObjectUnits, type Radians, toRadians, deg } from './units';

export interface Pose {
  azimuth: Degrees;
  elevation: Degrees;
  theta: Degrees;
  distance: ObjectUnits;
  px: Pixels;
  py: Pixels;
}

/** What callers may pass: plain numbers in the units of `Pose` (branded values are numbers too). */
export type PoseInput = { readonly [K in keyof Pose]: number };

/** 3x3 row-major rotation. */
export type Mat3 = Float64Array & { readonly length: 9 };

export const POSE_KEYS = ['azimuth', 'elevation', 'theta', 'distance', 'px', 'py'] as const;

export function asPose(p: PoseInput): Pose {
  return p as Pose;
}

/** Camera centre in object space. */
export function cameraCentre(azimuth: Radians, elevation: Radians, distance: number): [number, number, number] {
  const ce = Math.cos(elevation);
  return [distance * ce * Math.sin(azimuth), -distance * ce * Math.cos(azimuth), distance * Math.sin(elevation)];
}

/**
 * World-to-camera rotation without the in-plane roll, as the original: R = Rx(-(π/2 - el)) · Rz(-az).
 */
export function viewRotation(azimuth: Radians, elevation: Radians): Mat3 {
  const a = -azimuth;
  const e = -(Math.PI / 2 - elevation);
  const ca = Math.cos(a), sa = Math.sin(a), ce = Math.cos(e), se = Math.sin(e);
  // Rx · Rz multiplied out.
  return Float64Array.of(ca, -sa, 0, ce * sa, ce * ca, -se, se * sa, se * ca, ce) as Mat3;
}

/** Full rotation from object to camera frame, including the in-plane roll theta. */
export function poseRotation(pose: PoseInput): Mat3 {
  const r = viewRotation(toRadians(deg(pose.azimuth)), toRadians(deg(pose.elevation)));
  const t = toRadians(deg(pose.theta));
  const c = Math.cos(t), s = Math.sin(t);
  const out = new Float64Array(9) as Mat3;
  for (let j = 0; j < 3; j++) {
    out[j] = c * r[j]! - s * r[3 + j]!;
    out[3 + j] = s * r[j]! + c * r[3 + j]!;
    out[6 + j] = r[6 + j]!;
  }
  return out;
}

/**
 * Projects object-space points (xyz triples) to image pixels (xy pairs, x right, y down).
 * Points at or behind the camera plane come out as NaN.
 */
export function projectPoints(points3d: ArrayLike<number>, pose: PoseInput, viewport: number): Float64Array {
  const n = Math.floor(points3d.length / 3);
  const out = new Float64Array(n * 2);
  projectInto(points3d, pose, viewport, out);
  return out;
}

/** Same as `projectPoints` but writes into `out` (length ≥ 2n); the hot path of every frame. */
export function projectInto(points3d: ArrayLike<number>, pose: PoseInput, viewport: number, out: Float64Array | Float32Array): void {
  const az = toRadians(deg(pose.azimuth));
  const el = toRadians(deg(pose.elevation));
  const r = viewRotation(az, el);
  const [cx, cy, cz] = cameraCentre(az, el, pose.distance);
  const t = toRadians(deg(pose.theta));
  const ct = Math.cos(t), st = Math.sin(t);
  const ppx = pose.px, ppy = pose.py;
  const n = Math.floor(points3d.length / 3);
  const r0 = r[0]!, r1 = r[1]!, r2 = r[2]!, r3 = r[3]!, r4 = r[4]!, r5 = r[5]!, r6 = r[6]!, r7 = r[7]!, r8 = r[8]!;
  for (let i = 0; i < n; i++) {
    const x = points3d[3 * i]! - cx, y = points3d[3 * i + 1]! - cy, z = points3d[3 * i + 2]! - cz;
    const qx = r0 * x + r1 * y + r2 * z;
    const qy = r3 * x + r4 * y + r5 * z;
    const w = -(r6 * x + r7 * y + r8 * z);
    if (!(w > 0)) {
      out[2 * i] = NaN;
      out[2 * i + 1] = NaN;
      continue;
    }
    const u = (viewport * qx) / w, v = (viewport * qy) / w;
    out[2 * i] = ct * u - st * v + ppx;
    out[2 * i + 1] = -(st * u + ct * v) + ppy;
  }
}

/**
 * View matrix (object → camera, OpenGL convention), column-major 4x4 for WebGL / three.js:
 * the roll theta is folded in, so the renderer needs no extra rotation.
 */
export function viewMatrix(pose: PoseInput): Float64Array {
  const r = poseRotation(pose);
  const [cx, cy, cz] = cameraCentre(toRadians(deg(pose.azimuth)), toRadians(deg(pose.elevation)), pose.distance);
  const m = new Float64Array(16);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) m[j * 4 + i] = r[i * 3 + j]!;
    m[12 + i] = -(r[i * 3]! * cx + r[i * 3 + 1]! * cy + r[i * 3 + 2]! * cz);
  }
  m[15] = 1;
  return m;
}

/**
 * Off-centre perspective projection, column-major 4x4, that puts camera-space points on the same
 * pixels as `projectPoints` for an image of `width` x `height` pixels (NDC y up, image y down).
 */
export function projectionMatrix(viewport: number, ppx: number, ppy: number, width: number, height: number, near: number, far: number): Float64Array {
  const m = new Float64Array(16);
  m[0] = (2 * viewport) / width;
  m[5] = (2 * viewport) / height;
  m[8] = 1 - (2 * ppx) / width;
  m[9] = (2 * ppy) / height - 1;
  m[10] = -(far + near) / (far - near);
  m[11] = -1;
  m[14] = (-2 * far * near) / (far - near);
  return m;
}

/** Geodesic distance between two rotations in degrees: ‖logm(R1ᵀR2)‖_F / √2, the ImageNet3D metric. */
export function rotationErrorDegrees(a: PoseInput, b: PoseInput): Degrees {
  const r1 = poseRotation(a), r2 = poseRotation(b);
  // M = R1ᵀ R2; atan2(sin, cos) keeps precision near 0° and 180° where acos alone does not.
  const m = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) m[i * 3 + j] = r1[i]! * r2[j]! + r1[3 + i]! * r2[3 + j]! + r1[6 + i]! * r2[6 + j]!;
  const cos = (m[0]! + m[4]! + m[8]! - 1) / 2;
  const sin = 0.5 * Math.hypot(m[7]! - m[5]!, m[2]! - m[6]!, m[3]! - m[1]!);
  return ((Math.atan2(sin, cos) * 180) / Math.PI) as Degrees;
}
