import { describe, expect, it } from 'vitest';
import { elements, f8, i8, type NdArray, str, u2 } from '../src/formats/ndarray';
import { NpyError, readNpy, readNpyHeader, writeNpy } from '../src/formats/npy';

// Bytes numpy 2.4 wrote (np.lib.format.write_array), base64, so these tests need no python.
const NUMPY = {
  f8_2x3: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAALAAAAAAAAACEAAAAAAAAAQQC8wt7OnycoBGC1EVPshCUA=',
  f4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/zczMvQ==',
  i8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAP///wcAAAAAAAAAAAAAAAAAAEA=',
  i4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr7////////fw==',
  u2: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPHUyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr//w==',
  u1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoA/xE=',
  b1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=',
  U5: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPFU1JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIApjAAAAaAAAAGEAAABpAAAAcgAAAOkAAAAA9gEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  U_scalar: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPFUxNicsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIApzAAAAdAAAAGEAAAB0AAAAdQAAAHMAAABfAAAAcAAAAGEAAAByAAAAdAAAAGkAAABhAAAAbAAAAGwAAAB5AAAA',
  f8_fortran: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAAhAAAAAAAAA8D8AAAAAAAAQQAAAAAAAAABAAAAAAAAAFEA=',
  f8_be: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPmY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/8AAAAAAAAEAEAAAAAAAA',
  i8_scalar: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoEAAAAAAAAAA==',
  S5: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfFM1JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIApjaGFpcmFiAAAA',
  v2: 'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADwPwAAAAAAAABA',
  v3: 'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8VTEnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMSwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr8AAAA',
  object: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfE8nLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMSwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAqABJWSAAAAAAAAAIwWbnVtcHkuX2NvcmUubXVsdGlhcnJheZSMDF9yZWNvbnN0cnVjdJSTlIwFbnVtcHmUjAduZGFycmF5lJOUSwCFlEMBYpSHlFKUKEsBSwGFlGgDjAVkdHlwZZSTlIwCTziUiYiHlFKUKEsDjAF8lE5OTkr/////Sv////9LP3SUYoldlH2UjAFhlEsBc2F0lGIu',
};
const bytes = (k: keyof typeof NUMPY) => new Uint8Array(Buffer.from(NUMPY[k], 'base64'));

describe('npy reader', () => {
  it('reads every dtype numpy writes for annotation files', () => {
    const f8a = readNpy(bytes('f8_2x3'));
    expect(f8a.descr).toBe('<f8');
    expect(f8a.shape).toEqual([2, 3]);
    expect(elements(f8a)).toEqual([1.5, -2.25, 3, 4, 5e-300, Math.PI]);

    const f4 = readNpy(bytes('f4'));
    expect(f4.data).toBeInstanceOf(Float32Array);
    expect(elements(f4)).toEqual([1.5, Math.fround(-0.1)]);

    const i8a = readNpy(bytes('i8'));
    expect(i8a.data).toBeInstanceOf(BigInt64Array);
    expect(Array.from(i8a.data as BigInt64Array)).toEqual([-(2n ** 40n), 7n, 2n ** 62n]);
    expect(elements(i8a)).toEqual([-(2 ** 40), 7, 2n ** 62n]); // beyond 2^53 stays a bigint

    expect(elements(readNpy(bytes('i4')))).toEqual([-5, 2 ** 31 - 1]);
    const u2a = readNpy(bytes('u2'));
    expect([u2a.descr, u2a.shape, elements(u2a)]).toEqual(['<u2', [], [65535]]);
    const u1 = readNpy(bytes('u1'));
    expect([u1.descr, elements(u1)]).toEqual(['|u1', [0, 255, 17]]);
    const b1 = readNpy(bytes('b1'));
    expect([b1.descr, elements(b1)]).toEqual(['|b1', [true, false, true]]);
    expect(elements(readNpy(bytes('i8_scalar')))).toEqual([4]);
  });

  it('decodes UTF-32LE strings, including astral characters and empty strings', () => {
    const u = readNpy(bytes('U5'));
    expect(u.descr).toBe('<U5');
    expect(u.data).toEqual(['chair', 'é😀', '']);
    const b = readNpy(bytes('S5')); // Python 2 byte strings
    expect([b.descr, b.data]).toEqual(['|S5', ['chair', 'ab']]);
    const s = readNpy(bytes('U_scalar'));
    expect([s.descr, s.shape, s.data]).toEqual(['<U16', [], ['status_partially']]);
  });

  it('handles fortran order, big-endian data and header versions 2 and 3', () => {
    const f = readNpy(bytes('f8_fortran')); // np.arange(6).reshape(2, 3) stored column-major
    expect(f.shape).toEqual([2, 3]);
    expect(elements(f)).toEqual([0, 1, 2, 3, 4, 5]);
    const be = readNpy(bytes('f8_be'));
    expect([be.descr, elements(be)]).toEqual(['<f8', [1, 2.5]]);
    expect(readNpyHeader(bytes('v2')).version).toBe(2);
    expect(elements(readNpy(bytes('v2')))).toEqual([1, 2]);
    expect(readNpy(bytes('v3')).data).toEqual(['ü']);
  });

  it('refuses object arrays unless the safe unpickler is asked for', () => {
    expect(() => readNpy(bytes('object'))).toThrow(/dtype object.*refusing/);
    const o = readNpy(bytes('object'), { objects: 'safe-unpickle' });
    expect(o.descr).toBe('|O');
    expect(o.data).toEqual([new Map([['a', 1]])]);
  });

  it('rejects malformed input with an NpyError, not a crash', () => {
    expect(() => readNpy(new Uint8Array([1, 2, 3]))).toThrow(NpyError);
    const b = bytes('f8_2x3');
    expect(() => readNpy(b.subarray(0, b.length - 8))).toThrow(/truncated/);
    const structured = new TextEncoder().encode("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }\n");
    const head = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, structured.length, 0]);
    expect(() => readNpy(new Uint8Array([...head, ...structured, ...new Uint8Array(8)]))).toThrow(/Structured/);
    const c8 = new TextEncoder().encode("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }\n");
    expect(() => readNpy(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, c8.length, 0, ...c8]))).toThrow(/Unsupported dtype/);
  });
});

describe('npy writer', () => {
  it('writes the same bytes numpy writes', () => {
    const cases: [keyof typeof NUMPY, NdArray][] = [
      ['f8_2x3', f8([1.5, -2.25, 3, 4, 5e-300, Math.PI], [2, 3])],
      ['i8_scalar', i8(4)],
      ['u2', u2(65535)],
      ['U_scalar', str('status_partially')],
      ['U5', { descr: '<U5', shape: [3], data: ['chair', 'é😀', ''] }],
      ['S5', { descr: '|S5', shape: [2], data: ['chair', 'ab'] }],
      ['b1', { descr: '|b1', shape: [3], data: [true, false, true] }],
      ['u1', { descr: '|u1', shape: [3], data: Uint8Array.of(0, 255, 17) }],
      ['i4', { descr: '<i4', shape: [2], data: Int32Array.of(-5, 2 ** 31 - 1) }],
      ['f4', { descr: '<f4', shape: [2], data: Float32Array.of(1.5, -0.1) }],
    ];
    for (const [name, arr] of cases) expect(Buffer.from(writeNpy(arr)).toString('base64'), name).toBe(NUMPY[name]);
  });

  it('round-trips through the reader', () => {
    const a: NdArray = { descr: '<i8', shape: [2, 2], data: BigInt64Array.of(1n, -2n, 3n, 2n ** 60n) };
    expect(readNpy(writeNpy(a))).toEqual(a);
    expect(() => writeNpy({ descr: '<U2', shape: [], data: ['abc'] })).toThrow(/does not fit/);
    expect(() => writeNpy({ descr: '<f8', shape: [3], data: Float64Array.of(1) })).toThrow(/needs 3 elements/);
  });
});
