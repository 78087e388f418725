// A/B evaluation: the next pair for a reviewer (random order, makers hidden) and storing a pick.
import type { AbPair, AbSide, ReferenceAnswer } from '@in3d/shared/quality';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import { requireUser } from '../middleware/auth';
import { readInput, readJson } from '../middleware/validate';
import { insertJudgement, listJudgements, nextAbCandidate, sideAnswer } from '../repositories/ab';

const Id = z.string().min(1).max(300);
const Side = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('initial') }),
  z.object({ kind: z.literal('annotation'), revisionId: Id }),
]);
const JudgementBody = z.object({
  id: z.string().uuid(),
  questionId: Id,
  a: Side,
  b: Side,
  choice: z.enum(['a', 'b', 'both_bad']),
});
const NextQuery = z.object({ skip: z.string().max(10_000).optional() });
const ListQuery = z.object({ question: Id.optional(), mine: z.enum(['1', '0']).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) });

const sameSide = (x: AbSide, y: AbSide) => x.kind === y.kind && (x.kind === 'initial' || (y.kind === 'annotation' && x.revisionId === y.revisionId));

export function abRoutes({ db }: AppOptions, random: () => number = Math.random) {
  const staff = requireUser({ roles: ['reviewer', 'admin'] });
  return new Hono<AppEnv>()
    .get('/ab/next', staff, async (c) => {
      const { skip } = readInput(c.req.query(), NextQuery, 'Invalid query');
      const cand = await nextAbCandidate(db, c.get('user').id, skip ? skip.split(',').filter(Boolean) : []);
      if (!cand) return c.json({ pair: null });
      // Two annotators' answers when there are two (half the time), else the prediction vs one annotator.
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
      const body: AbPair = { question: cand.question, a: pair[0], b: pair[1] };
      return c.json({ pair: body });
    })
    .post('/ab', staff, async (c) => {
      const body = await readJson(c, JudgementBody);
      if (sameSide(body.a, body.b)) throw new HTTPException(400, { message: 'A and B must be two different answers' });
      for (const s of [body.a, body.b])
        if (!(await sideAnswer(db, body.questionId, s)))
          throw new HTTPException(404, { message: s.kind === 'initial' ? `No question ${body.questionId}` : `No revision ${s.revisionId} of question ${body.questionId}` });
      const r = await insertJudgement(db, { ...body, reviewerId: c.get('user').id });
      if ('conflict' in r) throw new HTTPException(409, { message: `Judgement id ${body.id} is already used` });
      return c.json(r.judgement, r.created ? 201 : 200);
    })
    .get('/ab', staff, async (c) => {
      const q = readInput(c.req.query(), ListQuery, 'Invalid query');
      return c.json(await listJudgements(db, { questionId: q.question, reviewerId: q.mine === '1' ? c.get('user').id : undefined, limit: q.limit }));
    });
}
