// A/B evaluation: a few pairs fetched at once and kept on the device, so judging goes on offline; a pick
// is an `ab.pick` mutation in the one outbox (SPEC R20, R24), sent exactly once by the sync engine.
import type { AbChoice, AbPair } from '@in3d/shared/quality';
import type { DataStore } from '../data/contract';

const BATCH = 10;
/** Questions picked in this tab: an acknowledged pick leaves the outbox, but the kept batch predates it. */
const judgedHere = new Set<string>();

export interface PairsResult {
  pairs: AbPair[];
  offline: boolean;
  /** Picks on this device the server does not have yet. */
  waiting: number;
}

/** The next pairs, leaving out skipped questions and those this device already judged (sent or not). */
export async function nextPairs(store: DataStore, skip: readonly string[] = []): Promise<PairsResult> {
  const { pending, needsAttention } = await store.localWork('ab.pick');
  const done = new Set([...skip, ...judgedHere, ...pending.map((m) => m.questionId), ...needsAttention.map((m) => m.questionId)]);
  // The skip list goes to the server too, so a fresh batch is not the same few pairs again.
  const qs = new URLSearchParams({ count: String(BATCH) });
  if (done.size) qs.set('skip', [...done].join(','));
  // Kept under one key whatever the skip list, so offline the last batch is found again.
  const { data, offline } = await store.requestKept<{ pairs: AbPair[] }>(`/api/ab/next?${qs}`, '/api/ab/next');
  return { pairs: data.pairs.filter((p) => !done.has(p.question.id)), offline, waiting: pending.length };
}

/** Keeps the pick on the device; resolves once it is saved there. */
export async function judge(store: DataStore, pair: AbPair, choice: AbChoice): Promise<{ id: string }> {
  const saved = await store.savePick({ questionId: pair.question.id, a: pair.a, b: pair.b, choice });
  judgedHere.add(pair.question.id);
  return saved;
}
