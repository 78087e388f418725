// Cost of the poison guards (shared/SPEC.md R31, R32, R35) on a full push: the depth-checked parse of a
// 200-mutation body against plain JSON.parse, and the per-mutation limit check (one walk + one
// JSON.stringify each). `npx tsx bench/sync-poison.ts` (or `npm run bench -- sync-poison`). One figure a line.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { MAX_PUSH_DEPTH, MAX_PUSH_MUTATIONS, mutationLimitProblem } from '@in3d/shared/protocol';
import { parseJsonLimited } from '@in3d/shared/safe-json';

const mutation = (seq: number) => ({
  id: randomUUID(), seq, kind: 'annotation.save', questionId: `q${seq}`, taskId: 'task-1', baseRevisionId: null, supersedes: [],
  values: { pose: { azimuth: seq % 360, elevation: 10, theta: 0, distance: 5, px: 320, py: 240 }, subtype: 1, objectStatus: 'status_good', dense: 'dense_no', activeMs: 1000 },
  clientSavedAt: new Date().toISOString(),
});

/** Median milliseconds of `fn` over `n` runs (after a warm-up). */
function median(n: number, fn: () => void): number {
  for (let i = 0; i < 20; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

export async function run(): Promise<void> {
  const mutations = Array.from({ length: MAX_PUSH_MUTATIONS }, (_, i) => mutation(i + 1));
  const text = JSON.stringify({ clientId: randomUUID(), mutations });
  const plain = median(300, () => JSON.parse(text));
  const limited = median(300, () => parseJsonLimited(text, MAX_PUSH_DEPTH));
  const checks = median(300, () => mutations.forEach(mutationLimitProblem));
  console.log(`push body ${(text.length / 1024).toFixed(0)} KiB, ${MAX_PUSH_MUTATIONS} mutations`);
  console.log(`JSON.parse: ${plain.toFixed(3)} ms (median of 300)`);
  console.log(`depth-checked parse: ${limited.toFixed(3)} ms (median of 300)`);
  console.log(`per-mutation limit checks, all ${MAX_PUSH_MUTATIONS}: ${checks.toFixed(3)} ms (median of 300)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
