// Draws the PWA icons (a wireframe cube with its centre marker, as the in-app logo) straight into
// pixels and writes PNGs: `npx tsx scripts/icons.ts`. No image tools needed, and the art is code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type RGB = [number, number, number];
const BG_TOP: RGB = [0x22, 0x2c, 0x3a];
const BG_BOTTOM: RGB = [0x12, 0x17, 0x1f];
const LINE: RGB = [0x5e, 0xea, 0xd4];
const DOT: RGB = [0xfb, 0xbf, 0x24];

// The logo in a 32-unit box (see pwa/src/components/Logo.tsx).
const SEGMENTS: [number, number, number, number][] = [
  [16, 6, 25, 11], [25, 11, 25, 21], [25, 21, 16, 26], [16, 26, 7, 21], [7, 21, 7, 11], [7, 11, 16, 6],
  [7, 11, 16, 16], [16, 16, 25, 11], [16, 16, 16, 26],
];

function segDist(px: number, py: number, [x1, y1, x2, y2]: [number, number, number, number]): number {
  const dx = x2 - x1, dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}

function roundedRectInside(x: number, y: number, size: number, r: number): number {
  // Signed distance to a rounded square [0,size]², negative inside.
  const qx = Math.abs(x - size / 2) - (size / 2 - r), qy = Math.abs(y - size / 2) - (size / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

export function drawIcon(size: number, maskable: boolean): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  // Maskable icons keep their content inside the central 80 % circle and fill the whole square.
  const scale = (maskable ? 0.62 : 0.86) * (size / 32);
  const origin = size / 2 - 16 * scale;
  const half = (1.9 * scale) / 2;
  const radius = 2.3 * scale;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const cx = x + 0.5, cy = y + 0.5;
      const bgAlpha = maskable ? 1 : Math.max(0, Math.min(1, 0.5 - roundedRectInside(cx, cy, size, size * 0.22)));
      const t = y / size;
      let c: RGB = [0, 1, 2].map((i) => BG_TOP[i]! * (1 - t) + BG_BOTTOM[i]! * t) as RGB;
      const ux = (cx - origin) / scale, uy = (cy - origin) / scale;
      let d = Infinity;
      for (const s of SEGMENTS) d = Math.min(d, segDist(ux, uy, s));
      const lineA = Math.max(0, Math.min(1, half + 0.5 - d * scale));
      c = c.map((v, i) => v * (1 - lineA) + LINE[i]! * lineA) as RGB;
      const dotA = Math.max(0, Math.min(1, radius + 0.5 - Math.hypot(ux - 16, uy - 16) * scale));
      c = c.map((v, i) => v * (1 - dotA) + DOT[i]! * dotA) as RGB;
      const o = (y * size + x) * 4;
      px[o] = Math.round(c[0]);
      px[o + 1] = Math.round(c[1]);
      px[o + 2] = Math.round(c[2]);
      px[o + 3] = Math.round(bgAlpha * 255);
    }
  }
  return px;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(rgba.subarray(y * width * 4, (y + 1) * width * 4)).copy(raw, y * (width * 4 + 1) + 1);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array())]);
}

const outDir = new URL('../public/icons/', import.meta.url);
mkdirSync(outDir, { recursive: true });
for (const [name, size, maskable] of [['icon-192.png', 192, false], ['icon-512.png', 512, false], ['icon-maskable-512.png', 512, true]] as const) {
  writeFileSync(new URL(name, outDir), encodePng(drawIcon(size, maskable), size, size));
  console.log(`public/icons/${name} ${size}x${size}${maskable ? ' maskable' : ''}`);
}
