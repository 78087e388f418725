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
import { toWellFormed } from '@in3d/shared/safe-json';
import { type Context, Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { z } from 'zod';
import type { AppEnv, AppOptions } from '../app';
import type { DbOrTrx } from '../db/connect';
import { requireUser } from '../middleware/auth';
import { formatIssues, readJsonBody } from '../middleware/validate';
import {
  createWriteQueue,
  findHead,
  findRejection,
  findRevision,
  headsFor,
  insertRejection,
  listRevisionsSince,
} from '../repositories/annotations';
import { findStoredMutation } from '../repositories/mutations';
import { needsQualification } from '../repositories/quality';
import { advanceClientSeq, registerSyncClient } from '../repositories/sync-clients';
import { type ApplyContext, applyMutation } from './sync-apply';

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

/** One mutation inside the push transaction: a stored answer for a retry (R4, R7, R22), else validate and apply. */
async function applyOne(conn: DbOrTrx, ctx: ApplyContext, env: Envelope): Promise<MutationResult> {
  const { clientId } = ctx;
  const userId = ctx.user.id;
  const base = { id: env.id, seq: env.seq };
  const taken: MutationResult = { ...base, status: 'rejected', reason: 'id_taken', message: 'This mutation id belongs to another client' };
  const stored = await findStoredMutation(conn, env.id);
  if (stored) {
    if (stored.userId !== userId || (stored.clientId !== null && stored.clientId !== clientId)) return taken;
    if (stored.kind !== 'annotation.save') return { ...base, status: 'applied', duplicate: true };
    const existing = await findRevision(conn, env.id);
    const head = existing && (await findHead(conn, existing.question_id, userId));
    if (!existing || !head) throw new Error(`revision ${env.id} has no head`);
    return { ...base, status: 'applied', duplicate: true, revisionSeq: existing.seq, head: head.head };
  }
  const refused = await findRejection(conn, env.id);
  if (refused) {
    if (refused.clientId !== clientId) return taken;
    return { ...base, status: 'rejected', reason: refused.reason as RejectionReason, message: refused.message };
  }

  // R32: a mutation over the limits is stored as its envelope only (its body is what could not be handled).
  const problem = mutationLimitProblem(env);
  const kind = typeof env.kind === 'string' ? env.kind : null;
  const reject = async (reason: RejectionReason, text: string): Promise<MutationResult> => {
    const message = toWellFormed(text); // R35: messages quote client values (zod does too)
    const body = problem ? { id: env.id, seq: env.seq, kind: kind && toWellFormed(kind), omitted: problem } : env;
    await insertRejection(conn, { mutationId: env.id, clientId, clientSeq: env.seq, userId, reason, message, body, at: ctx.now });
    return { ...base, status: 'rejected', reason, message };
  };
  if (problem) return reject('invalid', problem);
  if (kind === null) return reject('unknown_kind', 'The mutation kind is missing or not a string');
  if (!(MUTATION_KINDS as readonly string[]).includes(kind)) return reject('unknown_kind', `Unknown mutation kind ${JSON.stringify(kind.slice(0, 100))}`);
  const parsed = parse(mutationSchema, env);
  if (!parsed.ok) return reject('invalid', parsed.error.message);
  const out = await applyMutation(conn, ctx, parsed.data);
  if (!out.ok) return reject(out.reason, out.message);
  return { ...base, status: 'applied', duplicate: false, ...(out.head ? { revisionSeq: out.revisionSeq, head: out.head } : {}) };
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
      const ctx: ApplyContext = { user, clientId, now, mustQualify: await needsQualification(conn, user) };
      const results: MutationResult[] = [];
      for (const m of mutations) results.push(await applyOne(conn, ctx, m));
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
