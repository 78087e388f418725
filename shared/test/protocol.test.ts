import { describe, expect, it } from 'vitest';
import {
  MAX_PUSH_MUTATIONS,
  annotationSaveSchema,
  mutationSchema,
  isStaleRevision,
  nextHead,
  pullQuerySchema,
  pushRequestSchema,
  pushResponseSchema,
  revisionSchema,
  type HeadState,
} from '../src/protocol';

const U = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const values = {
  pose: { azimuth: 30, elevation: 10, theta: 0, distance: 5, px: 100, py: 80 },
  subtype: 2,
  objectStatus: 'status_good',
  dense: 'dense_no',
  activeMs: 1200,
};
const save = (over: Record<string, unknown> = {}) => ({
  id: U(1),
  seq: 1,
  kind: 'annotation.save',
  questionId: 'q1',
  taskId: 't1',
  baseRevisionId: null,
  supersedes: [],
  values,
  clientSavedAt: '2026-11-25T10:00:00.000Z',
  ...over,
});

describe('push schemas', () => {
  it('R4/R5: a save needs a uuid id and a positive integer seq', () => {
    expect(annotationSaveSchema.safeParse(save()).success).toBe(true);
    expect(annotationSaveSchema.safeParse(save({ id: 'not-a-uuid' })).success).toBe(false);
    expect(annotationSaveSchema.safeParse(save({ seq: 0 })).success).toBe(false);
    expect(annotationSaveSchema.safeParse(save({ seq: 1.5 })).success).toBe(false);
  });

  it('R15: values must be finite, distance positive, subtype a 1-based integer, labels known', () => {
    const bad = [
      { pose: { ...values.pose, azimuth: Number.NaN } },
      { pose: { ...values.pose, distance: 0 } },
      { pose: { ...values.pose, px: Number.POSITIVE_INFINITY } },
      { subtype: 0 },
      { subtype: 1.5 },
      { objectStatus: 'good' },
      { dense: 'yes' },
      { activeMs: -1 },
    ];
    for (const b of bad) {
      const r = annotationSaveSchema.safeParse(save({ values: { ...values, ...b } }));
      expect(r.success, JSON.stringify(b)).toBe(false);
    }
  });

  it('R51: a clear is a save with cleared: true (a boolean); its values are checked like any save', () => {
    expect(annotationSaveSchema.parse(save({ cleared: true })).cleared).toBe(true);
    expect(annotationSaveSchema.parse(save()).cleared).toBeUndefined();
    for (const cleared of ['true', 1, null]) expect(annotationSaveSchema.safeParse(save({ cleared })).success, JSON.stringify(cleared)).toBe(false);
    expect(annotationSaveSchema.safeParse(save({ cleared: true, values: { ...values, subtype: 0 } })).success).toBe(false);
    const rev = { ...values, id: 'r1', questionId: 'q1', taskId: 't1', userId: 'u', clientId: 'c', baseRevisionId: null, seq: 1, clientSavedAt: 'x', serverReceivedAt: 'y' };
    expect(revisionSchema.parse({ ...rev, cleared: true }).cleared).toBe(true);
    expect(revisionSchema.safeParse({ ...rev, cleared: 'no' }).success).toBe(false);
  });

  it('R15: unknown fields are refused rather than silently dropped', () => {
    expect(annotationSaveSchema.safeParse(save({ extra: 1 })).success).toBe(false);
    expect(annotationSaveSchema.safeParse(save({ values: { ...values, colour: 'red' } })).success).toBe(false);
  });

  it('R7: mutations are a union on kind, so an unknown kind does not parse as a save', () => {
    expect(mutationSchema.safeParse(save({ kind: 'annotation.delete' })).success).toBe(false);
    // …but the envelope still reads it, so the server can answer that one mutation with unknown_kind.
    const env = pushRequestSchema.safeParse({ clientId: U(9), mutations: [save({ kind: 'annotation.delete' })] });
    expect(env.success).toBe(true);
  });

  it('R16: a push carries 1 to MAX_PUSH_MUTATIONS mutations', () => {
    expect(pushRequestSchema.safeParse({ clientId: U(9), mutations: [] }).success).toBe(false);
    const many = Array.from({ length: MAX_PUSH_MUTATIONS + 1 }, (_, i) => save({ id: U(i + 1), seq: i + 1 }));
    expect(pushRequestSchema.safeParse({ clientId: U(9), mutations: many }).success).toBe(false);
    expect(pushRequestSchema.safeParse({ clientId: U(9), mutations: many.slice(1) }).success).toBe(true);
  });

  it('R7: a push answer is a list of applied/rejected results with reason codes', () => {
    const ok = pushResponseSchema.safeParse({
      status: 'ok',
      clientId: U(9),
      ackSeq: 2,
      results: [
        { id: U(1), seq: 1, status: 'applied', duplicate: false, revisionSeq: 7, head: { questionId: 'q1', revisionId: U(1), conflictRevisionId: null, updatedSeq: 7 } },
        { id: U(2), seq: 2, status: 'rejected', reason: 'not_assigned', message: 'no' },
      ],
    });
    expect(ok.success).toBe(true);
    const bad = pushResponseSchema.safeParse({ status: 'ok', clientId: U(9), ackSeq: 1, results: [{ id: U(2), seq: 1, status: 'rejected', reason: 'because', message: '' }] });
    expect(bad.success).toBe(false);
  });

  it('R13/R16: the pull query defaults and bounds', () => {
    expect(pullQuerySchema.parse({})).toEqual({ cursor: 0, limit: 500 });
    expect(pullQuerySchema.parse({ cursor: '12', limit: '3' })).toEqual({ cursor: 12, limit: 3 });
    expect(pullQuerySchema.safeParse({ limit: '1001' }).success).toBe(false);
    expect(pullQuerySchema.safeParse({ cursor: '-1' }).success).toBe(false);
    expect(pullQuerySchema.safeParse({ cursor: 'abc' }).success).toBe(false);
  });
});

describe('head rules', () => {
  const head = (revisionId: string, conflictRevisionId: string | null = null): HeadState => ({ revisionId, conflictRevisionId });
  const m = (id: string, clientId: string, baseRevisionId: string | null, supersedes: string[] = []) => ({ id, clientId, baseRevisionId, supersedes });

  it('R11a: the first save and a save on top of the head become the head', () => {
    expect(nextHead(null, null, m('a', 'dev1', null))).toEqual(head('a'));
    expect(nextHead(head('a'), 'dev2', m('b', 'dev1', 'a'))).toEqual(head('b'));
  });

  it('R11b: another device saving from an older base keeps both and flags the conflict', () => {
    expect(nextHead(head('b'), 'dev2', m('c', 'dev1', 'a'))).toEqual(head('b', 'c'));
    expect(nextHead(head('b'), 'dev2', m('c', 'dev1', null))).toEqual(head('b', 'c'));
  });

  it('R11c: the same device continuing its own line is not a conflict', () => {
    expect(nextHead(head('b'), 'dev1', m('c', 'dev1', 'a'))).toEqual(head('c'));
    expect(nextHead(head('b', 'x'), 'dev1', m('c', 'dev1', 'a'))).toEqual(head('c', 'x'));
  });

  it('R11d: continuing one side of an open conflict keeps it open', () => {
    expect(nextHead(head('b', 'c'), 'dev2', m('d', 'dev1', 'c'))).toEqual(head('b', 'd'));
    expect(nextHead(head('b', 'c'), 'dev2', m('d', 'dev2', 'b'))).toEqual(head('d', 'c'));
  });

  it('R12: a save naming both sides settles the conflict and becomes the head', () => {
    expect(nextHead(head('b', 'c'), 'dev2', m('d', 'dev1', 'c', ['b']))).toEqual(head('d'));
    expect(nextHead(head('b', 'c'), 'dev2', m('d', 'dev2', 'b', ['c']))).toEqual(head('d'));
  });

  it('R12: a resolution settles only what it saw; a newer conflict stays flagged', () => {
    // dev1 resolved b vs c, but meanwhile dev3 replaced the conflict side with e.
    expect(nextHead(head('b', 'e'), 'dev2', m('d', 'dev1', 'b', ['c']))).toEqual(head('d', 'e'));
  });
});

describe('time order', () => {
  it('R36: a revision is stale only against a head side written by its own device with a seq at least as high', () => {
    const a = (clientSeq: number | null, clientId = 'dev1') => ({ clientId, clientSeq });
    expect(isStaleRevision(a(1), [a(2), null])).toBe(true);
    expect(isStaleRevision(a(2), [a(2), null])).toBe(true);
    expect(isStaleRevision(a(3), [a(2), null])).toBe(false);
    expect(isStaleRevision(a(1), [a(5, 'dev2'), a(2)])).toBe(true); // its own side of a conflict
    expect(isStaleRevision(a(1), [a(5, 'dev2'), null])).toBe(false);
    expect(isStaleRevision(a(null), [a(2), null])).toBe(false); // imports carry no client seq
    expect(isStaleRevision(a(1), [a(null), null])).toBe(false);
  });
});
