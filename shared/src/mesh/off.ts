// OFF (Object File Format) parser for the CAD models. It returns a result object instead of throwing
// because it runs in a worker behind comlink, where a thrown error loses its shape; every error names
// the 1-based line so a person fixing a model file knows where to look.
//
// Accepted, because real files contain it: `#` comments (whole-line and trailing), CRLF, blank lines,
// trailing blanks, a UTF-8 BOM, the counts on the header line (`OFF 8 6 0`) or on the next line, the
// ModelNet quirk of counts glued to the keyword (`OFF8 6 0`), a missing edge count, the C/N/ST header
// variants (extra per-vertex values such as colours or normals are ignored), polygons of any size
// (fan-triangulated: exact for convex polygons, which is what CAD exporters write) and per-face colour
// values after the indices (ignored). The edge count is ignored too: exporters mostly write 0.
import type { Mesh } from './types';

export interface OffError {
  /** 1-based line of the problem; for a file that ends too early, its last line. */
  line: number;
  message: string;
}

export type OffResult = { ok: true; mesh: Mesh } | { ok: false; error: OffError };

// Beyond this a value is finite as a double but Infinity once stored in the Float32Array.
const F32_MAX = 3.4028234663852886e38;
const COUNT = /^\d+$/;

/** Walks the text one content line at a time, splitting it into whitespace-separated tokens. */
class Lines {
  line = 0;
  count = 0;
  readonly tokens: string[] = [];
  private pos: number;

  constructor(private readonly text: string) {
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** Moves to the next line that has tokens outside comments; false at the end of the text. */
  next(): boolean {
    const t = this.text, n = t.length;
    while (this.pos < n) {
      let end = t.indexOf('\n', this.pos);
      if (end < 0) end = n;
      let i = this.pos;
      this.pos = end + 1;
      this.line++;
      this.count = 0;
      while (i < end) {
        let c = t.charCodeAt(i);
        if (c === 35 /* # */) break;
        if (c <= 32) { // space, tab, CR and other control characters separate tokens
          i++;
          continue;
        }
        const start = i;
        while (i < end && (c = t.charCodeAt(i)) > 32 && c !== 35) i++;
        this.tokens[this.count++] = t.slice(start, i);
      }
      if (this.count > 0) return true;
    }
    return false;
  }
}

export function parseOff(text: string): OffResult {
  const r = new Lines(text);
  const fail = (message: string, line = r.line): OffResult => ({ ok: false, error: { line, message } });

  if (!r.next()) return fail('empty file: expected an OFF header', Math.max(1, r.line));
  const keyword = /^(?:ST)?C?N?OFF/.exec(r.tokens[0]!);
  if (!keyword) {
    if (/^(?:ST)?C?N?4?n?OFF/.test(r.tokens[0]!))
      return fail(`unsupported header '${r.tokens[0]}': only 3D OFF files are read (no 4OFF or nOFF)`);
    return fail(`bad header '${r.tokens[0]}': expected OFF`);
  }
  const counts = r.tokens.slice(1, r.count);
  const glued = r.tokens[0]!.slice(keyword[0].length);
  if (glued && !COUNT.test(glued)) return fail(`bad header '${r.tokens[0]}': expected OFF`);
  if (glued) counts.unshift(glued);
  let countLine = r.line;
  if (counts.length === 0) {
    if (!r.next()) return fail('unexpected end of file: expected the counts line "vertices faces [edges]"');
    counts.push(...r.tokens.slice(0, r.count));
    countLine = r.line;
  }
  if (counts.length < 2 || counts.length > 3)
    return fail(`expected counts "vertices faces [edges]", found '${counts.join(' ')}'`, countLine);
  for (const c of counts)
    if (!COUNT.test(c)) return fail(`count '${c}' is not a non-negative integer`, countLine);
  const nV = Number(counts[0]), nF = Number(counts[1]);
  if (nV > 0xffffffff) return fail(`vertex count ${counts[0]} does not fit 32-bit indices`, countLine);

  // A vertex line takes at least 6 characters and a face line 8: never allocate for more lines than
  // the text can hold, so an absurd header fails on "too few" instead of running out of memory.
  const positions = new Float32Array(3 * Math.min(nV, Math.floor(text.length / 6) + 1));
  for (let v = 0; v < nV; v++) {
    if (!r.next()) return fail(`unexpected end of file: expected ${nV} vertices, found ${v}`);
    if (r.count < 3) return fail(`vertex ${v} has ${r.count} value${r.count === 1 ? '' : 's'}, expected x y z`);
    for (let k = 0; k < 3; k++) {
      const x = Number(r.tokens[k]);
      if (!(Math.abs(x) <= F32_MAX)) return fail(`vertex ${v}: '${r.tokens[k]}' is not a finite number`);
      positions[3 * v + k] = x;
    }
  }

  let triangles = new Uint32Array(3 * Math.min(nF, Math.floor(text.length / 8) + 1));
  let t = 0;
  for (let f = 0; f < nF; f++) {
    if (!r.next()) return fail(`unexpected end of file: expected ${nF} faces, found ${f}`);
    const k = Number(r.tokens[0]);
    if (!Number.isInteger(k)) return fail(`face ${f}: vertex count '${r.tokens[0]}' is not an integer`);
    if (k < 3) return fail(`face ${f} has ${k} vertices, at least 3 needed`);
    if (r.count < 1 + k) return fail(`face ${f} lists ${r.count - 1} of its ${k} vertex indices`);
    if (t + 3 * (k - 2) > triangles.length) {
      const grown = new Uint32Array(Math.max(2 * triangles.length, t + 3 * (k - 2)));
      grown.set(triangles);
      triangles = grown;
    }
    let first = 0, prev = 0;
    for (let j = 0; j < k; j++) {
      const tok = r.tokens[1 + j]!;
      const i = Number(tok);
      if (!Number.isInteger(i)) return fail(`face ${f}: vertex index '${tok}' is not an integer`);
      if (i < 0 || i >= nV) return fail(`face ${f}: vertex index ${i} is out of range (the file has ${nV} vertices)`);
      // Fan: (v0, v1, v2), (v0, v2, v3), ...
      if (j === 0) first = i;
      else if (j >= 2) {
        triangles[t++] = first;
        triangles[t++] = prev;
        triangles[t++] = i;
      }
      prev = i;
    }
  }
  if (r.next()) return fail(`unexpected content after the last of ${nF} faces: '${r.tokens.slice(0, r.count).join(' ')}'`);

  return { ok: true, mesh: { positions, triangles: t === triangles.length ? triangles : triangles.slice(0, t) } };
}
