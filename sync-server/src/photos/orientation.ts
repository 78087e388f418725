// Boxes and poses are given in a photo's stored pixel frame (the original tool read photos with PIL,
// which ignores EXIF). Browsers turn a photo by its EXIF Orientation tag when they decode it, and
// Chromium does so even when asked not to (createImageBitmap's imageOrientation 'none', Chromium 156),
// so a phone photo taken on its side would be shown turned while its box is not. The server sends
// such photos with the tag set to 1 (as stored): the same bytes otherwise, nothing re-encoded.

import { jpegSegments } from '../exchange/image-size';

const ORIENTATION_TAG = 0x0112;
const SHORT = 3;

/** Where the Orientation value's two bytes are and how they are ordered, or null (no tag, not a JPEG, damaged). */
function orientationAt(b: Uint8Array): { at: number; little: boolean } | null {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (const { marker, at: p, len } of jpegSegments(b)) {
    const end = p + 2 + len;
    if (len < 2 || end > b.length) return null;
    // APP1 "Exif\0\0" then a TIFF header.
    if (marker !== 0xe1 || len < 16 || String.fromCharCode(...b.subarray(p + 4, p + 8)) !== 'Exif' || b[p + 8] !== 0 || b[p + 9] !== 0) continue;
    const tiff = p + 10;
    const little = b[tiff] === 0x49 && b[tiff + 1] === 0x49;
    if (!little && !(b[tiff] === 0x4d && b[tiff + 1] === 0x4d)) return null;
    if (view.getUint16(tiff + 2, little) !== 42) return null;
    const ifd = tiff + view.getUint32(tiff + 4, little);
    if (ifd + 2 > end) return null;
    const count = view.getUint16(ifd, little);
    for (let i = 0; i < count; i++) {
      const e = ifd + 2 + i * 12;
      if (e + 12 > end) return null;
      if (view.getUint16(e, little) !== ORIENTATION_TAG) continue;
      if (view.getUint16(e + 2, little) !== SHORT || view.getUint32(e + 4, little) !== 1) return null;
      return { at: e + 8, little };
    }
    return null;
  }
  return null;
}

/** The photo as its pixels are stored: a JPEG whose EXIF says to turn it comes back saying 1; anything else unchanged. */
export function asStored(photo: Uint8Array): Uint8Array {
  const o = orientationAt(photo);
  if (!o) return photo;
  const view = new DataView(photo.buffer, photo.byteOffset, photo.byteLength);
  if (view.getUint16(o.at, o.little) === 1) return photo;
  const copy = photo.slice();
  new DataView(copy.buffer).setUint16(o.at, 1, o.little);
  return copy;
}
