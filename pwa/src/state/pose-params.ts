// The six pose parameters as the controls see them: step sizes (the original tool's fine and coarse
// buttons), slider ranges and how out-of-range values fold back (angles wrap, elevation clamps).
import { deg, wrapDegrees } from '@in3d/shared/units';
import type { PoseJson } from '@in3d/shared/types';

export type PoseParam = keyof PoseJson;
export const POSE_PARAMS: readonly PoseParam[] = ['azimuth', 'elevation', 'theta', 'distance', 'px', 'py'];

export interface ParamSpec {
  param: PoseParam;
  unit: '°' | '' | 'px';
  fine: number;
  coarse: number;
  /** Decimals shown in the number input. */
  decimals: number;
}

export const PARAM_SPECS: Record<PoseParam, ParamSpec> = {
  azimuth: { param: 'azimuth', unit: '°', fine: 1, coarse: 30, decimals: 1 },
  elevation: { param: 'elevation', unit: '°', fine: 1, coarse: 30, decimals: 1 },
  theta: { param: 'theta', unit: '°', fine: 1, coarse: 30, decimals: 1 },
  distance: { param: 'distance', unit: '', fine: 0.2, coarse: 1, decimals: 2 },
  px: { param: 'px', unit: 'px', fine: 5, coarse: 30, decimals: 1 },
  py: { param: 'py', unit: 'px', fine: 5, coarse: 30, decimals: 1 },
};

export const MIN_DISTANCE = 0.1;

/** Slider range; centre ranges follow the photo and stretch to include a centre outside it. */
export function paramRange(param: PoseParam, photo: { width: number; height: number }, value: number): [number, number] {
  switch (param) {
    case 'azimuth':
      return [0, 360];
    case 'elevation':
      return [-90, 90];
    case 'theta':
      return [-180, 180];
    case 'distance':
      return [MIN_DISTANCE, Math.max(40, Math.ceil(value))];
    case 'px':
      return [Math.min(0, Math.floor(value)), Math.max(photo.width, Math.ceil(value))];
    case 'py':
      return [Math.min(0, Math.floor(value)), Math.max(photo.height, Math.ceil(value))];
  }
}

/** Folds a value into the parameter's domain: azimuth [0, 360), theta [-180, 180), elevation [-90, 90]. */
export function normalizeParam(param: PoseParam, value: number): number {
  if (!Number.isFinite(value)) return NaN;
  switch (param) {
    case 'azimuth': {
      const w = ((value % 360) + 360) % 360;
      return w === 360 ? 0 : w;
    }
    case 'theta':
      return wrapDegrees(deg(value));
    case 'elevation':
      return Math.max(-90, Math.min(90, value));
    case 'distance':
      return Math.max(MIN_DISTANCE, value);
    default:
      return value;
  }
}

/**
 * What a typed number may be: the slider's range and, for the wrapping angles, one turn either way
 * (-30 for 330, 370 for 10); a centre up to ten photo sizes off it. Beyond that a value is a typo, and
 * 1e30 folded into 0…360 is noise (floats lose the degrees), so it is refused with the range, not folded.
 */
export function typedRange(param: PoseParam, photo: { width: number; height: number }): [number, number] {
  switch (param) {
    case 'azimuth':
      return [-360, 720];
    case 'theta':
      return [-540, 540];
    case 'elevation':
      return [-90, 90];
    case 'distance':
      return [MIN_DISTANCE, 10_000];
    case 'px':
      return [-10 * photo.width, 11 * photo.width];
    case 'py':
      return [-10 * photo.height, 11 * photo.height];
  }
}

export type TypedValue = { ok: true; value: number } | { ok: false; reason: 'notNumber' | 'range' };

/** Reads a number field's text: a finite number within `typedRange`, or why not (Infinity is out of range). */
export function readTyped(param: PoseParam, text: string, photo: { width: number; height: number }): TypedValue {
  const v = text.trim() === '' ? NaN : Number(text);
  if (Number.isNaN(v)) return { ok: false, reason: 'notNumber' };
  const [min, max] = typedRange(param, photo);
  return v >= min && v <= max ? { ok: true, value: v } : { ok: false, reason: 'range' };
}

/** Rounds away floating-point noise from repeated steps (0.2 + 0.2 + 0.2 …). */
const tidy = (x: number) => Math.round(x * 1e6) / 1e6;

export function setParam(pose: PoseJson, param: PoseParam, value: number): PoseJson {
  const v = normalizeParam(param, value);
  if (Number.isNaN(v)) return pose;
  return { ...pose, [param]: tidy(v) };
}

export function stepParam(pose: PoseJson, param: PoseParam, direction: 1 | -1, coarse: boolean): PoseJson {
  const spec = PARAM_SPECS[param];
  return setParam(pose, param, pose[param] + direction * (coarse ? spec.coarse : spec.fine));
}

export function formatParam(param: PoseParam, value: number): string {
  return value.toFixed(PARAM_SPECS[param].decimals);
}
