// NdArray ↔ JSON without loss, so an imported file's keys can sit in questions.source_json and be
// written back byte-for-byte by the npz exporter. Doubles survive JSON exactly (shortest round-trip
// repr); int64 beyond 2^53, NaN and ±Infinity are kept as strings.
import { type NdArray, type NdData, sizeOf } from './ndarray';
import { parseDescr } from './npy';

export interface NdJson {
  descr: string;
  shape: number[];
  data: (number | string | boolean)[];
}

function encode(v: unknown): number | string | boolean {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  throw new TypeError(`Cannot keep a ${typeof v} in JSON`);
}

export function ndToJson(a: NdArray): NdJson {
  if (a.descr === '|O') throw new TypeError('Object arrays are not kept');
  return { descr: a.descr, shape: [...a.shape], data: Array.from(a.data as ArrayLike<unknown>, encode) };
}

const num = (v: unknown) => (typeof v === 'string' ? Number(v) : Number(v)); // 'NaN', 'Infinity' parse too
const big = (v: unknown) => BigInt(typeof v === 'number' ? Math.trunc(v) : String(v));

/** @throws TypeError on JSON that is not an NdJson of a supported dtype. */
export function ndFromJson(j: unknown): NdArray {
  const o = j as Partial<NdJson> | null;
  if (!o || typeof o.descr !== 'string' || !Array.isArray(o.shape) || !Array.isArray(o.data)) throw new TypeError('Not an NdJson value');
  const t = parseDescr(o.descr);
  const shape = o.shape.map(Number);
  if (o.data.length !== sizeOf(shape)) throw new TypeError(`NdJson data has ${o.data.length} items for shape [${shape}]`);
  const d = o.data;
  let data: NdData;
  switch (`${t.kind}${t.kind === 'U' || t.kind === 'S' ? '' : t.itemsize}`) {
    case 'f8': data = Float64Array.from(d, num); break;
    case 'f4': data = Float32Array.from(d, num); break;
    case 'i8': data = BigInt64Array.from(d, big); break;
    case 'u8': data = BigUint64Array.from(d, big); break;
    case 'i4': data = Int32Array.from(d, num); break;
    case 'u4': data = Uint32Array.from(d, num); break;
    case 'i2': data = Int16Array.from(d, num); break;
    case 'u2': data = Uint16Array.from(d, num); break;
    case 'i1': data = Int8Array.from(d, num); break;
    case 'u1': data = Uint8Array.from(d, num); break;
    case 'b1': data = d.map(Boolean); break;
    case 'U': case 'S': data = d.map(String); break;
    default: throw new TypeError(`Unsupported descr ${o.descr}`);
  }
  return { descr: t.normalized, shape, data };
}
