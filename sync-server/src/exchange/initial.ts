// Turns a file's fields into a question's initial values, filling what is missing with the defaults
// the original tool would have shown and reporting each gap, so one bad key never drops a question.
import type { PoseJson } from '@in3d/shared/types';
import type { ImageSize } from './image-size';
import { type FileFields, POSE_KEYS } from './fields';
import type { Reports } from './report';

/** The original tool's focal length when a file has none. */
export const DEFAULT_VIEWPORT = 3000;
const DEFAULT_DISTANCE = 5;

export interface InitialValues {
  pose: PoseJson;
  subtype: number;
  viewport: number;
  bbox: [number, number, number, number];
  width: number;
  height: number;
}

export function reportBadKeys(f: FileFields, path: string, reports: Reports): void {
  for (const [key, why] of f.bad) reports.add(path, 'bad_value', `${key}: ${why}; treated as missing`);
}

/**
 * The subtype to use: cad_index when the category has that model; otherwise 1 (or the lowest model
 * present when there is no 01), reported. `subtypes` undefined means the models are unknown (no --cad).
 */
export function resolveSubtype(cadIndex: number | undefined, subtypes: ReadonlySet<number> | undefined, path: string, reports: Reports): number {
  const fallback = subtypes && subtypes.size > 0 && !subtypes.has(1) ? Math.min(...subtypes) : 1;
  if (cadIndex === undefined) {
    reports.add(path, 'cad_index_missing', `no cad_index; subtype ${fallback} used`);
    return fallback;
  }
  if (cadIndex < 1 || (subtypes && subtypes.size > 0 && !subtypes.has(cadIndex))) {
    const have = subtypes && subtypes.size > 0 ? `models present: ${[...subtypes].sort((a, b) => a - b).join(', ')}` : 'subtypes start at 1';
    reports.add(path, 'cad_index_out_of_range', `cad_index ${cadIndex} names no CAD model (${have}); subtype ${fallback} used`);
    return fallback;
  }
  return cadIndex;
}

/** Undefined when the image size cannot be known (reported; the question cannot be shown). */
export function initialValues(
  f: FileFields,
  ctx: { path: string; photoSize: ImageSize | undefined; subtypes: ReadonlySet<number> | undefined; reports: Reports },
): InitialValues | undefined {
  const { path, reports } = ctx;
  const width = f.width ?? ctx.photoSize?.width;
  const height = f.height ?? ctx.photoSize?.height;
  if (width === undefined || height === undefined) {
    reports.add(path, 'image_size_unknown');
    return undefined;
  }
  const missing: string[] = [];
  let bbox = f.bbox;
  if (!bbox) {
    bbox = [0, 0, width, height];
    missing.push('bbox (whole image used)');
  }
  const viewport = f.viewport ?? DEFAULT_VIEWPORT;
  if (f.viewport === undefined) missing.push(`viewport (${DEFAULT_VIEWPORT} used)`);
  const defaults: PoseJson = {
    azimuth: 0,
    elevation: 0,
    theta: 0,
    distance: DEFAULT_DISTANCE,
    px: (bbox[0] + bbox[2]) / 2,
    py: (bbox[1] + bbox[3]) / 2,
  };
  const pose = { ...defaults };
  for (const k of POSE_KEYS) {
    const v = f.pose[k];
    if (v === undefined) missing.push(`${k} (${defaults[k]} used)`);
    else pose[k] = v;
  }
  if (missing.length) reports.add(path, 'missing_key', `missing ${missing.join(', ')}`);
  const subtype = resolveSubtype(f.cadIndex, ctx.subtypes, path, reports);
  return { pose, subtype, viewport, bbox, width, height };
}
