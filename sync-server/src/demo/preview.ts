// Writes the generated demo photos to a folder for people to look at, with a JSON summary of the
// questions and tasks (meshes left out).
//
//   npx tsx sync-server/src/demo/preview.ts <out-dir> [--seed N] [--per-category N]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateDemoDataset } from './generate';

function main(argv: string[]): void {
  const args = [...argv];
  let seed: number | undefined, perCategory: number | undefined, out: string | undefined;
  while (args.length > 0) {
    const a = args.shift()!;
    if (a === '--seed') seed = Number(args.shift());
    else if (a === '--per-category') perCategory = Number(args.shift());
    else if (!a.startsWith('--') && out === undefined) out = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!out) {
    console.error('usage: tsx sync-server/src/demo/preview.ts <out-dir> [--seed N] [--per-category N]');
    process.exit(2);
  }
  const dir = resolve(out);
  const t0 = performance.now(), c0 = process.cpuUsage();
  const ds = generateDemoDataset({ seed, photosPerCategory: perCategory });
  const ms = performance.now() - t0, cpu = process.cpuUsage(c0);
  mkdirSync(dir, { recursive: true });
  for (const im of ds.images) writeFileSync(join(dir, im.fileName), im.jpeg);
  const summary = {
    cads: ds.cads.map((c) => ({ category: c.category, subtype: c.subtype, name: c.name, vertices: c.mesh.positions.length / 3, triangles: c.mesh.triangles.length / 3 })),
    images: ds.images.map(({ jpeg, ...rest }) => ({ ...rest, bytes: jpeg.length })),
    questions: ds.questions,
    tasks: ds.tasks,
  };
  writeFileSync(join(dir, 'dataset.json'), JSON.stringify(summary, null, 1));
  console.log(`${ds.images.length} photos, ${ds.questions.length} questions, ${ds.cads.length} CAD models in ${ms.toFixed(0)} ms (CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms) -> ${dir}`);
}

main(process.argv.slice(2));
