// Quality review: the reviewer's queue and the stored verdicts; the annotator's rework list. Verdicts
// arrive as `review.verdict` sync mutations (SPEC R19), never through a route of their own.
import type { ReworkItem } from '@in3d/shared/quality';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import { requireUser } from '../middleware/auth';
import { readInput } from '../middleware/validate';
import { infoKey, questionInfos } from '../repositories/quality';
import { listReviews, reviewItem, reviewQueue } from '../repositories/reviews';

const Id = z.string().min(1).max(300);
const QueueQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
const ListQuery = z.object({
  annotator: Id.optional(),
  question: Id.optional(),
  rework: z.enum(['1', '0']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export function reviewRoutes({ db }: AppOptions) {
  const staff = requireUser({ roles: ['reviewer', 'admin'] });
  return new Hono<AppEnv>()
    .get('/reviews/queue', staff, async (c) => {
      const { limit } = readInput(c.req.query(), QueueQuery, 'Invalid query');
      return c.json(await reviewQueue(db, c.get('user').id, limit));
    })
    .get('/reviews/revisions/:revisionId', staff, async (c) => {
      const revisionId = readInput(c.req.param('revisionId'), Id, 'Invalid revision id');
      const item = await reviewItem(db, revisionId);
      if (!item) throw new HTTPException(404, { message: `No revision ${revisionId}` });
      return c.json({ item, reviews: await listReviews(db, { questionId: item.question.id, annotatorId: item.annotatorId }) });
    })
    .get('/reviews', staff, async (c) => {
      const q = readInput(c.req.query(), ListQuery, 'Invalid query');
      return c.json(await listReviews(db, { annotatorId: q.annotator, questionId: q.question, reworkOnly: q.rework === '1', limit: q.limit }));
    })
    // Everyone sees the rework sent back to them; reviewers and admins rarely have any.
    .get('/rework', requireUser(), async (c) => {
      const user = c.get('user');
      const reviews = await listReviews(db, { annotatorId: user.id, reworkOnly: true });
      const infos = await questionInfos(db, reviews.map((r) => ({ questionId: r.questionId, taskId: r.taskId })));
      const items: ReworkItem[] = reviews.flatMap((r) => {
        const question = infos.get(infoKey(r.taskId, r.questionId));
        return question ? [{ ...r, question }] : [];
      });
      return c.json(items);
    });
}
