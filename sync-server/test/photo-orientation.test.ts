import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { mulberry32 } from '../src/demo/raster';
import { asStored } from '../src/photos/orientation';

describe('asStored (EXIF Orientation reset to 1)', () => {
  it('resets a big- and a little-endian tag, and leaves untagged, upright and non-JPEG bytes as they are', async () => {
    const make = (orientation?: number) => {
      const img = sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 0, g: 90, b: 200 } } });
      return (orientation ? img.withMetadata({ orientation }) : img).jpeg().toBuffer();
    };
    for (const o of [3, 6, 8]) {
      const out = asStored(new Uint8Array(await make(o)));
      expect((await sharp(out).metadata()).orientation, String(o)).toBe(1);
    }
    const plain = new Uint8Array(await make());
    expect(asStored(plain)).toBe(plain);
    const upright = new Uint8Array(await make(1));
    expect(asStored(upright)).toBe(upright);
    const png = new Uint8Array(await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } }).png().toBuffer());
    expect(asStored(png)).toBe(png);
    // The same tag, little-endian ("II"), written by hand into a minimal APP1.
    const tiff = [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0];
    const app1 = [0xff, 0xe1, 0, 2 + 6 + tiff.length, ...'Exif'.split('').map((c) => c.charCodeAt(0)), 0, 0, ...tiff];
    const little = Uint8Array.from([0xff, 0xd8, ...app1, 0xff, 0xd9]);
    const fixed = asStored(little);
    expect([little[30], fixed[30]]).toEqual([6, 1]);
    expect(fixed.length).toBe(little.length);
  });

  it('never throws on a damaged or hostile header and never changes its length', async () => {
    const tagged = new Uint8Array(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).withMetadata({ orientation: 6 }).jpeg().toBuffer());
    const rand = mulberry32(7);
    for (let i = 0; i < 2000; i++) {
      const bad = tagged.slice(0, 2 + Math.floor(rand() * 200));
      for (let k = 0; k < 3; k++) bad[2 + Math.floor(rand() * (bad.length - 2))] = Math.floor(rand() * 256);
      expect(asStored(bad).length).toBe(bad.length);
    }
  });
});
