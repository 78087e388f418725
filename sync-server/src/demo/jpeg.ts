// A compact baseline JPEG encoder (JFIF, YCbCr 4:2:0, the standard Annex K quantisation and Huffman
// tables, AAN floating-point DCT). jpeg-js can encode too, but it writes one bit at a time into a JS
// array and takes 100-300 ms for a 640x480 photo; this takes a few milliseconds, which is what keeps
// generating the demo dataset within a few seconds. Output is deterministic for the same pixels.

const ZIGZAG = Uint8Array.of(
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
);

// Annex K.1 quantisation tables, natural (row-major) order.
const LUMA_Q = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_Q = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
  ...new Array<number>(32).fill(99),
];

// Annex K.3 Huffman tables: code counts per length 1..16, then the symbols.
const DC_LUMA_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_CHROMA_BITS = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_LUMA_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
const AC_LUMA_VALUES = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08,
  0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
  0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
  0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
  0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
  0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
  0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
];
const AC_CHROMA_BITS = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];
const AC_CHROMA_VALUES = [
  0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91,
  0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
  0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
  0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
  0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4,
  0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
  0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
];

/** Code and length per symbol, from the canonical code the counts define. */
interface Huffman {
  code: Uint16Array;
  len: Uint8Array;
}
function huffman(bits: readonly number[], values: readonly number[]): Huffman {
  const code = new Uint16Array(256), len = new Uint8Array(256);
  let c = 0, k = 0;
  for (let l = 1; l <= 16; l++) {
    for (let i = 0; i < bits[l - 1]!; i++) {
      code[values[k]!] = c++;
      len[values[k++]!] = l;
    }
    c <<= 1;
  }
  return { code, len };
}
const HT = {
  dcY: huffman(DC_LUMA_BITS, DC_VALUES),
  dcC: huffman(DC_CHROMA_BITS, DC_VALUES),
  acY: huffman(AC_LUMA_BITS, AC_LUMA_VALUES),
  acC: huffman(AC_CHROMA_BITS, AC_CHROMA_VALUES),
};

const AAN = [1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958, 0.5411961, 0.275899379];

/** IJG quality scaling of a base table: the stored (zigzag) table and the divisors (natural order). */
function quantTables(base: readonly number[], quality: number): { zigzag: Uint8Array; divisor: Float32Array } {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - 2 * q;
  const natural = base.map((b) => Math.min(255, Math.max(1, Math.floor((b * scale + 50) / 100))));
  const zigzag = new Uint8Array(64), divisor = new Float32Array(64);
  for (let k = 0; k < 64; k++) zigzag[k] = natural[ZIGZAG[k]!]!;
  for (let i = 0; i < 64; i++) divisor[i] = 1 / (natural[i]! * AAN[i >> 3]! * AAN[i & 7]! * 8);
  return { zigzag, divisor };
}

/** In-place AAN forward DCT of an 8x8 block (row-major); outputs are scaled by AAN factors × 8. */
function fdct(d: Float32Array): void {
  for (let pass = 0; pass < 2; pass++) {
    const step = pass === 0 ? 1 : 8, stride = pass === 0 ? 8 : 1;
    for (let i = 0; i < 8; i++) {
      const o = i * stride;
      const d0 = d[o]!, d1 = d[o + step]!, d2 = d[o + 2 * step]!, d3 = d[o + 3 * step]!;
      const d4 = d[o + 4 * step]!, d5 = d[o + 5 * step]!, d6 = d[o + 6 * step]!, d7 = d[o + 7 * step]!;
      const t0 = d0 + d7, t7 = d0 - d7, t1 = d1 + d6, t6 = d1 - d6, t2 = d2 + d5, t5 = d2 - d5, t3 = d3 + d4, t4 = d3 - d4;
      let t10 = t0 + t3;
      const t13 = t0 - t3;
      let t11 = t1 + t2, t12 = t1 - t2;
      d[o] = t10 + t11;
      d[o + 4 * step] = t10 - t11;
      const z1 = (t12 + t13) * 0.707106781;
      d[o + 2 * step] = t13 + z1;
      d[o + 6 * step] = t13 - z1;
      t10 = t4 + t5;
      t11 = t5 + t6;
      t12 = t6 + t7;
      const z5 = (t10 - t12) * 0.382683433;
      const z2 = 0.5411961 * t10 + z5;
      const z4 = 1.306562965 * t12 + z5;
      const z3 = t11 * 0.707106781;
      const z11 = t7 + z3, z13 = t7 - z3;
      d[o + 5 * step] = z13 + z2;
      d[o + 3 * step] = z13 - z2;
      d[o + step] = z11 + z4;
      d[o + 7 * step] = z11 - z4;
    }
  }
}

class BitWriter {
  buf: Uint8Array;
  pos = 0;
  private acc = 0;
  private n = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }
  ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + extra));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
  byte(b: number): void {
    this.buf[this.pos++] = b;
  }
  word(w: number): void {
    this.buf[this.pos++] = (w >> 8) & 0xff;
    this.buf[this.pos++] = w & 0xff;
  }
  bytes(bs: ArrayLike<number>): void {
    for (let i = 0; i < bs.length; i++) this.buf[this.pos++] = bs[i]!;
  }
  /** Entropy-coded bits, with 0xFF byte stuffing. `len` ≤ 16. */
  bits(code: number, len: number): void {
    this.acc = (this.acc << len) | (code & ((1 << len) - 1));
    this.n += len;
    while (this.n >= 8) {
      const b = (this.acc >>> (this.n - 8)) & 0xff;
      this.buf[this.pos++] = b;
      if (b === 0xff) this.buf[this.pos++] = 0;
      this.n -= 8;
    }
    this.acc &= (1 << this.n) - 1;
  }
  /** Pads the last byte with 1-bits. */
  flushBits(): void {
    if (this.n > 0) this.bits((1 << (8 - this.n)) - 1, 8 - this.n);
  }
}

const bitLength = (v: number) => (v === 0 ? 0 : 32 - Math.clz32(v));

export interface RgbaImage {
  width: number;
  height: number;
  /** 4 bytes per pixel (alpha ignored). */
  data: Uint8Array;
}

/** Encodes 8-bit RGBA pixels as a baseline JFIF JPEG. */
export function encodeJpegRgba(img: RgbaImage, quality = 90): Uint8Array {
  const { width: w, height: h, data } = img;
  if (!(w > 0 && h > 0 && w < 65536 && h < 65536)) throw new Error(`jpeg: bad size ${w}x${h}`);
  const qy = quantTables(LUMA_Q, quality), qc = quantTables(CHROMA_Q, quality);
  // Planes padded to whole 16x16 MCUs by repeating the last row and column.
  const pw = Math.ceil(w / 16) * 16, ph = Math.ceil(h / 16) * 16, cw = pw / 2, ch = ph / 2;
  const Y = new Float32Array(pw * ph), Cb = new Float32Array(cw * ch), Cr = new Float32Array(cw * ch);
  for (let y = 0; y < ph; y++) {
    const sy = Math.min(y, h - 1);
    for (let x = 0; x < pw; x++) {
      const o = 4 * (sy * w + Math.min(x, w - 1));
      const r = data[o]!, g = data[o + 1]!, b = data[o + 2]!;
      Y[y * pw + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
      const c = (y >> 1) * cw + (x >> 1);
      Cb[c] = Cb[c]! + 0.25 * (-0.168735892 * r - 0.331264108 * g + 0.5 * b);
      Cr[c] = Cr[c]! + 0.25 * (0.5 * r - 0.418687589 * g - 0.081312411 * b);
    }
  }

  const out = new BitWriter(Math.max(4096, (w * h) >> 2));
  out.word(0xffd8);
  out.word(0xffe0); // APP0 JFIF
  out.word(16);
  out.bytes([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  out.word(0xffdb); // DQT
  out.word(2 + 2 * 65);
  out.byte(0);
  out.bytes(qy.zigzag);
  out.byte(1);
  out.bytes(qc.zigzag);
  out.word(0xffc0); // SOF0
  out.word(17);
  out.bytes([8, h >> 8, h & 0xff, w >> 8, w & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  out.word(0xffc4); // DHT
  const tables: Array<[number, number[], number[]]> = [
    [0x00, DC_LUMA_BITS, DC_VALUES],
    [0x10, AC_LUMA_BITS, AC_LUMA_VALUES],
    [0x01, DC_CHROMA_BITS, DC_VALUES],
    [0x11, AC_CHROMA_BITS, AC_CHROMA_VALUES],
  ];
  out.word(2 + tables.reduce((s, [, , v]) => s + 17 + v.length, 0));
  for (const [id, bits, values] of tables) {
    out.byte(id);
    out.bytes(bits);
    out.bytes(values);
  }
  out.word(0xffda); // SOS
  out.word(12);
  out.bytes([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]);

  const block = new Float32Array(64);
  const coef = new Int32Array(64);
  let dcY = 0, dcCb = 0, dcCr = 0;
  const encodeBlock = (plane: Float32Array, stride: number, x0: number, y0: number, divisor: Float32Array, dcPrev: number, dc: Huffman, ac: Huffman): number => {
    for (let r = 0; r < 8; r++) {
      const o = (y0 + r) * stride + x0;
      for (let c = 0; c < 8; c++) block[r * 8 + c] = plane[o + c]!;
    }
    fdct(block);
    for (let k = 0; k < 64; k++) {
      const i = ZIGZAG[k]!;
      coef[k] = Math.round(block[i]! * divisor[i]!);
    }
    out.ensure(1024);
    const diff = coef[0]! - dcPrev;
    const dcCat = bitLength(Math.abs(diff));
    out.bits(dc.code[dcCat]!, dc.len[dcCat]!);
    if (dcCat > 0) out.bits(diff < 0 ? diff - 1 : diff, dcCat);
    let run = 0;
    for (let k = 1; k < 64; k++) {
      const v = coef[k]!;
      if (v === 0) {
        run++;
        continue;
      }
      while (run >= 16) {
        out.bits(ac.code[0xf0]!, ac.len[0xf0]!);
        run -= 16;
      }
      const cat = bitLength(Math.abs(v));
      const sym = (run << 4) | cat;
      out.bits(ac.code[sym]!, ac.len[sym]!);
      out.bits(v < 0 ? v - 1 : v, cat);
      run = 0;
    }
    if (run > 0) out.bits(ac.code[0]!, ac.len[0]!);
    return coef[0]!;
  };
  for (let my = 0; my < ph; my += 16)
    for (let mx = 0; mx < pw; mx += 16) {
      dcY = encodeBlock(Y, pw, mx, my, qy.divisor, dcY, HT.dcY, HT.acY);
      dcY = encodeBlock(Y, pw, mx + 8, my, qy.divisor, dcY, HT.dcY, HT.acY);
      dcY = encodeBlock(Y, pw, mx, my + 8, qy.divisor, dcY, HT.dcY, HT.acY);
      dcY = encodeBlock(Y, pw, mx + 8, my + 8, qy.divisor, dcY, HT.dcY, HT.acY);
      dcCb = encodeBlock(Cb, cw, mx >> 1, my >> 1, qc.divisor, dcCb, HT.dcC, HT.acC);
      dcCr = encodeBlock(Cr, cw, mx >> 1, my >> 1, qc.divisor, dcCr, HT.dcC, HT.acC);
    }
  out.flushBits();
  out.ensure(2);
  out.word(0xffd9);
  return out.buf.slice(0, out.pos);
}
