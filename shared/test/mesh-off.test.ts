import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOff, type OffResult } from '../src/mesh/off';
import { hasFixtures, IMAGENET3D } from './fixtures';

// The ImageNet3D CAD models, read in place (never copied into the project).
const cadDir = join(IMAGENET3D, 'cad') + sep;
const fixtures = !hasFixtures ? [] : readdirSync(cadDir)
  .sort()
  .flatMap((c) => readdirSync(cadDir + c).filter((f) => f.endsWith('.off')).sort().map((f) => `${c}/${f}`));

function mesh(r: OffResult) {
  if (!r.ok) throw new Error(`expected a mesh, got line ${r.error.line}: ${r.error.message}`);
  return r.mesh;
}

function error(r: OffResult) {
  if (r.ok) throw new Error('expected a parse error, got a mesh');
  return r.error;
}

const square = 'OFF\n4 1 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n4 0 1 2 3\n';

describe.skipIf(!hasFixtures)('parseOff on the ImageNet3D fixtures', () => {
  it('finds all 23 fixture meshes', () => expect(fixtures).toHaveLength(23));

  it.each(fixtures)('%s: counts match the header, first vertex and last face match the text', (name) => {
    const text = readFileSync(cadDir + name, 'utf8');
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    expect(lines[0]).toBe('OFF');
    const [nV, nF] = lines[1]!.split(/\s+/).map(Number) as [number, number];
    expect(lines).toHaveLength(2 + nV + nF);

    const m = mesh(parseOff(text));
    expect(m.positions).toBeInstanceOf(Float32Array);
    expect(m.triangles).toBeInstanceOf(Uint32Array);
    expect(m.positions.length).toBe(3 * nV);
    // Every fixture face is a triangle, so one triangle per face.
    expect(m.triangles.length).toBe(3 * nF);
    const first = lines[2]!.split(/\s+/).map((x) => Math.fround(Number(x)));
    expect(Array.from(m.positions.subarray(0, 3))).toEqual(first);
    const last = lines[lines.length - 1]!.split(/\s+/).map(Number);
    expect(last[0]).toBe(3);
    expect(Array.from(m.triangles.subarray(-3))).toEqual(last.slice(1, 4));
  });

  it('reads chair/02, a real CRLF file', () => {
    const text = readFileSync(cadDir + 'chair/02.off', 'utf8');
    expect(text).toContain('\r\n');
    const m = mesh(parseOff(text));
    expect(m.positions.length / 3).toBe(7882);
    expect(m.triangles.length / 3).toBe(18515);
  });
});

describe('parseOff accepts what real files contain', () => {
  const plain = mesh(parseOff('OFF\n4 2 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n3 0 1 2\n3 0 2 3\n'));

  it('reads a plain file', () => {
    expect(Array.from(plain.positions)).toEqual([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]);
    expect(Array.from(plain.triangles)).toEqual([0, 1, 2, 0, 2, 3]);
  });

  it('CRLF, comments, blank lines, trailing blanks, a BOM and no final newline', () => {
    const text =
      '\uFEFF# exported by hand\r\nOFF   \r\n\r\n# counts next\r\n  4 2 0 # edges unknown\r\n' +
      '0 0 0\t\r\n1 0 0 # corner\r\n\r\n1 1 0  \r\n0 1 0\r\n#faces\r\n3 0 1 2\r\n3 0 2 3   ';
    const m = mesh(parseOff(text));
    expect(m.positions).toEqual(plain.positions);
    expect(m.triangles).toEqual(plain.triangles);
  });

  it('counts on the header line, glued to the keyword, or without the edge count', () => {
    for (const head of ['OFF 4 2 0\n', 'OFF4 2 0\n', 'OFF\n4 2\n', 'OFF 4 2\n']) {
      const m = mesh(parseOff(head + '0 0 0\n1 0 0\n1 1 0\n0 1 0\n3 0 1 2\n3 0 2 3\n'));
      expect(m.triangles).toEqual(plain.triangles);
    }
  });

  it('fan-triangulates quads and larger polygons', () => {
    expect(Array.from(mesh(parseOff(square)).triangles)).toEqual([0, 1, 2, 0, 2, 3]);
    const pentagon = 'OFF\n5 1 0\n0 0 0\n2 0 0\n3 1 0\n1 2 0\n-1 1 0\n5 4 0 1 2 3\n';
    expect(Array.from(mesh(parseOff(pentagon)).triangles)).toEqual([4, 0, 1, 4, 1, 2, 4, 2, 3]);
  });

  it('mixes triangles and quads', () => {
    const m = mesh(parseOff('OFF\n5 2 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n0 0 1\n4 0 1 2 3\n3 0 1 4\n'));
    expect(Array.from(m.triangles)).toEqual([0, 1, 2, 0, 2, 3, 0, 1, 4]);
  });

  it('ignores per-face colours (integer or float RGB[A]) after the indices', () => {
    const m = mesh(parseOff('OFF\n4 2 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n3 0 1 2 255 0 0\n3 0 2 3 0.5 0.5 0.5 1\n'));
    expect(m.triangles).toEqual(plain.triangles);
  });

  it('reads COFF and NOFF, ignoring vertex colours and normals', () => {
    const coff = mesh(parseOff('COFF\n3 1 0\n0 0 0 255 0 0 255\n1 0 0 0 255 0 255\n0 1 0 0 0 255 255\n3 0 1 2\n'));
    expect(Array.from(coff.positions)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0]);
    const noff = mesh(parseOff('NOFF\n3 1 0\n0 0 0 0 0 1\n1 0 0 0 0 1\n0 1 0 0 0 1\n3 0 1 2\n'));
    expect(Array.from(noff.positions)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0]);
  });

  it('reads exponents and signs, rounding to float32', () => {
    const m = mesh(parseOff('OFF\n3 1 0\n1e-3 -2.5E+2 +0.1\n0 0 0\n0 0 0\n3 0 1 2\n'));
    expect(Array.from(m.positions.subarray(0, 3))).toEqual([Math.fround(0.001), -250, Math.fround(0.1)]);
  });

  it('reads an empty mesh', () => {
    const m = mesh(parseOff('OFF\n0 0 0\n'));
    expect(m.positions.length).toBe(0);
    expect(m.triangles.length).toBe(0);
  });
});

describe('parseOff rejects broken files, naming the line', () => {
  it('an empty file', () => {
    expect(error(parseOff(''))).toEqual({ line: 1, message: 'empty file: expected an OFF header' });
    expect(error(parseOff('# nothing\n\n'))).toEqual({ line: 2, message: 'empty file: expected an OFF header' });
  });

  it('a bad header', () => {
    expect(error(parseOff('# a PLY file\n\nply\nformat ascii 1.0\n'))).toEqual({ line: 3, message: "bad header 'ply': expected OFF" });
    expect(error(parseOff('OFFX\n3 1 0\n'))).toEqual({ line: 1, message: "bad header 'OFFX': expected OFF" });
    expect(error(parseOff('\n\n  off\n3 1 0\n'))).toEqual({ line: 3, message: "bad header 'off': expected OFF" });
  });

  it('a 4D or n-dimensional header', () => {
    expect(error(parseOff('4OFF\n1 0 0\n0 0 0 1\n'))).toEqual({
      line: 1,
      message: "unsupported header '4OFF': only 3D OFF files are read (no 4OFF or nOFF)",
    });
  });

  it('counts that are not integers', () => {
    expect(error(parseOff('OFF\n3 1.5 0\n'))).toEqual({ line: 2, message: "count '1.5' is not a non-negative integer" });
    expect(error(parseOff('OFF -3 1 0\n'))).toEqual({ line: 1, message: "count '-3' is not a non-negative integer" });
    expect(error(parseOff('OFF\n\nthree 1 0\n'))).toEqual({ line: 3, message: "count 'three' is not a non-negative integer" });
  });

  it('the wrong number of counts', () => {
    expect(error(parseOff('OFF\n3\n'))).toEqual({ line: 2, message: `expected counts "vertices faces [edges]", found '3'` });
    expect(error(parseOff('OFF 3 1 0 7\n'))).toEqual({ line: 1, message: `expected counts "vertices faces [edges]", found '3 1 0 7'` });
    expect(error(parseOff('OFF\n'))).toEqual({ line: 1, message: 'unexpected end of file: expected the counts line "vertices faces [edges]"' });
  });

  it('too few vertices', () => {
    expect(error(parseOff('OFF\n4 1 0\n0 0 0\n1 0 0\n'))).toEqual({ line: 4, message: 'unexpected end of file: expected 4 vertices, found 2' });
  });

  it('too few faces', () => {
    const text = 'OFF\n3 2 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n\n';
    expect(error(parseOff(text))).toEqual({ line: 7, message: 'unexpected end of file: expected 2 faces, found 1' });
  });

  it('a header that claims far more than the file holds, without allocating for it', () => {
    expect(error(parseOff('OFF\n4000000000 4000000000 0\n0 0 0\n'))).toEqual({
      line: 3,
      message: 'unexpected end of file: expected 4000000000 vertices, found 1',
    });
    expect(error(parseOff('OFF\n5000000000 1 0\n'))).toEqual({ line: 2, message: 'vertex count 5000000000 does not fit 32-bit indices' });
  });

  it('a vertex with fewer than 3 values', () => {
    expect(error(parseOff('OFF\n3 1 0\n0 0 0\n1 0\n0 1 0\n3 0 1 2\n'))).toEqual({ line: 4, message: 'vertex 1 has 2 values, expected x y z' });
  });

  it.each([
    ['nan', 'nan'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['-inf', '-inf'],
    ['1e39', '1e39'], // finite as a double, Infinity as a float32
    ['1.2.3', '1.2.3'],
    ['x', 'x'],
  ])('a non-finite coordinate %s', (value, shown) => {
    const text = `OFF\n3 1 0\n0 0 0\n# next\n1 ${value} 0\n0 1 0\n3 0 1 2\n`;
    expect(error(parseOff(text))).toEqual({ line: 5, message: `vertex 1: '${shown}' is not a finite number` });
  });

  it('a face index out of range', () => {
    const base = 'OFF\n3 2 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n';
    expect(error(parseOff(base + '3 0 1 3\n'))).toEqual({ line: 7, message: 'face 1: vertex index 3 is out of range (the file has 3 vertices)' });
    expect(error(parseOff(base + '3 -1 1 2\n'))).toEqual({ line: 7, message: 'face 1: vertex index -1 is out of range (the file has 3 vertices)' });
  });

  it('a face index that is not an integer', () => {
    expect(error(parseOff('OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1.5 2\n'))).toEqual({ line: 6, message: "face 0: vertex index '1.5' is not an integer" });
    expect(error(parseOff('OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\nthree 0 1 2\n'))).toEqual({ line: 6, message: "face 0: vertex count 'three' is not an integer" });
  });

  it('a face with fewer than 3 vertices', () => {
    expect(error(parseOff('OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n2 0 1\n'))).toEqual({ line: 6, message: 'face 0 has 2 vertices, at least 3 needed' });
  });

  it('a face that lists fewer indices than it declares', () => {
    expect(error(parseOff(square.replace('4 0 1 2 3', '4 0 1 2')))).toEqual({ line: 7, message: 'face 0 lists 3 of its 4 vertex indices' });
  });

  it('more lines than the header declares', () => {
    expect(error(parseOff(square + '\n3 0 1 2\n'))).toEqual({ line: 9, message: "unexpected content after the last of 1 faces: '3 0 1 2'" });
  });

  it('line numbers count CRLF lines once', () => {
    expect(error(parseOff('OFF\r\n3 1 0\r\n0 0 0\r\n1 nan 0\r\n'))).toEqual({ line: 4, message: "vertex 1: 'nan' is not a finite number" });
  });
});
