// A minimal, safe unpickler for ImageNet3D release files. Python's pickle runs arbitrary callables
// named in the stream, so this one knows a fixed list of globals (numpy array/scalar/dtype rebuilding,
// sets, OrderedDict, latin-1 bytes) and refuses every other name before touching it. Objects come back
// as plain JS: dict → Map, list/tuple → array, str → string, bytes → Uint8Array, numpy array or
// scalar → NdArray (scalars with shape []), int → number (bigint beyond 2^53), None → null.
// Python 2 `str` (STRING opcodes) decodes as latin-1, like numpy.load(encoding='latin1').
import { type NdArray, type NdData, sizeOf } from './ndarray';
import { decodeElements, parseDescr } from './npy';

export class PickleError extends Error {
  constructor(message: string, readonly code: 'format' | 'refused' | 'unsupported' = 'format') {
    super(message);
    this.name = 'PickleError';
  }
}

// --- the objects numpy's reduce protocol builds ---------------------------------------------------

const SETSTATE = Symbol('setstate');

interface Stateful {
  [SETSTATE](state: unknown): void;
}
const isStateful = (x: unknown): x is Stateful => typeof x === 'object' && x !== null && SETSTATE in x;

/** A numpy.dtype under construction: `dtype('f8', False, True)` then BUILD with the byte order. */
class PyDtype implements Stateful {
  byteorder = '=';
  structured = false;
  constructor(readonly typestr: string) {}
  [SETSTATE](state: unknown) {
    if (!Array.isArray(state) || state.length < 8) throw new PickleError('Bad numpy.dtype state');
    this.byteorder = typeof state[1] === 'string' ? state[1] : '=';
    this.structured = state[3] != null || state[2] != null;
  }
  get descr(): string {
    if (this.structured) throw new PickleError('Structured or sub-array dtypes are not supported', 'unsupported');
    const m = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(this.typestr);
    if (!m) throw new PickleError(`Unsupported dtype ${JSON.stringify(this.typestr)}`, 'unsupported');
    if (m[2] === 'O') return '|O';
    const order = m[1] || (this.byteorder === '=' ? '<' : this.byteorder);
    return `${order}${m[2]}${m[3]}`;
  }
}

/** `_reconstruct(ndarray, (0,), b'b')` makes an empty array; BUILD gives it shape, dtype and data. */
class PickledArray implements NdArray, Stateful {
  descr = '|u1';
  shape: number[] = [0];
  data: NdData = new Uint8Array(0);
  [SETSTATE](state: unknown) {
    if (!Array.isArray(state)) throw new PickleError('Bad ndarray state');
    // (version, shape, dtype, is_fortran, data), or the old 4-tuple without the version.
    const [shape, dtype, fortran, raw] = state.length === 5 ? state.slice(1) : state;
    if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number')) throw new PickleError('Bad ndarray shape');
    if (!(dtype instanceof PyDtype)) throw new PickleError('ndarray state lacks a numpy.dtype');
    Object.assign(this, makeArray(dtype, shape as number[], raw, fortran === true));
  }
}

function bytesOf(x: unknown, what: string): Uint8Array {
  if (x instanceof Uint8Array) return x;
  if (typeof x === 'string') return Uint8Array.from(x, (c) => c.charCodeAt(0) & 0xff); // py2 str, latin-1
  throw new PickleError(`${what}: expected bytes`);
}

function makeArray(dtype: PyDtype, shape: number[], raw: unknown, fortran: boolean): NdArray {
  const count = sizeOf(shape);
  const descr = dtype.descr;
  if (descr === '|O') {
    if (!Array.isArray(raw) || raw.length !== count) throw new PickleError('Object array state is not a list of its items');
    return { descr, shape, data: fortran ? reorder(raw, shape) : [...raw] };
  }
  const d = decodeElements(bytesOf(raw, 'ndarray data'), descr, count);
  const data = fortran ? (reorder(Array.from(d.data as ArrayLike<unknown>), shape) as NdData) : d.data;
  const typed = fortran && !Array.isArray(d.data) ? new (d.data.constructor as new (a: unknown[]) => NdData)(data as unknown[]) : data;
  return { descr: d.descr, shape, data: typed };
}

/** Column-major items to row-major. */
function reorder(items: unknown[], shape: number[]): unknown[] {
  const out = new Array<unknown>(items.length), nd = shape.length, idx = new Array<number>(nd).fill(0);
  for (let c = 0; c < items.length; c++) {
    let f = 0, stride = 1;
    for (let d = 0; d < nd; d++) { f += idx[d]! * stride; stride *= shape[d]!; }
    out[c] = items[f];
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

// --- the allow-list --------------------------------------------------------------------------------

type Callable = (args: unknown[]) => unknown;

class PyGlobal {
  constructor(readonly module: string, readonly name: string, readonly call?: Callable) {}
}

const reconstruct: Callable = ([cls]) => {
  if (!(cls instanceof PyGlobal) || cls.name !== 'ndarray') throw new PickleError('_reconstruct of something other than numpy.ndarray', 'refused');
  return new PickledArray();
};
const scalar: Callable = ([dtype, raw]) => {
  if (!(dtype instanceof PyDtype)) throw new PickleError('numpy scalar without a dtype');
  if (dtype.descr === '|O') return raw;
  return makeArray(dtype, [], raw, false);
};
const frombuffer: Callable = ([buf, dtype, shape, order]) => {
  if (!(dtype instanceof PyDtype) || !Array.isArray(shape)) throw new PickleError('Bad _frombuffer arguments');
  return makeArray(dtype, shape as number[], buf, order === 'F');
};
const makeDtype: Callable = ([typestr]) => {
  if (typeof typestr !== 'string') throw new PickleError('numpy.dtype needs a type string');
  return new PyDtype(typestr);
};
const makeSet: Callable = ([items]) => new Set(items == null ? [] : (items as unknown[]));
const latin1: Callable = ([s, enc]) => {
  if (typeof s !== 'string' || (enc !== 'latin1' && enc !== 'latin-1')) throw new PickleError('_codecs.encode other than latin1', 'refused');
  return bytesOf(s, '_codecs.encode');
};

const ALLOWED: Record<string, Callable | null> = {
  'numpy.core.multiarray._reconstruct': reconstruct,
  'numpy._core.multiarray._reconstruct': reconstruct,
  'numpy.core.multiarray.scalar': scalar,
  'numpy._core.multiarray.scalar': scalar,
  'numpy.core.numeric._frombuffer': frombuffer,
  'numpy._core.numeric._frombuffer': frombuffer,
  'numpy.dtype': makeDtype,
  'numpy.ndarray': null, // only as the class argument of _reconstruct
  'builtins.set': makeSet,
  'builtins.frozenset': makeSet,
  '__builtin__.set': makeSet,
  '__builtin__.frozenset': makeSet,
  'builtins.bytearray': ([x]) => (x == null ? new Uint8Array(0) : bytesOf(x, 'bytearray')),
  'collections.OrderedDict': () => new Map(),
  '_codecs.encode': latin1,
};

function findGlobal(module: string, name: string): PyGlobal {
  const key = `${module}.${name}`;
  if (!(key in ALLOWED)) throw new PickleError(`Refusing to load the global ${key}: not on the allow-list`, 'refused');
  return new PyGlobal(module, name, ALLOWED[key] ?? undefined);
}

// --- the machine -----------------------------------------------------------------------------------

function toNumber(b: bigint): number | bigint {
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** Little-endian two's complement (LONG1/LONG4). */
function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let k = bytes.length - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[k]!);
  if (bytes[bytes.length - 1]! & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return toNumber(v);
}

/** Python 2 `repr(str)` as protocol 0 writes it: quoted, with backslash escapes. */
function unquote(text: string): string {
  const q = text[0];
  if ((q !== "'" && q !== '"') || text[text.length - 1] !== q) throw new PickleError('STRING argument is not quoted');
  return text.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x' || e[0] === 'u') return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
    return ({ n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[e] ?? `\\${e}`;
  });
}

export function unpickle(bytes: Uint8Array): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const latin = new TextDecoder('latin1');
  let pos = 0;
  let stack: unknown[] = [];
  const marks: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const need = (n: number) => {
    if (n < 0 || pos + n > bytes.length) throw new PickleError(`Truncated pickle at byte ${pos} (needs ${n} more)`);
  };
  const u8 = () => { need(1); return bytes[pos++]!; };
  const u16 = () => { need(2); const v = view.getUint16(pos, true); pos += 2; return v; };
  const i32 = () => { need(4); const v = view.getInt32(pos, true); pos += 4; return v; };
  const u32 = () => { need(4); const v = view.getUint32(pos, true); pos += 4; return v; };
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(bytes.length)) throw new PickleError(`Length ${v} exceeds the pickle`);
    return Number(v);
  };
  const take = (n: number) => { need(n); const b = bytes.subarray(pos, pos + n); pos += n; return b; };
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw new PickleError('Unterminated text argument');
    const s = latin.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = () => {
    if (stack.length === 0) throw new PickleError(`Stack underflow at byte ${pos - 1}`);
    return stack.pop();
  };
  const top = () => {
    if (stack.length === 0) throw new PickleError(`Stack underflow at byte ${pos - 1}`);
    return stack[stack.length - 1];
  };
  const popMark = () => {
    const items = stack;
    const prev = marks.pop();
    if (!prev) throw new PickleError('MARK expected');
    stack = prev;
    return items;
  };
  const str = (b: Uint8Array) => {
    try {
      return utf8.decode(b);
    } catch {
      throw new PickleError('Invalid UTF-8 in a str');
    }
  };
  const setItems = (d: unknown, items: unknown[]) => {
    if (!(d instanceof Map)) throw new PickleError('SETITEM(S) on something other than a dict');
    for (let k = 0; k + 1 < items.length; k += 2) d.set(hashable(items[k]), items[k + 1]);
  };
  const appendItems = (l: unknown, items: unknown[]) => {
    if (!Array.isArray(l)) throw new PickleError('APPEND(S) on something other than a list');
    l.push(...items);
  };
  const get = (i: number) => {
    if (!memo.has(i)) throw new PickleError(`Memo key ${i} is not defined`);
    return memo.get(i);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: { const p = u8(); if (p > 5) throw new PickleError(`Pickle protocol ${p} is not supported`, 'unsupported'); break; } // PROTO
      case 0x95: u64(); break; // FRAME: framing is a hint only
      case 0x2e: { // STOP
        const v = pop();
        return v;
      }
      case 0x28: marks.push(stack); stack = []; break; // MARK
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x49: { // INT (text)
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : toNumber(BigInt(s)));
        break;
      }
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x4c: stack.push(toNumber(BigInt(line().replace(/L$/, '')))); break; // LONG (text)
      case 0x8a: stack.push(decodeLong(take(u8()))); break; // LONG1
      case 0x8b: { const n = i32(); stack.push(decodeLong(take(n))); break; } // LONG4
      case 0x46: stack.push(Number.parseFloat(line())); break; // FLOAT (text)
      case 0x47: { need(8); stack.push(view.getFloat64(pos, false)); pos += 8; break; } // BINFLOAT, big-endian
      case 0x53: stack.push(unquote(line())); break; // STRING
      case 0x54: { const n = i32(); stack.push(latin.decode(take(n))); break; } // BINSTRING
      case 0x55: stack.push(latin.decode(take(u8()))); break; // SHORT_BINSTRING
      case 0x56: stack.push(line().replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))); break; // UNICODE
      case 0x58: stack.push(str(take(u32()))); break; // BINUNICODE
      case 0x8c: stack.push(str(take(u8()))); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(str(take(u64()))); break; // BINUNICODE8
      case 0x42: stack.push(take(u32()).slice()); break; // BINBYTES
      case 0x43: stack.push(take(u8()).slice()); break; // SHORT_BINBYTES
      case 0x8e: stack.push(take(u64()).slice()); break; // BINBYTES8
      case 0x96: stack.push(take(u64()).slice()); break; // BYTEARRAY8
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: { const items = popMark(); stack.push(items); break; } // LIST (popMark swaps `stack`)
      case 0x61: { const v = pop(); appendItems(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); appendItems(top(), items); break; } // APPENDS
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x74: { const items = popMark(); stack.push(items); break; } // TUPLE
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(), a = pop(); stack.push([a, b]); break; } // TUPLE2
      case 0x87: { const c = pop(), b = pop(), a = pop(); stack.push([a, b, c]); break; } // TUPLE3
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x64: { const d = new Map(); setItems(d, popMark()); stack.push(d); break; } // DICT
      case 0x73: { const v = pop(), k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x8f: stack.push(new Set()); break; // EMPTY_SET
      case 0x90: { // ADDITEMS
        const items = popMark(), s = top();
        if (!(s instanceof Set)) throw new PickleError('ADDITEMS on something other than a set');
        for (const i of items) s.add(i);
        break;
      }
      case 0x91: { const items = popMark(); stack.push(new Set(items)); break; } // FROZENSET
      case 0x67: stack.push(get(Number.parseInt(line(), 10))); break; // GET
      case 0x68: stack.push(get(u8())); break; // BINGET
      case 0x6a: stack.push(get(u32())); break; // LONG_BINGET
      case 0x70: memo.set(Number.parseInt(line(), 10), top()); break; // PUT
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x63: { const module = line(), name = line(); stack.push(findGlobal(module, name)); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop(), module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw new PickleError('STACK_GLOBAL needs two strings');
        stack.push(findGlobal(module, name));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop(), fn = pop();
        if (!(fn instanceof PyGlobal) || !fn.call) throw new PickleError(`Cannot call ${describe(fn)}`, 'refused');
        if (!Array.isArray(args)) throw new PickleError('REDUCE arguments are not a tuple');
        stack.push(fn.call(args));
        break;
      }
      case 0x62: { // BUILD
        const state = pop(), obj = top();
        if (isStateful(obj)) obj[SETSTATE](state);
        else if (obj instanceof Map && state instanceof Map) for (const [k, v] of state) obj.set(k, v);
        else throw new PickleError(`Cannot set the state of ${describe(obj)}`, 'refused');
        break;
      }
      case 0x81: case 0x92: { // NEWOBJ, NEWOBJ_EX
        const cls = op === 0x92 ? (pop(), pop(), pop()) : (pop(), pop());
        throw new PickleError(`Refusing to instantiate ${describe(cls)} (NEWOBJ)`, 'refused');
      }
      case 0x69: case 0x6f: throw new PickleError('Refusing INST/OBJ opcodes (arbitrary classes)', 'refused');
      case 0x50: case 0x51: throw new PickleError('Persistent ids are not supported', 'unsupported');
      case 0x82: case 0x83: case 0x84: throw new PickleError('Extension registry opcodes are not supported', 'unsupported');
      case 0x97: case 0x98: throw new PickleError('Out-of-band buffers are not supported', 'unsupported');
      default:
        throw new PickleError(`Unknown pickle opcode 0x${op.toString(16)} at byte ${pos - 1}`);
    }
  }
}

/** Dict keys: tuples and bytes are not hashable by value in a Map; keep them as their JSON text. */
function hashable(k: unknown): unknown {
  if (Array.isArray(k) || k instanceof Uint8Array) return JSON.stringify(Array.from(k as ArrayLike<unknown>));
  return k;
}

function describe(x: unknown): string {
  if (x instanceof PyGlobal) return `${x.module}.${x.name}`;
  if (x === null) return 'None';
  return typeof x === 'object' ? (x.constructor?.name ?? 'object') : typeof x;
}

/** Dict → plain record when every key is a string (the shape release files use). */
export function recordOf(x: unknown): Record<string, unknown> | undefined {
  if (!(x instanceof Map)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of x) {
    if (typeof k !== 'string') return undefined;
    out[k] = v;
  }
  return out;
}

/** Parses a dtype string as numpy pickles write it ('f8', '<f8', 'U5'); exported for tests. */
export const dtypeDescr = (typestr: string, byteorder = '='): string => {
  const d = new PyDtype(typestr);
  d.byteorder = byteorder;
  return parseDescr(d.descr).normalized;
};
