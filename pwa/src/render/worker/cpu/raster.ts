// The CPU rasterizer: plain loops over typed arrays, no canvas calls, so it runs the same in a worker,
// on the main thread and in unit tests. Software WebGL is several times slower than this on a CPU
// because every line becomes two triangles through an emulated pipeline.
//
// Pixel (i, j) covers [i, i+1) x [j, j+1) in device coordinates; its centre is (i + 0.5, j + 0.5).
// Colours are packed as ImageData reads them on little-endian machines: 0xAABBGGRR.

/** A packed RGBA frame. */
export interface Frame {
  data: Uint32Array;
  width: number;
  height: number;
}

/** A screen-space box [x0, y0, x1, y1) in whole pixels, clamped to the frame. */
export type PixelBox = [number, number, number, number];

/** Blends `color` at `alpha` (0..1) over opaque `base` pixels; writing the same pixel twice is harmless. */
export interface Ink {
  rb: number;
  g: number;
  inv: number;
}

export function makeInk(color: number, alpha: number): Ink {
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 256);
  return { rb: (color & 0xff00ff) * a, g: (color & 0xff00) * a, inv: 256 - a };
}

/** base ⊕ ink for one pixel, always opaque. `>>>` because the products exceed 2^31. */
export function blend(base: number, ink: Ink): number {
  const rb = ((((base & 0xff00ff) * ink.inv + ink.rb) >>> 8) & 0xff00ff);
  const g = ((((base & 0xff00) * ink.inv + ink.g) >>> 8) & 0xff00);
  return (0xff000000 | rb | g) >>> 0;
}

/**
 * Draws every edge (pairs of vertex indices into `xy`, device pixels) as a 1-pixel line, inked over
 * `base` into `out`. Inking reads `base`, not `out`, so where lines cross the tint stays uniform instead
 * of going opaque in dense parts of a mesh. Edges with an endpoint behind the camera (NaN) are skipped, edges entirely off
 * one side of the frame are rejected before any work. Level of detail while dragging: of the edges
 * shorter than `minLength` pixels only every `stride`-th is drawn (0 draws everything). Thinning
 * rather than dropping them keeps a dense mesh seen small visible: its pixels are each crossed by
 * many short edges. Lines are clipped to `clip` (default: the frame). Returns the number drawn.
 */
export function drawEdges(out: Frame, base: Uint32Array, xy: Float32Array, edges: Uint32Array, ink: Ink, minLength = 0, stride = 4, clip?: PixelBox): number {
  const { data, width: w } = out;
  const [cx0, cy0, cx1, cy1] = clip ?? [0, 0, out.width, out.height];
  const inv = ink.inv, irb = ink.rb, ig = ink.g;
  const minLen2 = minLength * minLength;
  const n = edges.length >> 1;
  let drawn = 0;
  for (let e = 0; e < n; e++) {
    const a = edges[2 * e]! << 1, b = edges[2 * e + 1]! << 1;
    let x0 = xy[a]!, y0 = xy[a + 1]!, x1 = xy[b]!, y1 = xy[b + 1]!;
    // NaN fails every comparison below, so test it explicitly.
    if (x0 !== x0 || x1 !== x1) continue;
    if ((x0 < cx0 && x1 < cx0) || (y0 < cy0 && y1 < cy0) || (x0 >= cx1 && x1 >= cx1) || (y0 >= cy1 && y1 >= cy1)) continue;
    let dx = x1 - x0, dy = y1 - y0;
    if (dx * dx + dy * dy < minLen2 && e % stride !== 0) continue;
    if (x0 < cx0 || x0 >= cx1 || y0 < cy0 || y0 >= cy1 || x1 < cx0 || x1 >= cx1 || y1 < cy0 || y1 >= cy1) {
      // Liang–Barsky against the clip box; the small margin keeps floor() inside it.
      let t0 = 0, t1 = 1;
      const xmax = cx1 - 1e-4, ymax = cy1 - 1e-4;
      const p = [-dx, dx, -dy, dy], q = [x0 - cx0, xmax - x0, y0 - cy0, ymax - y0];
      let visible = true;
      for (let k = 0; k < 4; k++) {
        const pk = p[k]!, qk = q[k]!;
        if (pk === 0) {
          if (qk < 0) { visible = false; break; }
        } else {
          const r = qk / pk;
          if (pk < 0) { if (r > t1) { visible = false; break; } if (r > t0) t0 = r; }
          else { if (r < t0) { visible = false; break; } if (r < t1) t1 = r; }
        }
      }
      if (!visible) continue;
      const nx0 = x0 + t0 * dx, ny0 = y0 + t0 * dy;
      x1 = x0 + t1 * dx;
      y1 = y0 + t1 * dy;
      x0 = nx0;
      y0 = ny0;
      dx = x1 - x0;
      dy = y1 - y0;
    }
    drawn++;
    const adx = dx < 0 ? -dx : dx, ady = dy < 0 ? -dy : dy;
    const steps = Math.ceil(adx > ady ? adx : ady);
    const sx = steps > 0 ? dx / steps : 0, sy = steps > 0 ? dy / steps : 0;
    let x = x0, y = y0;
    for (let s = 0; s <= steps; s++) {
      const i = (y | 0) * w + (x | 0);
      const px = base[i]!;
      data[i] = 0xff000000 | ((((px & 0xff00ff) * inv + irb) >>> 8) & 0xff00ff) | ((((px & 0xff00) * inv + ig) >>> 8) & 0xff00);
      x += sx;
      y += sy;
    }
  }
  return drawn;
}

/**
 * Screen bounds of the projected points, clamped to the frame, or null if none is visible.
 * Used to limit buffer clears and resolve passes to where the mesh is.
 */
export function projectedBox(xy: Float32Array, width: number, height: number): PixelBox | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    const x = xy[i]!, y = xy[i + 1]!;
    if (x !== x) continue;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const bx0 = Math.max(0, Math.floor(x0)), by0 = Math.max(0, Math.floor(y0));
  const bx1 = Math.min(width, Math.ceil(x1) + 1), by1 = Math.min(height, Math.ceil(y1) + 1);
  return bx0 < bx1 && by0 < by1 ? [bx0, by0, bx1, by1] : null;
}

/**
 * Scan-converts triangles into `ids` (one Int32 per pixel): a pixel whose centre lies inside a
 * triangle (top-left-ish rule: spans are [left, right)) gets that triangle's index. With `depth`
 * (1/w per vertex, larger is nearer) and a `zbuf`, the nearest triangle wins; without, the last
 * one does, which is all a silhouette needs. Triangles with a vertex behind the camera are skipped.
 * `ids` and `zbuf` must be cleared (-1 and 0) by the caller over the area that can be touched.
 * With `gradients` (two per triangle), each drawn triangle's depth step per pixel along x and y is
 * kept there, so feature edges can tell a depth jump from a steep but continuous surface.
 */
export function fillTriangles(
  ids: Int32Array,
  width: number,
  height: number,
  xy: Float32Array,
  triangles: Uint32Array,
  depth: Float32Array | null,
  zbuf: Float32Array | null,
  gradients: Float32Array | null = null,
  /** Added to each triangle's index in `ids`: a slice of a mesh's triangles drawn on its own (thumbnails in steps). */
  firstId = 0,
  /** Only these triangles (indices, in order), e.g. a FillMesh's faces (cpu/unique.ts); null: all. */
  only: Uint32Array | null = null,
): number {
  const nT = only ? only.length : (triangles.length / 3) | 0;
  const useZ = depth !== null && zbuf !== null;
  let filled = 0;
  for (let k = 0; k < nT; k++) {
    const t = only ? only[k]! : k;
    let ia = triangles[3 * t]!, ib = triangles[3 * t + 1]!, ic = triangles[3 * t + 2]!;
    let ax = xy[2 * ia]!, ay = xy[2 * ia + 1]!, bx = xy[2 * ib]!, by = xy[2 * ib + 1]!, cx = xy[2 * ic]!, cy = xy[2 * ic + 1]!;
    if (ax !== ax || bx !== bx || cx !== cx) continue;
    // Most triangles of a dense mesh seen small hold no pixel centre: reject them before any sorting.
    const loY = ay < by ? (ay < cy ? ay : cy) : by < cy ? by : cy;
    const hiY = ay > by ? (ay > cy ? ay : cy) : by > cy ? by : cy;
    // Rows whose centre y + 0.5 lies in [top, bottom), likewise columns.
    let rowStart = Math.ceil(loY - 0.5), rowEnd = Math.ceil(hiY - 0.5);
    if (rowStart >= rowEnd || rowEnd <= 0 || rowStart >= height) continue;
    const loX = ax < bx ? (ax < cx ? ax : cx) : bx < cx ? bx : cx;
    const hiX = ax > bx ? (ax > cx ? ax : cx) : bx > cx ? bx : cx;
    if (Math.ceil(loX - 0.5) >= Math.ceil(hiX - 0.5) || hiX < 0 || loX >= width) continue;
    // Sort by y: a on top, c at the bottom.
    if (by < ay) { let s = ax; ax = bx; bx = s; s = ay; ay = by; by = s; const i = ia; ia = ib; ib = i; }
    if (cy < by) { let s = bx; bx = cx; cx = s; s = by; by = cy; cy = s; const i = ib; ib = ic; ic = i; }
    if (by < ay) { let s = ax; ax = bx; bx = s; s = ay; ay = by; by = s; const i = ia; ia = ib; ib = i; }
    if (rowStart < 0) rowStart = 0;
    if (rowEnd > height) rowEnd = height;
    const id = t + firstId;
    // Depth as a plane over the screen: z = za + zx (x - ax) + zy (y - ay).
    let za = 0, zx = 0, zy = 0;
    if (useZ) {
      za = depth[ia]!;
      const zb = depth[ib]!, zc = depth[ic]!;
      const e1x = bx - ax, e1y = by - ay, e2x = cx - ax, e2y = cy - ay;
      const det = e1x * e2y - e2x * e1y;
      if (det !== 0) {
        zx = ((zb - za) * e2y - (zc - za) * e1y) / det;
        zy = ((zc - za) * e1x - (zb - za) * e2x) / det;
      }
      if (gradients) {
        gradients[2 * id] = zx;
        gradients[2 * id + 1] = zy;
      }
    }
    const longSlope = (cx - ax) / (cy - ay);
    const topSlope = by > ay ? (bx - ax) / (by - ay) : 0;
    const botSlope = cy > by ? (cx - bx) / (cy - by) : 0;
    for (let y = rowStart; y < rowEnd; y++) {
      const yc = y + 0.5;
      const xl = ax + (yc - ay) * longSlope;
      const xs = yc < by ? ax + (yc - ay) * topSlope : bx + (yc - by) * botSlope;
      const left = xl < xs ? xl : xs, right = xl < xs ? xs : xl;
      let x0 = Math.ceil(left - 0.5), x1 = Math.ceil(right - 0.5);
      if (x0 < 0) x0 = 0;
      if (x1 > width) x1 = width;
      if (x0 >= x1) continue;
      const row = y * width;
      if (useZ) {
        let z = za + zx * (x0 + 0.5 - ax) + zy * (yc - ay);
        for (let x = x0; x < x1; x++, z += zx) {
          const i = row + x;
          if (z > zbuf[i]!) {
            zbuf[i] = z;
            ids[i] = id;
          }
        }
      } else if (x1 - x0 > 16) ids.fill(id, row + x0, row + x1);
      else for (let x = x0; x < x1; x++) ids[row + x] = id;
      filled += x1 - x0;
    }
  }
  return filled;
}

/** Outline width in device pixels: one pixel disappears against a busy photo. */
export const OUTLINE_PX = 2;

/**
 * Turns a coverage buffer into the silhouette overlay within `box`: covered pixels within
 * `OUTLINE_PX` (4-neighbour steps along an axis) of an uncovered or off-frame pixel get `edge`, the
 * inside gets `fill`.
 */
export function resolveSilhouette(out: Frame, base: Uint32Array, ids: Int32Array, box: PixelBox, edge: Ink, fill: Ink | null): number {
  const { data, width: w, height: h } = out;
  const [bx0, by0, bx1, by1] = box;
  const k = OUTLINE_PX;
  let covered = 0;
  for (let y = by0; y < by1; y++) {
    const row = y * w;
    for (let x = bx0; x < bx1; x++) {
      const i = row + x;
      if (ids[i]! < 0) continue;
      covered++;
      let border = x < k || x >= w - k || y < k || y >= h - k;
      for (let d = 1; d <= k && !border; d++)
        border = ids[i - d]! < 0 || ids[i + d]! < 0 || ids[i - d * w]! < 0 || ids[i + d * w]! < 0;
      if (border) data[i] = blend(base[i]!, edge);
      else if (fill) data[i] = blend(base[i]!, fill);
    }
  }
  return covered;
}

/**
 * Shaded resolve: each covered pixel gets its triangle's shade (packed colour per triangle) at `alpha`.
 * `box` is in device pixels; `ids` may be a grid of `cell` x `cell` pixels a sample (ceil(width / cell) a row).
 */
export function resolveShaded(out: Frame, base: Uint32Array, ids: Int32Array, box: PixelBox, shades: Uint32Array, alpha: number, cell = 1): number {
  const { data, width: w } = out;
  const gw = Math.ceil(w / cell);
  const [bx0, by0, bx1, by1] = box;
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 256), inv = 256 - a;
  let covered = 0;
  if (cell === 1) {
    for (let y = by0; y < by1; y++) {
      for (let i = y * w + bx0, end = y * w + bx1; i < end; i++) {
        const t = ids[i]!;
        if (t < 0) continue;
        covered++;
        const c = shades[t]!, px = base[i]!;
        data[i] = 0xff000000 | ((((px & 0xff00ff) * inv + (c & 0xff00ff) * a) >>> 8) & 0xff00ff) | ((((px & 0xff00) * inv + (c & 0xff00) * a) >>> 8) & 0xff00);
      }
    }
    return covered;
  }
  // Cell by cell: one id read and one shade per cell, then its pixels inside the box.
  const gx0 = (bx0 / cell) | 0, gx1 = Math.ceil(bx1 / cell);
  for (let gy = (by0 / cell) | 0, gy1 = Math.ceil(by1 / cell); gy < gy1; gy++) {
    const grow = gy * gw;
    const ya = Math.max(by0, gy * cell), yb = Math.min(by1, gy * cell + cell);
    for (let gx = gx0; gx < gx1; gx++) {
      const t = ids[grow + gx]!;
      if (t < 0) continue;
      const xa = gx * cell < bx0 ? bx0 : gx * cell, xb = gx * cell + cell > bx1 ? bx1 : gx * cell + cell;
      const c = shades[t]!, crb = (c & 0xff00ff) * a, cg = (c & 0xff00) * a;
      if (cell === 2 && xb - xa === 2 && yb - ya === 2) {
        // A whole 2x2 cell (dpr 2): its four pixels without the loops.
        const i = ya * w + xa;
        let px = base[i]!;
        data[i] = 0xff000000 | ((((px & 0xff00ff) * inv + crb) >>> 8) & 0xff00ff) | ((((px & 0xff00) * inv + cg) >>> 8) & 0xff00);
        px = base[i + 1]!;
        data[i + 1] = 0xff000000 | ((((px & 0xff00ff) * inv + crb) >>> 8) & 0xff00ff) | ((((px & 0xff00) * inv + cg) >>> 8) & 0xff00);
        px = base[i + w]!;
        data[i + w] = 0xff000000 | ((((px & 0xff00ff) * inv + crb) >>> 8) & 0xff00ff) | ((((px & 0xff00) * inv + cg) >>> 8) & 0xff00);
        px = base[i + w + 1]!;
        data[i + w + 1] = 0xff000000 | ((((px & 0xff00ff) * inv + crb) >>> 8) & 0xff00ff) | ((((px & 0xff00) * inv + cg) >>> 8) & 0xff00);
        covered += 4;
        continue;
      }
      for (let y = ya; y < yb; y++) {
        for (let i = y * w + xa, end = y * w + xb; i < end; i++) {
          const px = base[i]!;
          data[i] = 0xff000000 | ((((px & 0xff00ff) * inv + crb) >>> 8) & 0xff00ff) | ((((px & 0xff00) * inv + cg) >>> 8) & 0xff00);
        }
      }
      covered += (yb - ya) * (xb - xa);
    }
  }
  return covered;
}

/** Sets `marks[t]` to 1 for every triangle `t` that holds a pixel of `box` in `ids`. */
export function markCovered(ids: Int32Array, width: number, box: PixelBox, marks: Uint32Array): void {
  const [bx0, by0, bx1, by1] = box;
  for (let y = by0; y < by1; y++) {
    for (let i = y * width + bx0, end = y * width + bx1; i < end; i++) {
      const t = ids[i]!;
      if (t >= 0) marks[t] = 1;
    }
  }
}

/** Clears `ids` to -1 (and `zbuf` to 0) over `box`. */
export function clearBox(ids: Int32Array, zbuf: Float32Array | null, width: number, box: PixelBox): void {
  const [bx0, by0, bx1, by1] = box;
  for (let y = by0; y < by1; y++) {
    ids.fill(-1, y * width + bx0, y * width + bx1);
    zbuf?.fill(0, y * width + bx0, y * width + bx1);
  }
}

/** Copies `box` of `src` into `dst` (both `width` pixels a row): a frame's overlay undone from its base. */
export function copyBox(dst: Uint32Array, src: Uint32Array, width: number, [x0, y0, x1, y1]: PixelBox): void {
  for (let y = y0; y < y1; y++) dst.set(src.subarray(y * width + x0, y * width + x1), y * width + x0);
}

/** Axis-aligned rectangle outline, `thickness` device pixels, inked over the frame. */
export function strokeRect(out: Frame, x0: number, y0: number, x1: number, y1: number, ink: Ink, thickness = 1): void {
  const { data, width: w, height: h } = out;
  const fillRow = (y: number, xa: number, xb: number) => {
    if (y < 0 || y >= h) return;
    for (let x = Math.max(0, xa); x < Math.min(w, xb); x++) data[y * w + x] = blend(data[y * w + x]!, ink);
  };
  const fillCol = (x: number, ya: number, yb: number) => {
    if (x < 0 || x >= w) return;
    for (let y = Math.max(0, ya); y < Math.min(h, yb); y++) data[y * w + x] = blend(data[y * w + x]!, ink);
  };
  const l = Math.floor(x0), t = Math.floor(y0), r = Math.floor(x1), b = Math.floor(y1);
  for (let k = 0; k < thickness; k++) {
    fillRow(t + k, l, r + 1);
    fillRow(b - k, l, r + 1);
    fillCol(l + k, t + thickness, b - thickness + 1);
    fillCol(r - k, t + thickness, b - thickness + 1);
  }
}
