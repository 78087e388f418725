// The reference fixtures live beside the repository (../shared/fixtures), never inside it. A lone clone has
// no such folder: tests that read it skip (`describe.skipIf(!hasFixtures)`) and the global setup says so once.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `<repo>/../shared/fixtures`, resolved from this file so it does not depend on the working directory. */
export const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures', import.meta.url));
/** The ImageNet3D fixture folder: camera_vectors.json, cad/, legacy/. */
export const IMAGENET3D = join(FIXTURES, 'imagenet3d');
export const hasFixtures = existsSync(IMAGENET3D);
/** The one line a run prints when the fixtures are missing. */
export const missingFixturesLine = `fixtures missing: ${IMAGENET3D} not found; tests and benchmarks that read it are skipped`;
