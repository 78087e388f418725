// The demo CAD models go out in the current mesh format (version 2, what the seed stores) and come
// back as the same geometry, with the edge list the overlay draws.
import { describe, it } from 'vitest';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import { expectSameGeometry } from '../../shared/test/mesh-testing';
import { demoCategories } from '../src/demo/meshes';

describe('demo meshes in mesh format 2', () => {
  const all = demoCategories().flatMap((c) => c.subtypes.map((s) => ({ name: `${c.category}/${s.subtype} ${s.name}`, mesh: s.mesh })));
  it.each(all)('$name round-trips', async ({ mesh }) => {
    await expectSameGeometry(mesh, encodeMesh(mesh));
  });
});
