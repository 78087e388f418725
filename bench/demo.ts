// Time to generate the demo dataset (what a first start spends before serving).
import { pathToFileURL } from 'node:url';
import { generateDemoDataset } from '../sync-server/src/demo/generate';

export async function run(): Promise<void> {
  const times: number[] = [];
  let photos = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    photos = generateDemoDataset().images.length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`demo generate_ms ${times[1]!.toFixed(0)} (${photos} photos, median of 3)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
