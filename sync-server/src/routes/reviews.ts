// Quality review: the reviewer's queue and the stored verdicts; the annotator's rework list. Verdicts
// arrive as `review.verdict` sync mutations (SPEC R19), never through a route of their own.
import { QUEUE_VERDICT_FILTERS, REVIEW_VERDICTS, type ReworkItem } from '@in3d/shared/quality';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import { requireUser } from '../middleware/auth';
import { readInput } from '../middleware/validate';
import { infoKey, questionInfos } from '../repositories/quality';
import { judgedAnswers, listReviews, reviewFacets, reviewItem, reviewQueue, reviewQueueCount } from '../repositories/reviews';

const Id = z.string().min(1).max(300);
const Limit = (max: number, fallback: number) => z.string().regex(/^[1-9][0-9]{0,3}$/, 'a whole number').transform(Number).pipe(z.number().max(max)).default(String(fallback));
// Filters of the queue; each absent means any (an empty value is refused, not read as "any").
const QueueQuery = z.object({
  limit: Limit(500, 50),
  category: Id.optional(),
  annotator: Id.optional(),
  task: Id.optional(),
  verdict: z.enum(QUEUE_VERDICT_FILTERS).optional(),
}).strict();
const ListQuery = z.object({
  annotator: Id.optional(),
  question: Id.optional(),
  task: Id.optional(),
  category: Id.optional(),
  verdict: z.enum(REVIEW_VERDICTS).optional(),
  rework: z.enum(['1', '0']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export function reviewRoutes({ db }: AppOptions) {
  const staff = requireUser({ roles: ['reviewer', 'admin'] });
  return new Hono<AppEnv>()
    .get('/reviews/queue', staff, async (c) => {
      const { limit, ...filter } = readInput(c.req.query(), QueueQuery, 'Invalid query');
      return c.json(await reviewQueue(db, c.get('user').id, limit, filter));
    })
    // The whole queue's size under the same filters: the page walks it in batches of `limit`.
    .get('/reviews/queue/count', staff, async (c) => {
      const filter = readInput(c.req.query(), QueueQuery.omit({ limit: true }), 'Invalid query');
      return c.json({ waiting: await reviewQueueCount(db, c.get('user').id, filter) });
    })
    .get('/reviews/facets', staff, async (c) => c.json(await reviewFacets(db, c.get('user').id)))
    .get('/reviews/revisions/:revisionId', staff, async (c) => {
      const revisionId = readInput(c.req.param('revisionId'), Id, 'Invalid revision id');
      const item = await reviewItem(db, revisionId);
      if (!item) throw new HTTPException(404, { message: `No revision ${revisionId}` });
      return c.json({ item, reviews: await listReviews(db, { questionId: item.question.id, annotatorId: item.annotatorId }) });
    })
    .get('/reviews', staff, async (c) => {
      const q = readInput(c.req.query(), ListQuery, 'Invalid query');
      return c.json(await listReviews(db, {
        annotatorId: q.annotator, questionId: q.question, taskId: q.task, categoryId: q.category, verdict: q.verdict, reworkOnly: q.rework === '1', limit: q.limit,
      }));
    })
    // Everyone sees the rework sent back to them; reviewers and admins rarely have any.
    .get('/rework', requireUser(), async (c) => {
      const user = c.get('user');
      const reviews = await listReviews(db, { annotatorId: user.id, reworkOnly: true });
      const infos = await questionInfos(db, reviews.map((r) => ({ questionId: r.questionId, taskId: r.taskId })));
      const answers = await judgedAnswers(db, reviews.map((r) => r.revisionId));
      const items: ReworkItem[] = reviews.flatMap((r) => {
        const question = infos.get(infoKey(r.taskId, r.questionId));
        const answer = answers.get(r.revisionId);
        return question && answer ? [{ ...r, question, answer }] : [];
      });
      return c.json(items);
    });
}
