// Level of detail while the user drags. Only the wireframe needs it: its cost grows with the edge
// count, while fills are bounded by covered pixels. A dense mesh seen small is mostly edges shorter
// than a pixel or two, many per pixel, so drawing one in four of those (see `drawEdges`) leaves the
// picture almost unchanged. How short counts as short depends on how the last frame went: devices
// that draw the whole mesh within budget lose next to nothing. The frame after the drag always
// draws every edge.

/** Meshes with fewer edges than this are always drawn complete. */
export const LOD_MIN_EDGES = 20_000;
/** Device pixels: shorter edges are thinned while interacting. */
export const LOD_MIN_LENGTH = 0.5;
/** Used instead when the previous wireframe frame took longer than `FRAME_BUDGET_MS`. */
export const LOD_MIN_LENGTH_SLOW = 2;
export const FRAME_BUDGET_MS = 12;

export function minEdgeLength(edgeCount: number, interacting: boolean, lastFrameMs = 0): number {
  if (!interacting || edgeCount < LOD_MIN_EDGES) return 0;
  return lastFrameMs > FRAME_BUDGET_MS ? LOD_MIN_LENGTH_SLOW : LOD_MIN_LENGTH;
}
