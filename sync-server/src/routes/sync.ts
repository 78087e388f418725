// POST /api/sync/push and GET /api/sync/pull: the server half of shared/SPEC.md.
import {
  MAX_PUSH_DEPTH,
  type MutationResult,
  MUTATION_KINDS,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type RejectionReason,
  type SyncError,
  SYNC_ERROR_HTTP,
  mutationLimitProblem,
  mutationSchema,
  pullQuerySchema,
  pushRequestSchema,
} from '@in3d/shared/protocol';
import { applyQuestionReport } from './sync-report';
import { toWellFormed } from '@in3d/shared/safe-json';
import { type Context, Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import type { DbOrTrx } from '../db/connect';
import { requireUser } from '../middleware/auth';
import { formatIssues, readJsonBody } from '../middleware/validate';
import {
  appendRevision,
  createWriteQueue,
  findHead,
  findRejection,
  findRevision,
  headsFor,
  insertRejection,
  listRevisionsSince,
  questionAccess,
} from '../repositories/annotations';
import { isLocked } from '../policy/access';
import { needsQualification } from '../repositories/quality';
import { advanceClientSeq, registerSyncClient } from '../repositories/sync-clients';

function syncError(c: Context, body: SyncError) {
  return c.json(body, SYNC_ERROR_HTTP[body.status]);
}

/**
 * R1, R30: checked before anything else, so an old client learns it must update even with a stale session.
 * The value must be exactly the version's decimal string: `1.0`, `+1` or `0x1` are other protocols.
 */
function requireProtocol() {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.header(PROTOCOL_HEADER) !== String(PROTOCOL_VERSION))
      return syncError(c, {
        status: 'protocol_outdated',
        message: `This app speaks sync protocol ${c.req.header(PROTOCOL_HEADER) ?? '(none)'}; the server speaks ${PROTOCOL_VERSION}. Update the app (reload); your unsynced saves are kept.`,
        serverVersion: PROTOCOL_VERSION,
      });
    await next();
  });
}

const invalidBody = (message: string): SyncError => ({ status: 'invalid', message, issues: [{ path: '(body)', message }] });

function parse<S extends z.ZodTypeAny>(schema: S, value: unknown): { ok: true; data: z.infer<S> } | { ok: false; error: SyncError } {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, data: r.data };
  const issues = formatIssues(r.error);
  return { ok: false, error: { status: 'invalid', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues } };
}

type Envelope = PushRequest['mutations'][number];

/**
 * One mutation inside the push transaction: a stored answer for a retry (R4, R7), else validate and apply.
 * `mustQualify`: the caller has not passed the qualification test, so only qualification tasks accept saves.
 */
async function applyOne(conn: DbOrTrx, userId: string, clientId: string, env: Envelope, now: string, mustQualify: boolean): Promise<MutationResult> {
  const base = { id: env.id, seq: env.seq };
  const existing = await findRevision(conn, env.id);
  if (existing) {
    if (existing.user_id !== userId || existing.client_id !== clientId)
      return { ...base, status: 'rejected', reason: 'id_taken', message: 'This mutation id belongs to another client' };
    const stored = await findHead(conn, existing.question_id, userId);
    if (!stored) throw new Error(`revision ${existing.id} has no head`);
    return { ...base, status: 'applied', duplicate: true, revisionSeq: existing.seq, head: stored.head };
  }
  const refused = await findRejection(conn, env.id);
  if (refused) {
    if (refused.clientId !== clientId) return { ...base, status: 'rejected', reason: 'id_taken', message: 'This mutation id belongs to another client' };
    return { ...base, status: 'rejected', reason: refused.reason as RejectionReason, message: refused.message };
  }

  // R32: a mutation over the limits is stored as its envelope only (its body is what could not be handled).
  const problem = mutationLimitProblem(env);
  const kind = typeof env.kind === 'string' ? env.kind : null;
  const reject = async (reason: RejectionReason, text: string): Promise<MutationResult> => {
    const message = toWellFormed(text); // R35: messages quote client values (zod does too)
    const body = problem ? { id: env.id, seq: env.seq, kind: kind && toWellFormed(kind), omitted: problem } : env;
    await insertRejection(conn, { mutationId: env.id, clientId, clientSeq: env.seq, userId, reason, message, body, at: now });
    return { ...base, status: 'rejected', reason, message };
  };
  if (problem) return reject('invalid', problem);
  if (kind === null) return reject('unknown_kind', 'The mutation kind is missing or not a string');
  if (!(MUTATION_KINDS as readonly string[]).includes(kind)) return reject('unknown_kind', `Unknown mutation kind ${JSON.stringify(kind.slice(0, 100))}`);
  const parsed = parse(mutationSchema, env);
  if (!parsed.ok) return reject('invalid', parsed.error.message);
  const m = parsed.data;
  if (m.kind === 'question.report') {
    // R50: a note or problem flag; no revision, no head (R22).
    const r = await applyQuestionReport(conn, userId, clientId, m, now);
    return r.ok ? { ...base, status: 'applied', duplicate: r.duplicate } : reject(r.reason, r.message);
  }
  if (m.kind !== 'annotation.save') return reject('unknown_kind', `This server does not apply ${m.kind} yet`);
  const access = await questionAccess(conn, userId, m.taskId, m.questionId);
  if (access === 'unknown_question') return reject('unknown_question', `No question ${m.questionId}`);
  if (access === 'not_assigned') return reject('not_assigned', `Task ${m.taskId} with question ${m.questionId} is not assigned to ${userId}`);
  if (await isLocked(conn, mustQualify, m.taskId))
    return reject('qualification_required', `Pass the qualification test first: task ${m.taskId} is locked until you do`);

  const { seq, head } = await appendRevision(conn, {
    ...m.values,
    id: m.id,
    questionId: m.questionId,
    userId,
    taskId: m.taskId,
    clientId,
    clientSeq: m.seq,
    baseRevisionId: m.baseRevisionId,
    supersedes: m.supersedes,
    clientSavedAt: m.clientSavedAt,
    serverReceivedAt: now,
  });
  return { ...base, status: 'applied', duplicate: false, revisionSeq: seq, head };
}

export function syncRoutes({ db }: AppOptions) {
  const r = new Hono<AppEnv>();
  const writes = createWriteQueue(db);
  r.use('/sync/*', requireProtocol(), requireUser());
  // R31: the size is bounded by the app's body limit (MAX_PUSH_BYTES, 413); the nesting before parsing.
  r.post('/sync/push', async (c) => {
    const raw = await readJsonBody(c, MAX_PUSH_DEPTH);
    if (!raw.ok) return syncError(c, invalidBody(raw.message));
    const req = parse(pushRequestSchema, raw.value);
    if (!req.ok) return syncError(c, req.error);
    const { clientId } = req.data;
    const user = c.get('user');
    const userId = user.id;
    const now = new Date().toISOString();
    // R17: applied in sequence order, whatever order the batch arrived in.
    const mutations = [...req.data.mutations].sort((a, b) => a.seq - b.seq);

    const outcome = await writes.run(async (conn) => {
      const client = await registerSyncClient(conn, clientId, userId, now);
      if (!client) return null;
      const mustQualify = await needsQualification(conn, user);
      const results: MutationResult[] = [];
      for (const m of mutations) results.push(await applyOne(conn, userId, clientId, m, now, mustQualify));
      const ackSeq = await advanceClientSeq(conn, clientId, mutations.at(-1)?.seq ?? 0, now);
      return { results, ackSeq };
    });
    if (!outcome) return syncError(c, { status: 'client_mismatch', message: `Client ${clientId} belongs to another user; start a new client id` });
    const body: PushResponse = { status: 'ok', clientId, ackSeq: outcome.ackSeq, results: outcome.results };
    return c.json(body);
  });

  r.get('/sync/pull', async (c) => {
    const q = parse(pullQuerySchema, c.req.query());
    if (!q.ok) return syncError(c, q.error);
    const userId = c.get('user').id;
    const { cursor, limit } = q.data;
    const rows = await listRevisionsSince(db, userId, cursor, limit + 1);
    const revisions = rows.slice(0, limit);
    const heads = await headsFor(db, userId, [...new Set(revisions.map((r) => r.questionId))]);
    const body: PullResponse = { status: 'ok', revisions, heads, cursor: revisions.at(-1)?.seq ?? cursor, hasMore: rows.length > limit };
    return c.json(body);
  });
  return r;
}
