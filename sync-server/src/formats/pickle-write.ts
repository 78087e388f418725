// Writes the pickle numpy stores in an object array (`descr '|O'`), the way numpy itself writes it
// (protocol 3): the array rebuilt by numpy.core.multiarray._reconstruct, each element as a plain
// Python value. Only what the release layout needs: dict (Map or plain object), list, str, float
// (JS number), int (JS bigint), bool, None, and numeric NdArrays (a 0-d one is a numpy scalar, like
// the release's np.uint16 height). The allow-listed reader in pickle.ts reads all of it back.
import { type NdArray, sizeOf } from './ndarray';

const enc = new TextEncoder();

class Out {
  private parts: number[] = [];
  op(...bytes: number[]) {
    this.parts.push(...bytes);
  }
  raw(b: Uint8Array) {
    for (const x of b) this.parts.push(x);
  }
  u32(n: number) {
    this.op(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const GLOBAL = 0x63, TUPLE1 = 0x85, TUPLE2 = 0x86, TUPLE3 = 0x87, REDUCE = 0x52, BUILD = 0x62, MARK = 0x28, TUPLE = 0x74;
const NONE = 0x4e, NEWTRUE = 0x88, NEWFALSE = 0x89, EMPTY_LIST = 0x5d, EMPTY_DICT = 0x7d, APPENDS = 0x65, SETITEMS = 0x75;

function global(o: Out, module: string, name: string) {
  o.op(GLOBAL);
  o.raw(enc.encode(`${module}\n${name}\n`));
}
function str(o: Out, s: string) {
  const b = enc.encode(s);
  o.op(0x58); // BINUNICODE
  o.u32(b.length);
  o.raw(b);
}
function binbytes(o: Out, b: Uint8Array) {
  o.op(0x42); // BINBYTES
  o.u32(b.length);
  o.raw(b);
}
function int(o: Out, v: bigint) {
  if (v >= -(2n ** 31n) && v < 2n ** 31n) {
    o.op(0x4a); // BININT
    o.u32(Number(BigInt.asUintN(32, v)));
    return;
  }
  const b: number[] = [];
  for (let x = BigInt.asUintN(64, v), k = 0; k < 8; k++, x >>= 8n) b.push(Number(x & 0xffn));
  o.op(0x8a, 8, ...b); // LONG1, 8 bytes little-endian two's complement
}
function float(o: Out, v: number) {
  if (!Number.isFinite(v)) throw new Error(`Refusing to pickle ${v}`);
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, false); // BINFLOAT is big-endian
  o.op(0x47);
  o.raw(b);
}
/** numpy.dtype(typestr, False, True) with its state; `order` '<' or '|'. */
function dtype(o: Out, typestr: string, order: string) {
  global(o, 'numpy', 'dtype');
  str(o, typestr);
  o.op(NEWFALSE, NEWTRUE, TUPLE3, REDUCE, MARK);
  int(o, 3n);
  str(o, order);
  o.op(NONE, NONE, NONE);
  int(o, -1n);
  int(o, -1n);
  int(o, typestr === 'O8' ? 63n : 0n);
  o.op(TUPLE, BUILD);
}

const NUMERIC = /^([<|])([fiub])(\d)$/;

function numericBytes(a: NdArray): { typestr: string; order: string; bytes: Uint8Array } {
  const m = NUMERIC.exec(a.descr);
  if (!m) throw new Error(`Cannot pickle an array of ${a.descr}`);
  const data = a.data as ArrayLike<number | bigint | boolean>;
  const n = Number(m[3]);
  const bytes = new Uint8Array(sizeOf(a.shape) * n);
  const v = new DataView(bytes.buffer);
  for (let k = 0; k < sizeOf(a.shape); k++) {
    const x = data[k]!;
    const at = k * n;
    switch (`${m[2]}${n}`) {
      case 'f8': v.setFloat64(at, Number(x), true); break;
      case 'f4': v.setFloat32(at, Number(x), true); break;
      case 'i8': v.setBigInt64(at, BigInt(x as number | bigint), true); break;
      case 'i4': v.setInt32(at, Number(x), true); break;
      case 'u2': v.setUint16(at, Number(x), true); break;
      case 'u1': case 'b1': v.setUint8(at, Number(x)); break;
      default: throw new Error(`Cannot pickle an array of ${a.descr}`);
    }
  }
  return { typestr: `${m[2]}${n}`, order: m[1] === '|' || n === 1 ? '|' : '<', bytes };
}

function ndarray(o: Out, a: NdArray) {
  const objects = a.descr === '|O';
  global(o, 'numpy.core.multiarray', '_reconstruct');
  global(o, 'numpy', 'ndarray');
  int(o, 0n);
  o.op(TUPLE1);
  binbytes(o, enc.encode('b'));
  o.op(TUPLE3, REDUCE, MARK);
  int(o, 1n);
  o.op(MARK);
  for (const d of a.shape) int(o, BigInt(d));
  o.op(TUPLE);
  if (objects) {
    dtype(o, 'O8', '|');
    o.op(NEWFALSE, EMPTY_LIST, MARK);
    for (const x of a.data as unknown[]) value(o, x);
    o.op(APPENDS);
  } else {
    const { typestr, order, bytes } = numericBytes(a);
    dtype(o, typestr, order);
    o.op(NEWFALSE);
    binbytes(o, bytes);
  }
  o.op(TUPLE, BUILD);
}

function value(o: Out, x: unknown): void {
  if (x === null || x === undefined) o.op(NONE);
  else if (typeof x === 'boolean') o.op(x ? NEWTRUE : NEWFALSE);
  else if (typeof x === 'bigint') int(o, x);
  else if (typeof x === 'number') float(o, x);
  else if (typeof x === 'string') str(o, x);
  else if (Array.isArray(x)) {
    o.op(EMPTY_LIST, MARK);
    for (const y of x) value(o, y);
    o.op(APPENDS);
  } else if (isNd(x)) {
    if (x.shape.length === 0 && x.descr !== '|O') {
      const { typestr, order, bytes } = numericBytes(x);
      global(o, 'numpy.core.multiarray', 'scalar');
      dtype(o, typestr, order);
      binbytes(o, bytes);
      o.op(TUPLE2, REDUCE);
    } else ndarray(o, x);
  } else if (x instanceof Map || typeof x === 'object') {
    const entries = x instanceof Map ? [...(x as Map<unknown, unknown>)] : Object.entries(x as object);
    o.op(EMPTY_DICT, MARK);
    for (const [k, v] of entries) {
      value(o, k);
      value(o, v);
    }
    o.op(SETITEMS);
  } else throw new Error(`Cannot pickle a ${typeof x}`);
}

const isNd = (x: unknown): x is NdArray =>
  typeof x === 'object' && x !== null && 'descr' in x && 'shape' in x && 'data' in x && Array.isArray((x as NdArray).shape);

/** The pickle numpy writes as the body of an object-array .npy (`np.save(allow_pickle=True)`). */
export function pickleNdArray(a: NdArray): Uint8Array {
  const o = new Out();
  o.op(0x80, 3); // PROTO 3
  ndarray(o, a);
  o.op(0x2e); // STOP
  return o.bytes();
}
