// The in-memory mesh every part of the app agrees on: flat typed arrays, so it can be transferred
// to and from workers without copying and uploaded to WebGL as is.

/** A triangle mesh in object units (see `ObjectUnits`). */
export interface Mesh {
  /** xyz per vertex; vertexCount = positions.length / 3. */
  positions: Float32Array;
  /** Three vertex indices per triangle; triangleCount = triangles.length / 3. */
  triangles: Uint32Array;
}
