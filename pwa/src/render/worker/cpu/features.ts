// Feature edges in screen space. The mesh is rasterised into a triangle-id and depth buffer (the
// nearest surface per pixel, so hidden lines are gone by construction); then every pair of
// neighbouring pixels is compared. A line is drawn where
//   - one side is covered and the other not (silhouette, outer borders),
//   - the two faces fold by more than the crease angle (|cos| of their normals, because CAD meshes
//     are not consistently wound),
//   - the depth jumps by more than `depthTol` (one part in front of another, inner borders).
// This works on the unwelded triangle soups CAD meshes mostly are, where object-space adjacency does
// not exist, and its cost is bounded by the pixels the model covers rather than by its edge count.
import type { Frame, Ink, PixelBox } from './raster';

export interface FeatureOptions {
  /** Unit normal per triangle (faceNormals). */
  normals: Float32Array;
  /** cos of the crease angle: faces whose normals' |cos| is below it make a line. */
  cosCrease: number;
  /** Distance along the view axis (object units) that counts as a depth jump. */
  depthTol: number;
  /** Line width in device pixels (1 to 4). */
  lineWidth: number;
  /** Pixels outside this box are never written (the photo's area on the canvas). */
  clip: PixelBox;
}

/**
 * Draws the feature lines of the `ids`/`zbuf` buffers (see fillTriangles: ids -1 uncovered, zbuf
 * 1/w) within `box` into `out`, inked over `base`. Returns the number of line pixels found.
 */
export function resolveFeatures(out: Frame, base: Uint32Array, ids: Int32Array, zbuf: Float32Array, box: PixelBox, ink: Ink, o: FeatureOptions): number {
  const { data, width: w, height: h } = out;
  // One pixel more on each side: the ids there are -1 (clearBox keeps everything outside a mesh's
  // box clear), so a silhouette on the box's border still finds its uncovered neighbour.
  const x0 = Math.max(0, box[0] - 1), y0 = Math.max(0, box[1] - 1), x1 = Math.min(w, box[2] + 1), y1 = Math.min(h, box[3] + 1);
  const [cx0, cy0, cx1, cy1] = o.clip;
  const { normals, cosCrease, depthTol } = o;
  const lw = Math.max(1, Math.min(4, Math.round(o.lineWidth)));
  const lo = -((lw - 1) >> 1), hi = lo + lw - 1;
  const inv = ink.inv, irb = ink.rb, ig = ink.g;
  let found = 0;

  const paint = (i: number) => {
    found++;
    const px = i % w, py = (i - px) / w;
    for (let dy = lo; dy <= hi; dy++) {
      const y = py + dy;
      if (y < cy0 || y >= cy1) continue;
      for (let dx = lo; dx <= hi; dx++) {
        const x = px + dx;
        if (x < cx0 || x >= cx1) continue;
        const j = y * w + x, b = base[j]!;
        data[j] = 0xff000000 | ((((b & 0xff00ff) * inv + irb) >>> 8) & 0xff00ff) | ((((b & 0xff00) * inv + ig) >>> 8) & 0xff00);
      }
    }
  };

  /** Compares pixel i with its neighbour j; paints the one in front when they differ. */
  const edge = (i: number, j: number) => {
    const a = ids[i]!, b = ids[j]!;
    if (a === b) return;
    if (a < 0) return paint(j);
    if (b < 0) return paint(i);
    const za = zbuf[i]!, zb = zbuf[j]!;
    // |1/za - 1/zb| > depthTol, without dividing.
    const jump = Math.abs(zb - za) > depthTol * za * zb;
    if (!jump) {
      const ka = 3 * a, kb = 3 * b;
      const c = normals[ka]! * normals[kb]! + normals[ka + 1]! * normals[kb + 1]! + normals[ka + 2]! * normals[kb + 2]!;
      if ((c < 0 ? -c : c) >= cosCrease) return;
    }
    paint(za >= zb ? i : j);
  };

  for (let y = y0; y < y1; y++) {
    const row = y * w;
    const lastRow = y + 1 >= y1;
    for (let x = x0; x < x1; x++) {
      const i = row + x;
      const a = ids[i]!;
      // Inside one triangle or outside the mesh (most pixels): nothing to compare.
      const right = x + 1 < x1 && ids[i + 1] !== a, down = !lastRow && ids[i + w] !== a;
      if (right) edge(i, i + 1);
      if (down) edge(i, i + w);
    }
  }
  return found;
}
