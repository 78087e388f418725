import { describe, expect, it } from 'vitest';
import { readNpz, writeNpz } from '../src/formats/npz';
import { f8, u2 } from '../src/formats/ndarray';
import { unpickle } from '../src/formats/pickle';
import { pickleNdArray } from '../src/formats/pickle-write';

describe('object-array pickles (the release layout)', () => {
  it('round-trips a list of dicts with floats, ints, strings, a uint16 scalar and a float64 array', () => {
    const obj = new Map<string, unknown>([
      ['azimuth', 3.77], ['cad_index', 2n], ['viewport', 3000n], ['height', u2(375)], ['bbox', f8([10, 20, 180, 300], [4])],
      ['class', 'chair'], ['big', 2n ** 40n], ['neg', -5n], ['flag', true], ['none', null], ['list', [1.5, 'x']],
    ]);
    const back = unpickle(pickleNdArray({ descr: '|O', shape: [2], data: [obj, new Map([['class', '椅子']])] })) as { descr: string; data: Map<string, unknown>[] };
    expect(back.descr).toBe('|O');
    const [a, b] = back.data;
    expect(a!.get('azimuth')).toBe(3.77);
    expect(a!.get('cad_index')).toBe(2);
    expect(a!.get('viewport')).toBe(3000);
    expect(a!.get('big')).toBe(2 ** 40);
    expect(a!.get('neg')).toBe(-5);
    expect(a!.get('height')).toMatchObject({ descr: '<u2', shape: [] });
    expect(Array.from((a!.get('bbox') as { data: Float64Array }).data)).toEqual([10, 20, 180, 300]);
    expect(a!.get('flag')).toBe(true);
    expect(a!.get('none')).toBe(null);
    expect(a!.get('list')).toEqual([1.5, 'x']);
    expect(b!.get('class')).toBe('椅子');
  });

  it('an npz with an object array reads back only when objects are allowed', () => {
    const npz = writeNpz([['annotations', { descr: '|O', shape: [1], data: [new Map([['px', 1.25]])] }]]);
    expect(() => readNpz(npz)).toThrow();
    const a = readNpz(npz, { objects: 'safe-unpickle' }).get('annotations')!;
    expect((a.data as Map<string, unknown>[])[0]!.get('px')).toBe(1.25);
  });

  it('refuses NaN and Infinity', () => {
    expect(() => pickleNdArray({ descr: '|O', shape: [1], data: [Number.NaN] })).toThrow(/NaN/);
  });
});
