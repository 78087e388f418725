// Level of detail while the user drags. Only the wireframe needs it: its cost grows with the edge
// count, while fills are bounded by covered pixels. A dense mesh seen small is mostly edges shorter
// than half a pixel, many per pixel, so drawing one in four of those (see `drawEdges`) leaves the
// picture almost unchanged. The frame after the drag always draws every edge.

/** Meshes with fewer edges than this are always drawn complete. */
export const LOD_MIN_EDGES = 20_000;
/** Device pixels: shorter edges are skipped while interacting. */
export const LOD_MIN_LENGTH = 0.5;

export function minEdgeLength(edgeCount: number, interacting: boolean): number {
  return interacting && edgeCount >= LOD_MIN_EDGES ? LOD_MIN_LENGTH : 0;
}
