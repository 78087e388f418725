// The sync protocol between the app and the server, as data: every request and response shape is a
// zod schema here, so both ends validate against the same definition. The rules (R1, R2, …) live in
// shared/SPEC.md; the comments below cite them.
import { z } from 'zod';
import { REVIEW_VERDICTS } from './quality';
import { inspectJson, utf8Length } from './safe-json';
import { boundedNumber, decimalInt, safeInt, safeText } from './safe-values';
import { DENSE_VALUES, OBJECT_STATUSES, POSE_PARAM_NAMES } from './types';

/** R1: bump when a change would make an old client misread the server (or the reverse). 2: cleared revisions (R51). */
export const PROTOCOL_VERSION = 2;
/** R1: every sync request names its protocol version in this header. */
export const PROTOCOL_HEADER = 'x-in3d-protocol';

/** R16: the most mutations one push may carry, and the most revisions one pull page may hold. */
export const MAX_PUSH_MUTATIONS = 200;
export const MAX_PULL_LIMIT = 1000;
export const DEFAULT_PULL_LIMIT = 500;

/** R31: the largest push body (UTF-8 bytes) and its deepest JSON nesting; too deep a push gets 400, too large a one 413 (both `invalid`). */
export const MAX_PUSH_BYTES = 4 * 1024 * 1024;
export const MAX_PUSH_DEPTH = 10_000;
/** R32: one mutation's limits; beyond either that mutation alone is rejected as `invalid`. */
export const MAX_MUTATION_BYTES = 16 * 1024;
export const MAX_MUTATION_DEPTH = 16;
/** R34: what a pose may hold (degrees, pixels, object units). */
export const POSE_LIMITS = { maxAbsAngle: 360, maxAbsCentre: 100_000, minDistance: 0.001, maxDistance: 1000 } as const;

// ---- values ---------------------------------------------------------------------------------------

const finite = z.number().finite();
const angle = boundedNumber(-POSE_LIMITS.maxAbsAngle, POSE_LIMITS.maxAbsAngle);
const centre = boundedNumber(-POSE_LIMITS.maxAbsCentre, POSE_LIMITS.maxAbsCentre);

/** R34: every field finite and within POSE_LIMITS. */
export const poseSchema = z
  .object({
    azimuth: angle,
    elevation: angle,
    theta: angle,
    distance: boundedNumber(POSE_LIMITS.minDistance, POSE_LIMITS.maxDistance),
    px: centre,
    py: centre,
  })
  .strict();

/** R15: what one save carries; anything else is rejected as `invalid` for that mutation only. */
export const annotationValuesSchema = z
  .object({
    pose: poseSchema,
    subtype: safeInt(1, 1000),
    objectStatus: z.enum(OBJECT_STATUSES),
    dense: z.enum(DENSE_VALUES),
    activeMs: safeInt(0, 7 * 24 * 3600 * 1000),
    /** R40: parameters marked ambiguous, each at most once. */
    ambiguous: z
      .array(z.enum(POSE_PARAM_NAMES))
      .max(POSE_PARAM_NAMES.length)
      .refine((a) => new Set(a).size === a.length, { message: 'a parameter is named twice' })
      .optional(),
  })
  .strict();

// ---- push -------------------------------------------------------------------------------------------

const uuid = z.string().uuid();
const isoTime = z.string().datetime({ offset: true });
const id = z.string().min(1).max(200);
/** R35: ids a client sends are valid Unicode too (what it reads back may be any stored id). */
const inputId = safeText(1, 200);
/** R33: 1 … 2^53 − 1. */
export const seqSchema = safeInt(1);

/**
 * R4/R5/R17: the part of a mutation every kind shares. The server reads this first, so a mutation of a
 * kind it does not know, or with bad values, still gets its own result instead of failing the batch.
 */
export const mutationEnvelopeSchema = z
  // Any kind: one the server does not know, or one that is not even a string, is `unknown_kind` (R7). Kept
  // as sent, so the limits (R32) measure the mutation the client sent.
  .object({ id: uuid, seq: seqSchema, kind: z.unknown() })
  .passthrough();

export const annotationSaveSchema = z
  .object({
    id: uuid,
    seq: seqSchema,
    kind: z.literal('annotation.save'),
    questionId: inputId,
    taskId: inputId,
    /** The revision the annotator was looking at when saving; null for a first save. */
    baseRevisionId: inputId.nullable(),
    /** R12: revisions this save settles (a conflict resolution names the other side). */
    supersedes: z.array(inputId).max(8).default([]),
    values: annotationValuesSchema,
    /**
     * R51: "Clear annotation": this revision marks the question not annotated again. `values` are the ones
     * cleared (kept in the history); the base revision and conflict rules are those of any save.
     */
    cleared: z.boolean().optional(),
    clientSavedAt: isoTime,
  })
  .strict();

/** R19: a reviewer's verdict on one stored revision (an annotation of someone else). */
export const reviewVerdictSchema = z
  .object({
    id: uuid,
    seq: seqSchema,
    kind: z.literal('review.verdict'),
    revisionId: inputId,
    verdict: z.enum(REVIEW_VERDICTS),
    comment: safeText(0, 2000).nullable().default(null),
    clientSavedAt: isoTime,
  })
  .strict();

export const abSideSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('initial') }).strict(),
  z.object({ kind: z.literal('annotation'), revisionId: inputId }).strict(),
]);
export const AB_CHOICES = ['a', 'b', 'both_bad'] as const;

/** R20: a reviewer's pick between two answers for one question, sides as shown (A left). */
export const abPickSchema = z
  .object({
    id: uuid,
    seq: seqSchema,
    kind: z.literal('ab.pick'),
    questionId: inputId,
    a: abSideSchema,
    b: abSideSchema,
    choice: z.enum(AB_CHOICES),
    clientSavedAt: isoTime,
  })
  .strict();

/** R21: an annotator's answer to one question of their open qualification attempt (not an annotation). */
export const qualificationAnswerSchema = z
  .object({
    id: uuid,
    seq: seqSchema,
    kind: z.literal('qualification.answer'),
    attemptId: inputId,
    questionId: inputId,
    values: annotationValuesSchema,
    clientSavedAt: isoTime,
  })
  .strict();

/** R50: what an annotator can flag about a question itself (not about their answer). */
export const REPORT_PROBLEMS = ['wrong_bbox', 'wrong_category', 'duplicate', 'broken_photo', 'other'] as const;
export type ReportProblem = (typeof REPORT_PROBLEMS)[number];

/** R50: a note and/or a problem flag on one question of the caller's task, for the admin and reviewers. */
export const questionReportSchema = z
  .object({
    id: uuid,
    seq: seqSchema,
    kind: z.literal('question.report'),
    questionId: inputId,
    taskId: inputId,
    problem: z.enum(REPORT_PROBLEMS).nullable(),
    note: safeText(0, 2000),
    clientSavedAt: isoTime,
  })
  .strict();

/** R26: the annotator's answer to a rework: the reviewed answer stays, for this reason (the reviewer sees it). */
export const reworkKeepSchema = z
  .object({
    id: uuid,
    seq: seqSchema,
    kind: z.literal('rework.keep'),
    reviewId: inputId,
    reason: safeText(1, 2000).refine((t) => t.trim() !== '', { message: 'a reason is needed' }),
    clientSavedAt: isoTime,
  })
  .strict();

/**
 * R32, R35: why one parsed mutation may not even be looked at (null when it is fine): deeper than
 * MAX_MUTATION_DEPTH, a lone surrogate in any key or string, or compact JSON over MAX_MUTATION_BYTES.
 * Checked before anything recursive (schemas, JSON.stringify) touches the mutation.
 */
export function mutationLimitProblem(mutation: unknown): string | null {
  // UTF-8 takes at least one byte per UTF-16 unit, so a walk over MAX_MUTATION_BYTES characters is too big.
  const { depth, illFormedAt, tooLong } = inspectJson(mutation, MAX_MUTATION_DEPTH, MAX_MUTATION_BYTES);
  if (depth > MAX_MUTATION_DEPTH) return `The mutation nests deeper than ${MAX_MUTATION_DEPTH} levels`;
  if (tooLong) return `The mutation is more than ${MAX_MUTATION_BYTES} bytes of JSON`;
  if (illFormedAt !== null) return `${illFormedAt}: text must be valid Unicode (no lone UTF-16 surrogate)`;
  const bytes = utf8Length(JSON.stringify(mutation));
  if (bytes > MAX_MUTATION_BYTES) return `The mutation is ${bytes} bytes of JSON; at most ${MAX_MUTATION_BYTES} are allowed`;
  return null;
}

/** Discriminated on `kind`, so later kinds are one more member here. */
export const mutationSchema = z.discriminatedUnion('kind', [annotationSaveSchema, reviewVerdictSchema, abPickSchema, qualificationAnswerSchema, questionReportSchema, reworkKeepSchema]);
export const MUTATION_KINDS = mutationSchema.options.map((o) => o.shape.kind.value);

export const pushRequestSchema = z
  .object({
    clientId: uuid,
    mutations: z.array(mutationEnvelopeSchema).min(1).max(MAX_PUSH_MUTATIONS),
  })
  .strict();

/** R7: why the server refused a mutation for good. The client moves it to "Needs attention". */
export const REJECTION_REASONS = [
  'invalid', 'unknown_kind', 'unknown_question', 'not_assigned', 'id_taken', 'qualification_required',
  // R19–R21: reasons of the review, A/B and qualification kinds.
  'not_reviewer', 'unknown_revision', 'unknown_attempt', 'attempt_closed',
  // R26: a keep-as-is answer to a review that is not a rework sent to the caller.
  'unknown_review',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

// Revision ids are uuids when the app made them; imports may use other stable ids, so reads accept any id.
export const headSchema = z.object({
  questionId: id,
  revisionId: id,
  /** R11: set while two devices disagree; the question is flagged until a save settles it. */
  conflictRevisionId: id.nullable(),
  updatedSeq: z.number().int(),
});

export const mutationResultSchema = z.discriminatedUnion('status', [
  z.object({
    id: uuid,
    seq: z.number().int(),
    status: z.literal('applied'),
    /** R4: true when the server had already stored this mutation (a retry). */
    duplicate: z.boolean(),
    /** The server order of the stored revision (the pull cursor space); only for `annotation.save` (R22). */
    revisionSeq: z.number().int().optional(),
    /** Only for `annotation.save`: the other kinds change no head (R22). */
    head: headSchema.optional(),
  }),
  z.object({
    id: uuid,
    seq: z.number().int(),
    status: z.literal('rejected'),
    reason: z.enum(REJECTION_REASONS),
    message: z.string(),
  }),
]);

export const pushResponseSchema = z.object({
  status: z.literal('ok'),
  clientId: uuid,
  /** R5: the highest per-client sequence number the server has processed for this client. */
  ackSeq: z.number().int(),
  results: z.array(mutationResultSchema),
});

// ---- pull -------------------------------------------------------------------------------------------

/** R13, R33: query values are decimal digit strings. */
export const pullQuerySchema = z.object({
  cursor: decimalInt(0).default('0'),
  limit: decimalInt(1, MAX_PULL_LIMIT).default(String(DEFAULT_PULL_LIMIT)),
});

/** A pose as stored (an imported one too): finite, no range checks. */
export const storedPoseSchema = z.object({ azimuth: finite, elevation: finite, theta: finite, distance: finite, px: finite, py: finite });

/** Stored values as read back: no range checks, so an imported revision can never block a pull. */
const storedValuesSchema = z.object({
  pose: storedPoseSchema,
  subtype: z.number().int(),
  objectStatus: z.enum(OBJECT_STATUSES),
  dense: z.enum(DENSE_VALUES),
  activeMs: z.number(),
  ambiguous: z.array(z.enum(POSE_PARAM_NAMES)).optional(),
  /** R51: a "Clear annotation" revision (absent: false). */
  cleared: z.boolean().optional(),
});

export const revisionSchema = storedValuesSchema.extend({
  id,
  questionId: id,
  taskId: id.nullable(),
  userId: id,
  clientId: z.string(),
  baseRevisionId: z.string().nullable(),
  seq: z.number().int(),
  clientSavedAt: z.string(),
  serverReceivedAt: z.string(),
});

export const pullResponseSchema = z.object({
  status: z.literal('ok'),
  revisions: z.array(revisionSchema),
  /** R13: the current head of every question that appears in `revisions`. */
  heads: z.array(headSchema),
  cursor: z.number().int(),
  hasMore: z.boolean(),
});

// ---- errors (non-200) -------------------------------------------------------------------------------

/** R1, R3, R15: whole-request failures, each with its HTTP status. 401 comes from the auth middleware. */
export const syncErrorSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('protocol_outdated'), message: z.string(), serverVersion: z.number().int() }),
  z.object({ status: z.literal('client_mismatch'), message: z.string() }),
  z.object({ status: z.literal('invalid'), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })) }),
]);

export const SYNC_ERROR_HTTP = { protocol_outdated: 426, client_mismatch: 409, invalid: 400 } as const;

// ---- head rules (R11, R12) ------------------------------------------------------------------------

export interface HeadState {
  revisionId: string;
  conflictRevisionId: string | null;
}

export interface IncomingRevision {
  id: string;
  clientId: string;
  baseRevisionId: string | null;
  supersedes: readonly string[];
}

/**
 * Where the head of (question, annotator) goes when `incoming` is appended. Pure, so the rules are
 * tested on their own. `headClientId` is the device that wrote the current head revision.
 */
export function nextHead(head: HeadState | null, headClientId: string | null, incoming: IncomingRevision): HeadState {
  if (!head) return { revisionId: incoming.id, conflictRevisionId: null };
  const seen = new Set<string>(incoming.supersedes);
  if (incoming.baseRevisionId) seen.add(incoming.baseRevisionId);
  const h = head.revisionId;
  const c = head.conflictRevisionId;
  const sawHead = seen.has(h);
  const sawConflict = c !== null && seen.has(c);

  if (!sawHead && !sawConflict) {
    // R11c: the same device continuing its own line is not a conflict.
    if (headClientId === incoming.clientId) return { revisionId: incoming.id, conflictRevisionId: c };
    // R11b: another device saved from a base that is no longer current: keep both, flag the question.
    return { revisionId: h, conflictRevisionId: incoming.id };
  }
  if (c === null || (sawHead && sawConflict)) return { revisionId: incoming.id, conflictRevisionId: null }; // R11a, R12
  // R12: it settles only the side it saw; the other side is still in conflict with it.
  return sawHead ? { revisionId: incoming.id, conflictRevisionId: c } : { revisionId: h, conflictRevisionId: incoming.id };
}

/** The device that wrote a revision and its sequence number there (null for imported revisions). */
export interface RevisionAuthor {
  clientId: string;
  clientSeq: number | null;
}

/**
 * R36: true when the head or conflict revision (`written`) came from `incoming`'s own device with a
 * sequence number at least as high: `incoming` is older, so it is stored but moves neither side.
 */
export function isStaleRevision(incoming: RevisionAuthor, written: readonly (RevisionAuthor | null)[]): boolean {
  const seq = incoming.clientSeq;
  if (seq === null) return false;
  return written.some((w) => w !== null && w.clientId === incoming.clientId && w.clientSeq !== null && w.clientSeq >= seq);
}

// ---- types ------------------------------------------------------------------------------------------

export type AnnotationSaveMutation = z.infer<typeof annotationSaveSchema>;
export type ReviewVerdictMutation = z.infer<typeof reviewVerdictSchema>;
export type AbPickMutation = z.infer<typeof abPickSchema>;
export type QualificationAnswerMutation = z.infer<typeof qualificationAnswerSchema>;
export type QuestionReportMutation = z.infer<typeof questionReportSchema>;
export type ReworkKeepMutation = z.infer<typeof reworkKeepSchema>;
export type MutationKind = Mutation['kind'];
export type Mutation = z.infer<typeof mutationSchema>;
export type MutationInput = z.input<typeof mutationSchema>;
export type PushRequest = z.infer<typeof pushRequestSchema>;
export type MutationResult = z.infer<typeof mutationResultSchema>;
export type PushResponse = z.infer<typeof pushResponseSchema>;
export type PullQuery = z.infer<typeof pullQuerySchema>;
export type WireRevision = z.infer<typeof revisionSchema>;
export type WireHead = z.infer<typeof headSchema>;
export type PullResponse = z.infer<typeof pullResponseSchema>;
export type SyncError = z.infer<typeof syncErrorSchema>;
