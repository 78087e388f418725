// SPEC R25: which gold questions a qualification attempt holds, and which references its results show. A
// reference once shown no longer tests its annotator: a retry draws questions they have not been shown
// while the pool has enough, and a failed attempt shows its references only when enough unseen ones
// remain for the next attempt (otherwise it shows the errors alone).

/** Questions per attempt: `perAttempt` (0 = the whole pool), at most the pool. */
export const attemptSize = (pool: number, perAttempt: number): number => (perAttempt > 0 ? Math.min(perAttempt, pool) : pool);

function shuffle<T>(xs: T[], random: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** The questions of a new attempt, in random order: unseen ones first, topped up with seen ones if the pool is short. */
export function drawGold(pool: readonly string[], revealed: ReadonlySet<string>, perAttempt: number, random: () => number = Math.random): string[] {
  const unseen = shuffle(pool.filter((q) => !revealed.has(q)), random);
  const seen = shuffle(pool.filter((q) => revealed.has(q)), random);
  return [...unseen, ...seen].slice(0, attemptSize(pool.length, perAttempt));
}

/**
 * The attempt's questions whose references its results show: all after a pass (no retry follows);
 * after a fail all only if the pool still holds a full attempt of unseen questions, else only those
 * shown before.
 */
export function revealable(
  pool: readonly string[], revealed: ReadonlySet<string>, attempt: readonly string[], perAttempt: number, passed: boolean,
): string[] {
  if (passed) return [...attempt];
  const shown = new Set([...revealed, ...attempt]);
  const unseenLeft = pool.filter((q) => !shown.has(q)).length;
  return unseenLeft >= attemptSize(pool.length, perAttempt) && unseenLeft > 0 ? [...attempt] : attempt.filter((q) => revealed.has(q));
}
