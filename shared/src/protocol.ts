// The sync protocol between the app and the server, as data: every request and response shape is a
// zod schema here, so both ends validate against the same definition. The rules (R1, R2, …) live in
// shared/SPEC.md; the comments below cite them.
import { z } from 'zod';
import { DENSE_VALUES, OBJECT_STATUSES, POSE_PARAM_NAMES } from './types';

/** R1: bump when a change would make an old client misread the server (or the reverse). */
export const PROTOCOL_VERSION = 1;
/** R1: every sync request names its protocol version in this header. */
export const PROTOCOL_HEADER = 'x-in3d-protocol';

/** R16: the most mutations one push may carry, and the most revisions one pull page may hold. */
export const MAX_PUSH_MUTATIONS = 200;
export const MAX_PULL_LIMIT = 1000;
export const DEFAULT_PULL_LIMIT = 500;

// ---- values ---------------------------------------------------------------------------------------

const finite = z.number().finite();

export const poseSchema = z
  .object({ azimuth: finite, elevation: finite, theta: finite, distance: finite.positive(), px: finite, py: finite })
  .strict();

/** R15: what one save carries; anything else is rejected as `invalid` for that mutation only. */
export const annotationValuesSchema = z
  .object({
    pose: poseSchema,
    subtype: z.number().int().min(1).max(1000),
    objectStatus: z.enum(OBJECT_STATUSES),
    dense: z.enum(DENSE_VALUES),
    activeMs: z.number().int().min(0).max(7 * 24 * 3600 * 1000),
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

/**
 * R4/R5/R17: the part of a mutation every kind shares. The server reads this first, so a mutation of a
 * kind it does not know, or with bad values, still gets its own result instead of failing the batch.
 */
export const mutationEnvelopeSchema = z
  .object({ id: uuid, seq: z.number().int().positive(), kind: z.string().min(1).max(100) })
  .passthrough();

export const annotationSaveSchema = z
  .object({
    id: uuid,
    seq: z.number().int().positive(),
    kind: z.literal('annotation.save'),
    questionId: id,
    taskId: id,
    /** The revision the annotator was looking at when saving; null for a first save. */
    baseRevisionId: id.nullable(),
    /** R12: revisions this save settles (a conflict resolution names the other side). */
    supersedes: z.array(id).max(8).default([]),
    values: annotationValuesSchema,
    clientSavedAt: isoTime,
  })
  .strict();

/** Discriminated on `kind`, so later kinds are one more member here. */
export const mutationSchema = z.discriminatedUnion('kind', [annotationSaveSchema]);
export const MUTATION_KINDS = mutationSchema.options.map((o) => o.shape.kind.value);

export const pushRequestSchema = z
  .object({
    clientId: uuid,
    mutations: z.array(mutationEnvelopeSchema).min(1).max(MAX_PUSH_MUTATIONS),
  })
  .strict();

/** R7: why the server refused a mutation for good. The client moves it to "Needs attention". */
export const REJECTION_REASONS = ['invalid', 'unknown_kind', 'unknown_question', 'not_assigned', 'id_taken', 'qualification_required'] as const;
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
    /** The server order of the stored revision (the pull cursor space). */
    revisionSeq: z.number().int(),
    head: headSchema,
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

export const pullQuerySchema = z.object({
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
});

/** Stored values as read back: no range checks, so an imported revision can never block a pull. */
const storedValuesSchema = z.object({
  pose: z.object({ azimuth: finite, elevation: finite, theta: finite, distance: finite, px: finite, py: finite }),
  subtype: z.number().int(),
  objectStatus: z.enum(OBJECT_STATUSES),
  dense: z.enum(DENSE_VALUES),
  activeMs: z.number(),
  ambiguous: z.array(z.enum(POSE_PARAM_NAMES)).optional(),
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

// ---- types ------------------------------------------------------------------------------------------

export type AnnotationSaveMutation = z.infer<typeof annotationSaveSchema>;
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
