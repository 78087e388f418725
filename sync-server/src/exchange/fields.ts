// The fields of one annotated object, as the original tool's files hold them (npz keys or a release
// dict): angles in radians there, degrees on our side. Values may be 0-d arrays or plain Python values.
import { DENSE_VALUES, type Dense, OBJECT_STATUSES, type ObjectStatus } from '@in3d/shared/types';
import { deg, rad, toDegrees, toRadians } from '@in3d/shared/units';
import { f8, i8, type NdArray, numberOf, numbersOf, str, stringOf } from '../formats/ndarray';
import { type NdJson, ndFromJson, ndToJson } from '../formats/ndjson';

export const POSE_KEYS = ['azimuth', 'elevation', 'theta', 'distance', 'px', 'py'] as const;
export type PoseKey = (typeof POSE_KEYS)[number];
const ANGLES = new Set<PoseKey>(['azimuth', 'elevation', 'theta']);

export interface FileFields {
  /** Degrees, object units, pixels; only the keys present and valid. */
  pose: Partial<Record<PoseKey, number>>;
  cadIndex?: number;
  viewport?: number;
  bbox?: [number, number, number, number];
  width?: number;
  height?: number;
  className?: string;
  annotator?: string;
  objectStatus?: ObjectStatus;
  dense?: Dense;
  /** Keys present but unusable: key → why. */
  bad: Map<string, string>;
}

export function readFields(get: (key: string) => unknown): FileFields {
  const bad = new Map<string, string>();
  const f: FileFields = { pose: {}, bad };
  const number = (key: string, check: (n: number) => boolean = () => true, what = 'a finite number') => {
    const raw = get(key);
    if (raw === undefined) return undefined;
    const n = numberOf(raw);
    if (n === undefined || !check(n)) {
      bad.set(key, `expected ${what}`);
      return undefined;
    }
    return n;
  };
  for (const k of POSE_KEYS) {
    const n = k === 'distance' ? number(k, (d) => d > 0, 'a positive number') : number(k);
    if (n !== undefined) f.pose[k] = ANGLES.has(k) ? toDegrees(rad(n)) : n;
  }
  f.cadIndex = number('cad_index', (n) => Number.isInteger(n), 'an integer');
  f.viewport = number('viewport', (n) => n > 0, 'a positive number');
  f.width = number('width', (n) => Number.isInteger(n) && n > 0, 'a positive integer');
  f.height = number('height', (n) => Number.isInteger(n) && n > 0, 'a positive integer');
  const bbox = get('bbox');
  if (bbox !== undefined) {
    const b = numbersOf(bbox);
    if (b && b.length === 4 && b[2]! > b[0]! && b[3]! > b[1]!) f.bbox = b as [number, number, number, number];
    else bad.set('bbox', 'expected four numbers x1, y1, x2, y2 with x2 > x1 and y2 > y1');
  }
  const text = (key: string) => {
    const raw = get(key);
    if (raw === undefined) return undefined;
    const s = stringOf(raw);
    if (s === undefined) bad.set(key, 'expected a string');
    return s;
  };
  f.className = text('class');
  f.annotator = text('annotator');
  const status = text('object_status');
  if (status !== undefined) {
    if ((OBJECT_STATUSES as readonly string[]).includes(status)) f.objectStatus = status as ObjectStatus;
    else bad.set('object_status', `"${status}" is not one of ${OBJECT_STATUSES.join(', ')}`);
  }
  const dense = text('dense');
  if (dense !== undefined) {
    if ((DENSE_VALUES as readonly string[]).includes(dense)) f.dense = dense as Dense;
    else bad.set('dense', `"${dense}" is not one of ${DENSE_VALUES.join(', ')}`);
  }
  return f;
}

// --- what we keep in questions.source_json ----------------------------------------------------------

/** The original file's keys in order, so the exporter can write them back exactly. */
export interface SourceRecord {
  format: 'npz' | 'imagenet3d';
  /** The file, relative to the imported folder. */
  path: string;
  /** File stem the export names its output after. */
  stem: string;
  keys: [string, NdJson][];
}

/** A plain pickled value (float, int, str, bool) as the 0-d array numpy would make of it. */
export function asNdArray(v: unknown): NdArray | undefined {
  if (typeof v === 'object' && v !== null && 'descr' in v) return (v as NdArray).descr === '|O' ? undefined : (v as NdArray);
  if (typeof v === 'number') return Number.isInteger(v) ? i8(v) : f8(v);
  if (typeof v === 'bigint') return i8(v);
  if (typeof v === 'string') return str(v);
  if (typeof v === 'boolean') return { descr: '|b1', shape: [], data: [v] };
  return undefined;
}

export function sourceRecord(format: SourceRecord['format'], path: string, stem: string, entries: Iterable<[string, unknown]>): SourceRecord {
  const keys: [string, NdJson][] = [];
  for (const [k, v] of entries) {
    const a = asNdArray(v);
    if (a) keys.push([k, ndToJson(a)]);
  }
  return { format, path, stem, keys };
}

export function parseSourceRecord(json: string | null): SourceRecord | undefined {
  if (!json) return undefined;
  try {
    const s = JSON.parse(json) as Partial<SourceRecord>;
    if ((s.format !== 'npz' && s.format !== 'imagenet3d') || typeof s.stem !== 'string' || !Array.isArray(s.keys)) return undefined;
    return s as SourceRecord;
  } catch {
    return undefined;
  }
}

/** The source keys as arrays, in order; keys that fail to decode are dropped. */
export function sourceArrays(s: SourceRecord): Map<string, NdArray> {
  const out = new Map<string, NdArray>();
  for (const [k, j] of s.keys) {
    try {
      out.set(k, ndFromJson(j));
    } catch {
      // a hand-edited source_json; the exporter falls back to the database columns for this key
    }
  }
  return out;
}

/** An annotation as the original saved it: angles back in radians, float64; cad_index int64. */
export function savedKeys(a: { pose: Record<PoseKey, number>; subtype: number }): [string, NdArray][] {
  return [
    ...POSE_KEYS.map((k): [string, NdArray] => [k, f8(ANGLES.has(k) ? toRadians(deg(a.pose[k])) : a.pose[k])]),
    ['cad_index', i8(a.subtype)],
  ];
}
