// A/B evaluation: the next pair for this reviewer and storing the pick.
import type { AbChoice, AbJudgement, AbPair, AbSide } from '@in3d/shared/quality';
import { apiJson, newId, unwrap } from './review-http';

export async function nextPair(skip: readonly string[] = []): Promise<AbPair | null> {
  const qs = skip.length ? `?skip=${encodeURIComponent(skip.join(','))}` : '';
  return unwrap(await apiJson<{ pair: AbPair | null }>('GET', `/api/ab/next${qs}`)).pair;
}

const side = (s: AbSide): AbSide => (s.kind === 'initial' ? { kind: 'initial' } : { kind: 'annotation', revisionId: s.revisionId });

export async function judge(pair: AbPair, choice: AbChoice): Promise<AbJudgement> {
  return unwrap(await apiJson<AbJudgement>('POST', '/api/ab', { id: newId(), questionId: pair.question.id, a: side(pair.a), b: side(pair.b), choice }));
}
