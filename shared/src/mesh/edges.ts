// The wireframe overlay draws every mesh edge once. Triangles share edges, so the edge list is the
// undirected triangle sides with duplicates removed.

/**
 * Every undirected edge of `triangles` once, as pairs (a, b) with a < b, sorted by a then b.
 * Degenerate sides (a triangle that repeats a vertex) are left out.
 *
 * A counting sort on the smaller vertex (CSR layout) instead of a hash of keys: linear time, no
 * 64-bit keys, and the sorted output delta-codes well in the binary format.
 *
 * @throws RangeError if `triangles.length` is not a multiple of 3 or an index is ≥ `vertexCount`.
 */
export function uniqueEdges(triangles: Uint32Array, vertexCount: number): Uint32Array {
  const n = triangles.length;
  if (n % 3 !== 0) throw new RangeError(`triangles has ${n} indices, not a multiple of 3`);
  const start = new Uint32Array(vertexCount + 1);
  for (let i = 0; i < n; i++) {
    if (triangles[i]! >= vertexCount) throw new RangeError(`triangle index ${triangles[i]} ≥ vertex count ${vertexCount}`);
  }
  // Pass 1: how many sides each vertex is the smaller end of.
  for (let i = 0; i < n; i += 3) {
    const a = triangles[i]!, b = triangles[i + 1]!, c = triangles[i + 2]!;
    if (a !== b) start[(a < b ? a : b) + 1]!++;
    if (b !== c) start[(b < c ? b : c) + 1]!++;
    if (c !== a) start[(c < a ? c : a) + 1]!++;
  }
  for (let v = 0; v < vertexCount; v++) start[v + 1]! += start[v]!;
  // Pass 2: bucket the larger ends by the smaller end.
  const fill = start.slice(0, vertexCount);
  const other = new Uint32Array(start[vertexCount]!);
  for (let i = 0; i < n; i += 3) {
    const a = triangles[i]!, b = triangles[i + 1]!, c = triangles[i + 2]!;
    if (a !== b) other[fill[a < b ? a : b]!++] = a < b ? b : a;
    if (b !== c) other[fill[b < c ? b : c]!++] = b < c ? c : b;
    if (c !== a) other[fill[c < a ? c : a]!++] = c < a ? a : c;
  }
  // Pass 3: sort each bucket and keep the first of each run. Buckets are small (a vertex's degree),
  // so insertion sort, except for the odd hub vertex of a fan.
  const out = new Uint32Array(2 * other.length);
  let e = 0;
  for (let v = 0; v < vertexCount; v++) {
    const lo = start[v]!, hi = start[v + 1]!;
    if (hi - lo > 32) other.subarray(lo, hi).sort();
    else {
      for (let i = lo + 1; i < hi; i++) {
        const x = other[i]!;
        let j = i - 1;
        while (j >= lo && other[j]! > x) {
          other[j + 1] = other[j]!;
          j--;
        }
        other[j + 1] = x;
      }
    }
    for (let i = lo; i < hi; i++) {
      const b = other[i]!;
      if (i > lo && b === other[i - 1]) continue;
      out[e++] = v;
      out[e++] = b;
    }
  }
  return out.slice(0, e);
}
