import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { elements, f8, numberOf, stringOf } from '../src/formats/ndarray';
import { NpyError } from '../src/formats/npy';
import { readNpz, writeNpz } from '../src/formats/npz';
import { hasFixtures, IMAGENET3D } from '../../shared/test/fixtures';

const LEGACY = join(IMAGENET3D, 'legacy');
const files = (dir: string) =>
  readdirSync(join(LEGACY, dir)).flatMap((c) => readdirSync(join(LEGACY, dir, c)).map((f) => join(LEGACY, dir, c, f)));

// np.savez_compressed(b, azimuth=np.float64(0.5), class_=np.array('car'), bbox=np.array([1., 2., 3., 4.]))
const COMPRESSED =
  'UEsDBC0AAAAIAAAAIQBw7pJp//////////8LABQAYXppbXV0aC5ucHkBABAAiAAAAAAAAABHAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqGuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5Gpo6CrUKFAEuBjB4YA8AUEsDBC0AAAAIAAAAIQAH9zBI//////////8KABQAY2xhc3NfLm5weQEAEACMAAAAAAAAAEsAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbhNqrK6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkamjoKtQoUAa5kBgaGRCAuAmIAUEsDBC0AAAAIAAAAIQBIhnPu//////////8IABQAYmJveC5ucHkBABAAoAAAAAAAAABTAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqGuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GiY6mjoKtQoUAC4GMPhgD6EZHCAUB5QWcAAAUEsBAi0DLQAAAAgAAAAhAHDukmlHAAAAiAAAAAsAAAAAAAAAAAAAAIABAAAAAGF6aW11dGgubnB5UEsBAi0DLQAAAAgAAAAhAAf3MEhLAAAAjAAAAAoAAAAAAAAAAAAAAIABhAAAAGNsYXNzXy5ucHlQSwECLQMtAAAACAAAACEASIZz7lMAAACgAAAACAAAAAAAAAAAAAAAgAELAQAAYmJveC5ucHlQSwUGAAAAAAMAAwCnAAAAmAEAAAAA';

describe('npz', () => {
  it.skipIf(!hasFixtures)('reads every legacy annotation file, in key order, with numpy dtypes', () => {
    const all = [...files('annotations'), ...files('annotations_new')];
    expect(all.length).toBe(10);
    for (const f of all) {
      const z = readNpz(readFileSync(f));
      expect(z.get('azimuth')?.descr, f).toBe('<f8');
      expect(z.get('height')?.descr, f).toBe('<u2');
      expect(z.get('bbox')?.shape, f).toEqual([4]);
    }
    const saved = readNpz(readFileSync(join(LEGACY, 'annotations_new/chair/n03001627_101_01.npz')));
    expect([...saved.keys()]).toEqual([
      'azimuth', 'elevation', 'theta', 'distance', 'px', 'py', 'cad_index', 'viewport',
      'height', 'width', 'bbox', 'class', 'annotator', 'object_status', 'dense',
    ]);
    expect(numberOf(saved.get('azimuth'))).toBe(0.9250897395855281);
    expect(saved.get('cad_index')?.descr).toBe('<i8');
    expect(numberOf(saved.get('cad_index'))).toBe(2);
    expect(numberOf(saved.get('width'))).toBe(500);
    expect(stringOf(saved.get('object_status'))).toBe('status_partially');
    expect(saved.get('object_status')?.descr).toBe('<U16');
    expect(stringOf(saved.get('dense'))).toBe('dense_yes');
    const noCad = readNpz(readFileSync(join(LEGACY, 'annotations/chair/n03001627_318_00.npz')));
    expect(noCad.has('cad_index')).toBe(false);
  });

  it('reads deflated members (savez_compressed)', () => {
    const z = readNpz(new Uint8Array(Buffer.from(COMPRESSED, 'base64')));
    expect([...z.keys()]).toEqual(['azimuth', 'class_', 'bbox']);
    expect(numberOf(z.get('azimuth'))).toBe(0.5);
    expect(stringOf(z.get('class_'))).toBe('car');
    expect(elements(z.get('bbox')!)).toEqual([1, 2, 3, 4]);
  });

  it.skipIf(!hasFixtures)('writes member bytes identical to the original tool and keeps key order', () => {
    const path = join(LEGACY, 'annotations_new/chair/n03001627_101_01.npz');
    const original = readNpz(readFileSync(path));
    const again = readNpz(writeNpz(original));
    expect(again).toEqual(original);
    const z = writeNpz([['10', f8(1)], ['b', f8(2)], ['2', f8(3)]]);
    expect([...readNpz(z).keys()]).toEqual(['10', 'b', '2']);
  });

  it('reports a file that is not a zip as an NpyError', () => {
    expect(() => readNpz(new TextEncoder().encode('not a zip at all'))).toThrow(NpyError);
  });
});
