// The in-memory mesh every part of the app agrees on: flat typed arrays, so it can be transferred
// to and from workers without copying and uploaded to WebGL as is.

/** A triangle mesh in object units (see `ObjectUnits`). */
export interface Mesh {
  /** xyz per vertex; vertexCount = positions.length / 3. */
  positions: Float32Array;
  /** Three vertex indices per triangle; triangleCount = triangles.length / 3. */
  triangles: Uint32Array;
}

export type Vec3 = [number, number, number];

/** What `decodeMesh` gives back: the mesh plus what the overlay needs precomputed. */
export interface DecodedMesh extends Mesh {
  /** Every undirected edge once, (a, b) pairs with a < b, sorted: the output of `uniqueEdges`. */
  edges: Uint32Array;
  /** Bounding box of the original (unquantised) positions. */
  min: Vec3;
  max: Vec3;
  vertexCount: number;
  triangleCount: number;
  edgeCount: number;
}
