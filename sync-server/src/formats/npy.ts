// The .npy format (numpy.lib.format), read and written without numpy. Reading accepts versions 1–3,
// either byte order and fortran_order; writing produces exactly the bytes numpy 1.x/2.x writes for the
// same array (version 1, header padded to 64 bytes with the 21-digit growth space), so an exported npz
// is indistinguishable from one the original tool saved.
import { type Descr, type NdArray, type NdData, sizeOf } from './ndarray';
import { unpickle } from './pickle';
import { pickleNdArray } from './pickle-write';

export class NpyError extends Error {
  constructor(message: string, readonly code: 'format' | 'dtype' | 'object_array' = 'format') {
    super(message);
    this.name = 'NpyError';
  }
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ARRAY_ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;

export interface NpyHeader {
  descr: Descr;
  fortranOrder: boolean;
  shape: number[];
  /** Where the array data starts. */
  dataOffset: number;
  version: number;
}

export interface ReadNpyOptions {
  /**
   * Object arrays are pickles. 'refuse' (the default) throws like numpy's allow_pickle=False;
   * 'safe-unpickle' runs them through our allow-listed unpickler.
   */
  objects?: 'refuse' | 'safe-unpickle';
}

// --- header: a Python dict literal --------------------------------------------------------------

type PyLit = string | number | boolean | null | PyLit[] | { [k: string]: PyLit };

/** Parses the subset of Python literals numpy writes in headers: dicts, tuples, lists, str, int, bools. */
function parseLiteral(text: string): PyLit {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new NpyError(`Bad .npy header at character ${i}: ${what} in ${JSON.stringify(text.slice(0, 120))}`);
  };
  const value = (): PyLit => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: { [k: string]: PyLit } = {};
      for (;;) {
        ws();
        if (text[i] === '}') { i++; return out; }
        const k = value();
        if (typeof k !== 'string') fail('dict key is not a string');
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        out[k as string] = value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') fail("expected ',' or '}'");
      }
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const out: PyLit[] = [];
      for (;;) {
        ws();
        if (text[i] === close) { i++; return out; }
        out.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== close) fail(`expected ',' or '${close}'`);
      }
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) fail('unterminated string');
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    const m = /^(True|False|None|-?\d+L?)/.exec(text.slice(i));
    if (!m) return fail('unexpected token');
    i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number.parseInt(m[0], 10);
  };
  const v = value();
  return v;
}

export function readNpyHeader(bytes: Uint8Array): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, k) => bytes[k] !== b)) throw new NpyError('Not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number, start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyError('Truncated .npy header');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw new NpyError(`Unsupported .npy format version ${major}.${bytes[7]}`);
  }
  if (start + headerLen > bytes.length) throw new NpyError(`Truncated .npy header (needs ${headerLen} bytes)`);
  const raw = bytes.subarray(start, start + headerLen);
  const text = major === 3 ? new TextDecoder('utf-8').decode(raw) : new TextDecoder('latin1').decode(raw);
  const dict = parseLiteral(text);
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) throw new NpyError('The .npy header is not a dict');
  const { descr, fortran_order: fortranOrder, shape } = dict;
  if (typeof descr !== 'string') {
    throw new NpyError(`Structured dtypes are not supported (descr ${JSON.stringify(descr)})`, 'dtype');
  }
  if (typeof fortranOrder !== 'boolean') throw new NpyError("The .npy header lacks a boolean 'fortran_order'");
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new NpyError("The .npy header lacks a valid 'shape' tuple");
  }
  return { descr, fortranOrder, shape: shape as number[], dataOffset: start + headerLen, version: major };
}

// --- dtypes ---------------------------------------------------------------------------------------

interface DtypeInfo {
  /** S: fixed-width bytes (Python 2 `str`), kept as latin-1 strings so every byte survives. */
  kind: 'f' | 'i' | 'u' | 'b' | 'U' | 'S' | 'O';
  itemsize: number;
  littleEndian: boolean;
  /** The descr we report: little-endian or order-free, since data is native once read. */
  normalized: Descr;
}

export function parseDescr(descr: Descr): DtypeInfo {
  const m = /^([<>|=]?)([fiubUSO?])(\d*)$/.exec(descr);
  if (!m) throw new NpyError(`Unsupported dtype ${JSON.stringify(descr)}`, 'dtype');
  const order = m[1]!;
  let kind = m[2]! as DtypeInfo['kind'] | '?';
  let size = m[3] ? Number(m[3]) : NaN;
  if (kind === '?') { kind = 'b'; size = 1; }
  if (kind === 'O') return { kind, itemsize: 8, littleEndian: true, normalized: '|O' };
  if (kind === 'b' && Number.isNaN(size)) size = 1;
  const ok =
    (kind === 'f' && (size === 4 || size === 8)) ||
    ((kind === 'i' || kind === 'u') && [1, 2, 4, 8].includes(size)) ||
    (kind === 'b' && size === 1) ||
    ((kind === 'U' || kind === 'S') && size >= 0);
  if (!ok) throw new NpyError(`Unsupported dtype ${JSON.stringify(descr)}`, 'dtype');
  const littleEndian = order !== '>';
  const itemsize = kind === 'U' ? size * 4 : size;
  const single = itemsize === 1 || kind === 'b' || kind === 'S';
  const normalized = `${single ? '|' : '<'}${kind}${size}`;
  return { kind, itemsize, littleEndian, normalized };
}

/** Decodes `count` elements of a dtype from raw bytes (any alignment, either byte order). */
export function decodeElements(raw: Uint8Array, descr: Descr, count: number): { descr: Descr; data: NdData } {
  const t = parseDescr(descr);
  if (t.kind === 'O') throw new NpyError('Object arrays hold pickles; refusing to read them as raw data', 'object_array');
  if (raw.length < count * t.itemsize) {
    throw new NpyError(`Array data is truncated: ${count} × ${t.itemsize} bytes needed, ${raw.length} present`);
  }
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const le = t.littleEndian, n = t.itemsize;
  const fill = <A extends { [i: number]: number | bigint }>(a: A, get: (o: number) => number | bigint): A => {
    for (let k = 0; k < count; k++) a[k] = get(k * n);
    return a;
  };
  let data: NdData;
  if (t.kind === 'S') {
    const latin = new TextDecoder('latin1');
    return { descr: t.normalized, data: Array.from({ length: count }, (_, k) => latin.decode(raw.subarray(k * n, k * n + n)).replace(/\0+$/, '')) };
  }
  switch (`${t.kind}${n}`) {
    case 'f8': data = fill(new Float64Array(count), (o) => v.getFloat64(o, le)); break;
    case 'f4': data = fill(new Float32Array(count), (o) => v.getFloat32(o, le)); break;
    case 'i8': data = fill(new BigInt64Array(count), (o) => v.getBigInt64(o, le)); break;
    case 'u8': data = fill(new BigUint64Array(count), (o) => v.getBigUint64(o, le)); break;
    case 'i4': data = fill(new Int32Array(count), (o) => v.getInt32(o, le)); break;
    case 'u4': data = fill(new Uint32Array(count), (o) => v.getUint32(o, le)); break;
    case 'i2': data = fill(new Int16Array(count), (o) => v.getInt16(o, le)); break;
    case 'u2': data = fill(new Uint16Array(count), (o) => v.getUint16(o, le)); break;
    case 'i1': data = fill(new Int8Array(count), (o) => v.getInt8(o)); break;
    case 'u1': data = raw.slice(0, count); break;
    case 'b1': data = Array.from(raw.subarray(0, count), (b) => b !== 0); break;
    default: {
      // Unicode: UTF-32 code points, NUL-padded to the fixed width (numpy strips trailing NULs).
      const chars = n / 4, out: string[] = [];
      for (let k = 0; k < count; k++) {
        let s = '';
        for (let c = 0; c < chars; c++) {
          const cp = v.getUint32(k * n + c * 4, le);
          if (cp > 0x10ffff) throw new NpyError(`Invalid code point ${cp} in a unicode array`);
          s += String.fromCodePoint(cp);
        }
        out.push(s.replace(/\0+$/, ''));
      }
      data = out;
    }
  }
  return { descr: t.normalized, data };
}

/** Reorders a column-major flat array into row-major. */
function fortranToC<T>(src: ArrayLike<T>, shape: number[], make: (n: number) => { [i: number]: T }) {
  const n = sizeOf(shape), out = make(n), nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  for (let c = 0; c < n; c++) {
    let f = 0, stride = 1;
    for (let d = 0; d < nd; d++) { f += idx[d]! * stride; stride *= shape[d]!; }
    out[c] = src[f]!;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

function toCOrder(data: NdData, shape: number[]): NdData {
  if (shape.filter((d) => d > 1).length <= 1) return data;
  if (Array.isArray(data)) return fortranToC(data as unknown[], shape, (n) => new Array(n)) as NdData;
  const Ctor = data.constructor as new (n: number) => typeof data;
  return fortranToC(data as ArrayLike<number | bigint>, shape, (n) => new Ctor(n) as never) as NdData;
}

export function readNpy(bytes: Uint8Array, options: ReadNpyOptions = {}): NdArray {
  const h = readNpyHeader(bytes);
  const count = sizeOf(h.shape);
  const body = bytes.subarray(h.dataOffset);
  if (parseDescr(h.descr).kind === 'O') {
    if (options.objects !== 'safe-unpickle') {
      throw new NpyError(`This array has dtype object (a pickle, descr ${h.descr}); refusing to load pickled data`, 'object_array');
    }
    const value = unpickle(body);
    const items = Array.isArray(value) ? value : isObjectArray(value) ? value.data : undefined;
    if (!items) throw new NpyError('The pickled payload of an object array is not an array');
    if (items.length !== count) throw new NpyError(`Object array of shape ${pyShape(h.shape)} unpickled to ${items.length} items`);
    return { descr: '|O', shape: h.shape, data: items };
  }
  const { descr, data } = decodeElements(body, h.descr, count);
  return { descr, shape: h.shape, data: h.fortranOrder ? toCOrder(data, h.shape) : data };
}

const isObjectArray = (x: unknown): x is NdArray =>
  typeof x === 'object' && x !== null && (x as NdArray).descr === '|O' && Array.isArray((x as NdArray).data);

// --- writing --------------------------------------------------------------------------------------

function pyShape(shape: readonly number[]): string {
  if (shape.length === 0) return '()';
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** The header bytes numpy writes for a C-order array (version 1; version 2 only for huge headers). */
export function npyHeaderBytes(descr: Descr, shape: readonly number[]): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${pyShape(shape)}, }`;
  if (shape.length > 0) header += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const hlen = header.length + 1;
  let prefix = 10;
  let padlen = ARRAY_ALIGN - ((prefix + hlen) % ARRAY_ALIGN);
  if (hlen + padlen > 0xffff) {
    prefix = 12;
    padlen = ARRAY_ALIGN - ((prefix + hlen) % ARRAY_ALIGN);
  }
  const out = new Uint8Array(prefix + hlen + padlen);
  out.set(MAGIC, 0);
  out[6] = prefix === 10 ? 1 : 2;
  out[7] = 0;
  const v = new DataView(out.buffer);
  if (prefix === 10) v.setUint16(8, hlen + padlen, true);
  else v.setUint32(8, hlen + padlen, true);
  for (let k = 0; k < header.length; k++) out[prefix + k] = header.charCodeAt(k);
  out.fill(0x20, prefix + header.length, out.length - 1);
  out[out.length - 1] = 0x0a;
  return out;
}

/** Encodes the elements as little-endian bytes of the array's dtype. */
function encodeElements(a: NdArray): Uint8Array {
  const t = parseDescr(a.descr);
  if (t.kind === 'O') return pickleNdArray(a); // numpy's own object-array body: the array's pickle
  const count = sizeOf(a.shape);
  if (a.data.length !== count) throw new NpyError(`Shape ${pyShape(a.shape)} needs ${count} elements, data has ${a.data.length}`);
  const out = new Uint8Array(count * t.itemsize);
  const v = new DataView(out.buffer);
  const n = t.itemsize;
  const d = a.data as ArrayLike<unknown>;
  const num = (k: number) => Number(d[k]);
  const big = (k: number) => (typeof d[k] === 'bigint' ? (d[k] as bigint) : BigInt(Math.trunc(Number(d[k]))));
  for (let k = 0; k < count; k++) {
    const o = k * n;
    if (t.kind === 'S') {
      const s = String(d[k]);
      if (s.length > n || /[^\x00-\xff]/.test(s)) throw new NpyError(`"${s}" does not fit ${a.descr} (latin-1 bytes)`);
      for (let c = 0; c < s.length; c++) out[o + c] = s.charCodeAt(c);
      continue;
    }
    switch (`${t.kind}${n}`) {
      case 'f8': v.setFloat64(o, num(k), true); break;
      case 'f4': v.setFloat32(o, num(k), true); break;
      case 'i8': v.setBigInt64(o, big(k), true); break;
      case 'u8': v.setBigUint64(o, big(k), true); break;
      case 'i4': v.setInt32(o, num(k), true); break;
      case 'u4': v.setUint32(o, num(k), true); break;
      case 'i2': v.setInt16(o, num(k), true); break;
      case 'u2': v.setUint16(o, num(k), true); break;
      case 'i1': v.setInt8(o, num(k)); break;
      case 'u1': v.setUint8(o, num(k)); break;
      case 'b1': v.setUint8(o, d[k] ? 1 : 0); break;
      default: {
        const cps = [...String(d[k])].map((ch) => ch.codePointAt(0)!);
        if (cps.length > n / 4) throw new NpyError(`String of ${cps.length} characters does not fit ${a.descr}`);
        cps.forEach((cp, c) => v.setUint32(o + c * 4, cp, true));
      }
    }
  }
  return out;
}

export function writeNpy(a: NdArray): Uint8Array {
  const { normalized } = parseDescr(a.descr);
  const header = npyHeaderBytes(normalized, a.shape);
  const body = encodeElements(a);
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}
