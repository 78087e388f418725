// A/B evaluation: the next pairs for a reviewer (random order, makers hidden) and the stored picks.
// Picks arrive as `ab.pick` sync mutations (SPEC R20), never through a route of their own.
import type { AbPair, AbSide, ReferenceAnswer } from '@in3d/shared/quality';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import { requireUser } from '../middleware/auth';
import { readInput } from '../middleware/validate';
import { type AbCandidate, listJudgements, nextAbCandidate } from '../repositories/ab';

const Id = z.string().min(1).max(300);
const NextQuery = z.object({ skip: z.string().max(10_000).optional(), count: z.coerce.number().int().min(1).max(50).default(1) });
const ListQuery = z.object({ question: Id.optional(), mine: z.enum(['1', '0']).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) });

/** Two annotators' answers when there are two (half the time), else the prediction vs one annotator; sides shuffled. */
function pairOf(cand: AbCandidate, random: () => number): AbPair {
  const sides: Array<AbSide & { answer: ReferenceAnswer }> = cand.annotations.map((a) => ({ kind: 'annotation', revisionId: a.revisionId, answer: a.answer }));
  const initial = { kind: 'initial' as const, answer: cand.initial };
  let pair: [typeof sides[number], typeof sides[number]];
  if (sides.length >= 2 && random() < 0.5) {
    const i = Math.floor(random() * sides.length);
    let j = Math.floor(random() * (sides.length - 1));
    if (j >= i) j++;
    pair = [sides[i]!, sides[j]!];
  } else pair = [initial, sides[Math.floor(random() * sides.length)]!];
  if (random() < 0.5) pair.reverse();
  return { question: cand.question, a: pair[0], b: pair[1] };
}

export function abRoutes({ db }: AppOptions, random: () => number = Math.random) {
  const staff = requireUser({ roles: ['reviewer', 'admin'] });
  return new Hono<AppEnv>()
    // Several pairs at once (`count`), so a reviewer can go on judging offline; each of another question.
    .get('/ab/next', staff, async (c) => {
      const q = readInput(c.req.query(), NextQuery, 'Invalid query');
      const skip = q.skip ? q.skip.split(',').filter(Boolean) : [];
      const pairs: AbPair[] = [];
      while (pairs.length < q.count) {
        const cand = await nextAbCandidate(db, c.get('user').id, skip);
        if (!cand) break;
        skip.push(cand.question.id);
        pairs.push(pairOf(cand, random));
      }
      return c.json({ pairs });
    })
    .get('/ab', staff, async (c) => {
      const q = readInput(c.req.query(), ListQuery, 'Invalid query');
      return c.json(await listJudgements(db, { questionId: q.question, reviewerId: q.mine === '1' ? c.get('user').id : undefined, limit: q.limit }));
    });
}
