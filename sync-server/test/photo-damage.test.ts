import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { photoDamage } from '../src/exchange/image-size';
import { asStored } from '../src/photos/orientation';
import { storePhoto } from '../src/exchange/photos';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAX = 100_000_000;

describe('photoDamage', () => {
  it('walks a PNG to its IEND chunk: "IEND" inside the pixel data of a cut-off PNG does not make it whole', async () => {
    const png = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#345' } }).png().toBuffer());
    expect(photoDamage(png, MAX)).toBeUndefined();
    // Cut inside the image data, with the four bytes "IEND" planted there (as compressed data may hold them).
    const cut = png.slice(0, 60);
    cut.set([0x49, 0x45, 0x4e, 0x44], 50);
    expect(photoDamage(cut, MAX)).toMatchObject({ warn: expect.stringMatching(/cut off/) });
  });

  it('keeps a JPEG cut off after its scan began (warn), refuses what is no photo or too large', async () => {
    const jpg = new Uint8Array(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#345' } }).jpeg().toBuffer());
    expect(photoDamage(jpg, MAX)).toBeUndefined();
    expect(photoDamage(jpg.slice(0, jpg.length - 40), MAX)).toMatchObject({ warn: expect.stringMatching(/stored as it is/) });
    expect(photoDamage(new TextEncoder().encode('<html>not a photo</html>'), MAX)).toMatchObject({ refuse: expect.stringMatching(/not a JPEG or PNG/) });
    expect(photoDamage(jpg, 64 * 64 - 1)).toMatchObject({ refuse: expect.stringMatching(/64×64 pixels/) });
  });
});

describe('storePhoto', () => {
  it('stores a photo its EXIF says to turn with the tag set to 1, and its etag names those bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'in3d-store-photo-'));
    const turned = await sharp({ create: { width: 30, height: 10, channels: 3, background: '#a00' } }).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    writeFileSync(join(dir, 'p.JPEG'), turned);
    const stored = storePhoto(join(dir, 'data'), 'cat', join(dir, 'p.JPEG'));
    const bytes = readFileSync(join(dir, 'data', stored.filePath));
    expect((await sharp(bytes).metadata()).orientation).toBe(1);
    expect(new Uint8Array(bytes)).toEqual(asStored(new Uint8Array(turned)));
    expect(stored.size).toEqual({ width: 30, height: 10 });
    expect(stored.warning).toBeUndefined();
  });
});
