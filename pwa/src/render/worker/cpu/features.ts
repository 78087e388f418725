// Feature edges in screen space. The mesh is rasterised into a triangle-id and depth buffer (the
// nearest surface per pixel, so hidden lines are gone by construction); then every pair of
// neighbouring pixels is compared. A line is drawn where
//   - one side is covered and the other not (silhouette, outer borders),
//   - the two faces fold by more than the crease angle (|cos| of their normals, because CAD meshes
//     are not consistently wound),
//   - the depth jumps by more than `depthTol` (one part in front of another, inner borders): the
//     neighbour lies off the plane of either pixel's triangle, so a steep face seen edge-on, whose
//     depth changes fast from pixel to pixel, is not a jump.
// This works on the unwelded triangle soups CAD meshes mostly are, where object-space adjacency does
// not exist, and its cost is bounded by the pixels the model covers rather than by its edge count.
//
// The buffers may be a coarser grid than the frame: one cell per `cell` x `cell` device pixels. A
// line is drawn `lineWidth` pixels wide anyway, so sampling the surface at the line's own pitch
// (`featureCell`) moves a line by at most one cell (its own width), while the fill and this pass
// touch cell² fewer samples: at the default 1.5 CSS px that is what keeps a 110k-face mesh in budget.
import type { Frame, Ink, PixelBox } from './raster';

export interface FeatureOptions {
  /** Unit normal per triangle (faceNormals). */
  normals: Float32Array;
  /** cos of the crease angle: faces whose normals' |cos| is below it make a line. */
  cosCrease: number;
  /** Distance along the view axis (object units) that counts as a depth jump. */
  depthTol: number;
  /** Per triangle its 1/w step per cell along x and y (fillTriangles' `gradients`). */
  gradients: Float32Array;
  /** Line width in device pixels (1 to 4). */
  lineWidth: number;
  /** Device pixels per buffer cell along each axis (default 1: the buffers are the frame's size). */
  cell?: number;
  /** Pixels outside this box are never written (the photo's area on the canvas). */
  clip: PixelBox;
}

/** Line width in whole device pixels, which is also the buffer cell that suits it. */
export function featureCell(lineWidth: number): number {
  return Math.max(1, Math.min(4, Math.round(lineWidth)));
}

/**
 * Draws the feature lines of the `ids`/`zbuf` buffers (see fillTriangles: ids -1 uncovered, zbuf
 * 1/w; ceil(frame size / cell) cells a row) within `box` (cells) into `out`, inked over `base`.
 * `marks` (one byte per cell) must be all 0 and is left so; `list` (one int per cell) is scratch.
 * Returns the number of line cells found.
 */
export function resolveFeatures(out: Frame, base: Uint32Array, ids: Int32Array, zbuf: Float32Array, box: PixelBox, ink: Ink, o: FeatureOptions, marks: Uint8Array, list: Int32Array): number {
  const { data, width: fw } = out;
  const cell = o.cell ?? 1;
  const w = Math.ceil(fw / cell), h = Math.ceil(out.height / cell);
  // One pixel more on each side: the ids there are -1 (clearBox keeps everything outside a mesh's
  // box clear), so a silhouette on the box's border still finds its uncovered neighbour.
  const x0 = Math.max(0, box[0] - 1), y0 = Math.max(0, box[1] - 1), x1 = Math.min(w, box[2] + 1), y1 = Math.min(h, box[3] + 1);
  const { normals, cosCrease, depthTol, gradients } = o;
  let found = 0;
  // Pass 1: mark the pixel in front of every differing neighbour pair (right and down neighbours).
  for (let y = y0; y < y1; y++) {
    const row = y * w;
    const last = y + 1 >= y1;
    for (let x = x0; x < x1; x++) {
      const i = row + x;
      const a = ids[i]!;
      for (let k = 0; k < 2; k++) {
        let j: number;
        if (k === 0) {
          if (x + 1 >= x1) continue;
          j = i + 1;
        } else {
          if (last) continue;
          j = i + w;
        }
        const b = ids[j]!;
        if (a === b) continue;
        let mark: number;
        if (a < 0) mark = j;
        else if (b < 0) mark = i;
        else {
          const za = zbuf[i]!, zb = zbuf[j]!;
          // How far j lies off a's plane and i off b's: 1/w steps by the gradient from one cell to
          // the next. The smaller, as a distance (|1/z1 - 1/z2| = |z2 - z1| / (z1 z2)), over depthTol
          // is a jump; checked without dividing.
          const d = zb - za;
          const da = d - gradients[2 * a + k]!, db = d - gradients[2 * b + k]!;
          const off = (da < 0 ? -da : da) < (db < 0 ? -db : db) ? (da < 0 ? -da : da) : db < 0 ? -db : db;
          if (off <= depthTol * za * zb) {
            const ka = 3 * a, kb = 3 * b;
            const c = normals[ka]! * normals[kb]! + normals[ka + 1]! * normals[kb + 1]! + normals[ka + 2]! * normals[kb + 2]!;
            if ((c < 0 ? -c : c) >= cosCrease) continue;
          }
          mark = za >= zb ? i : j;
        }
        if (marks[mark] === 0) {
          marks[mark] = 1;
          list[found++] = mark;
        }
      }
    }
  }
  // Pass 2: ink the marks with a square brush of the line width centred on the cell, inside the
  // clip; clear them again. With one pixel a cell that is the pixel and the next (lw 2), or the
  // pixel and its neighbours (lw 3).
  const [cx0, cy0, cx1, cy1] = o.clip;
  const lw = featureCell(o.lineWidth);
  const lo = Math.round(cell / 2 - lw / 2), hi = lo + lw - 1;
  const inv = ink.inv, irb = ink.rb, ig = ink.g;
  for (let n = 0; n < found; n++) {
    const i = list[n]!;
    marks[i] = 0;
    const gx = i % w, x = gx * cell, y = ((i - gx) / w) * cell;
    const ya = Math.max(cy0, y + lo), yb = Math.min(cy1 - 1, y + hi);
    const xa = Math.max(cx0, x + lo), xb = Math.min(cx1 - 1, x + hi);
    for (let yy = ya; yy <= yb; yy++) {
      for (let xx = xa; xx <= xb; xx++) {
        const j = yy * fw + xx, px = base[j]!;
        data[j] = 0xff000000 | ((((px & 0xff00ff) * inv + irb) >>> 8) & 0xff00ff) | ((((px & 0xff00) * inv + ig) >>> 8) & 0xff00);
      }
    }
  }
  return found;
}
