// The in-memory n-d array shared by the npy, npz and pickle readers. Data is always native-endian and in
// C (row-major) order once read, so consumers never think about byte order or fortran_order.

/** A JS stand-in for a numpy dtype: `descr` as numpy spells it, little-endian or byte-order-free. */
export type Descr = string;

export type NdData =
  | Float64Array
  | Float32Array
  | BigInt64Array
  | BigUint64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | boolean[]
  | string[]
  /** Object arrays (only from the safe unpickler): whatever the pickle held. */
  | unknown[];

export interface NdArray {
  /** numpy's descr: '<f8', '<i8', '<u2', '|u1', '|b1', '<U5', '|O', … */
  descr: Descr;
  /** [] for a 0-d array (numpy scalar). */
  shape: number[];
  data: NdData;
}

export const isNdArray = (x: unknown): x is NdArray =>
  typeof x === 'object' && x !== null && 'descr' in x && 'shape' in x && 'data' in x && Array.isArray((x as NdArray).shape);

export const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** One element as a plain JS value: bigint only when an int64 does not fit a double exactly. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  return v;
}

/** The elements in C order as plain values (numbers, strings, booleans, bigint for huge int64). */
export function elements(a: NdArray): unknown[] {
  return Array.from(a.data as ArrayLike<unknown>, plain);
}

/**
 * The value of a 0-d or one-element array, or of a plain pickled value. Accepts both because a
 * release file holds Python floats where an npz holds 0-d arrays.
 */
export function scalarOf(x: unknown): unknown {
  if (isNdArray(x)) {
    if (x.data.length !== 1) return undefined;
    return plain((x.data as ArrayLike<unknown>)[0]);
  }
  return plain(x);
}

/** A finite number from a scalar-like value, else undefined. */
export function numberOf(x: unknown): number | undefined {
  const v = scalarOf(x);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

export function stringOf(x: unknown): string | undefined {
  const v = scalarOf(x);
  return typeof v === 'string' ? v : undefined;
}

/** Numbers of a 1-d array (or a Python list/tuple of numbers), else undefined. */
export function numbersOf(x: unknown): number[] | undefined {
  const items = isNdArray(x) ? elements(x) : Array.isArray(x) ? x.map(scalarOf) : undefined;
  if (!items || !items.every((v) => typeof v === 'number' && Number.isFinite(v))) return undefined;
  return items as number[];
}

export const f8 = (v: number | number[], shape?: number[]): NdArray => {
  const values = typeof v === 'number' ? [v] : v;
  return { descr: '<f8', shape: shape ?? (typeof v === 'number' ? [] : [values.length]), data: Float64Array.from(values) };
};
export const i8 = (v: number | bigint): NdArray => ({ descr: '<i8', shape: [], data: BigInt64Array.of(BigInt(v)) });
export const u2 = (v: number): NdArray => ({ descr: '<u2', shape: [], data: Uint16Array.of(v) });
/** A 0-d unicode array sized to the string, as numpy does for `np.asarray('text')`. */
export const str = (s: string): NdArray => ({ descr: `<U${Math.max(1, [...s].length)}`, shape: [], data: [s] });
