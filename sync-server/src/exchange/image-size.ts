// Width and height from a photo's header, without decoding pixels: the legacy files sometimes lack
// height/width, and decoding 15,000 JPEGs to learn their size would dominate an import. The same walk
// finds a file a browser cannot show (cut off, not a photo), so an import names it instead of storing it.

export interface ImageSize {
  width: number;
  height: number;
}

const isPng = (b: Uint8Array) => b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;

/**
 * A JPEG's marker segments up to its first scan (SOS, the last one given): each marker and where it
 * starts (`at`, its 0xFF) and its length field (`len`, counting itself). Stops at the end marker, at
 * bytes that are no marker, or at the data's end.
 */
export function* jpegSegments(b: Uint8Array): Generator<{ marker: number; at: number; len: number }> {
  if (b[0] !== 0xff || b[1] !== 0xd8) return;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return;
    const marker = b[i + 1]!;
    if (marker === 0xff) { i++; continue; } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; } // no length
    if (marker === 0xd9) return; // the end before any image data
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    yield { marker, at: i, len };
    if (marker === 0xda) return;
    i += 2 + len;
  }
}

/** A JPEG's frame size and where its first scan (the pixel data) starts, from its marker segments. */
function walkJpeg(b: Uint8Array): { size?: ImageSize; scanAt?: number } {
  let size: ImageSize | undefined;
  for (const { marker, at } of jpegSegments(b)) {
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (!size && marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > b.length) return {};
      const height = (b[at + 5]! << 8) | b[at + 6]!;
      const width = (b[at + 7]! << 8) | b[at + 8]!;
      if (!(width > 0 && height > 0)) return {};
      size = { width, height };
    }
    if (marker === 0xda) return { size, scanAt: at };
  }
  return { size };
}

/** JPEG (any SOFn marker) or PNG; undefined for anything else or a truncated header. */
export function imageSize(b: Uint8Array): ImageSize | undefined {
  if (isPng(b)) {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return { width: v.getUint32(16), height: v.getUint32(20) };
  }
  return walkJpeg(b).size;
}

const indexOf = (b: Uint8Array, seq: readonly number[], from: number) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).indexOf(Uint8Array.from(seq), from);

/** A PNG's chunks walked to IEND (the bytes "IEND" inside compressed data do not count). */
function pngEnded(b: Uint8Array): boolean {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 8; i + 8 <= b.length; ) {
    if (b[i + 4] === 0x49 && b[i + 5] === 0x45 && b[i + 6] === 0x4e && b[i + 7] === 0x44) return true;
    i += 12 + v.getUint32(i);
  }
  return false;
}

/**
 * What is wrong with a photo: `refuse` when no browser could show it (not a JPEG or PNG, or more than
 * `maxPixels`), `warn` when it is cut off before its end marker (a JPEG's EOI after its scan, a PNG's IEND
 * chunk): browsers draw the part before the cut, and files whose encoder left out the marker draw
 * whole, so the photo is kept and named. Data after the marker, as phones append, is fine.
 */
export function photoDamage(b: Uint8Array, maxPixels: number): { refuse: string } | { warn: string } | undefined {
  const png = isPng(b);
  const jpeg = png ? undefined : walkJpeg(b);
  const size = png ? imageSize(b) : jpeg!.size;
  if (!size) return { refuse: 'is not a JPEG or PNG photo (or its header is damaged)' };
  if (size.width * size.height > maxPixels) {
    return { refuse: `is ${size.width}×${size.height} pixels, more than the ${Math.round(maxPixels / 1e6)} million a device can be sent` };
  }
  const ended = png ? pngEnded(b) : jpeg!.scanAt !== undefined && indexOf(b, [0xff, 0xd9], jpeg!.scanAt) >= 0;
  return ended ? undefined : { warn: 'is cut off before its end marker (a truncated copy?); stored as it is: the part before the cut shows' };
}
