// Annotations: the append-only revision history and the head pointer of each (question, annotator).
//
// For importers and other writers: call `appendRevision(trx, …)` inside a transaction; it inserts one
// revision (never updates one) and moves the head by the rules in shared/SPEC.md (R10–R12). A revision id
// must be unique forever (uuid for the app, a stable derived id for imports so re-running changes nothing).
import { type HeadState, type RevisionAuthor, type WireHead, type WireRevision, isStaleRevision, nextHead } from '@in3d/shared/protocol';
import type { AnnotationValues, Dense, ObjectStatus, PoseParamName } from '@in3d/shared/types';
import { type Kysely, sql } from 'kysely';
import type { Db, DbOrTrx } from '../db/connect';
import { isBusy, isDiskFull } from '../db/errors';
import { nextTurn } from '../event-loop';
import type { AnnotationRow, Database } from '../db/schema';
import { selectIn } from './chunks';

/**
 * Runs `fn` in one `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two pushes never
 * interleave between their reads and writes (SPEC R6). The dialect has one connection; we hold it throughout.
 */
export async function immediateTransaction<T>(db: Db, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    try {
      const out = await fn(conn);
      await sql`COMMIT`.execute(conn);
      return out;
    } catch (err) {
      await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      throw err;
    }
  });
}

/**
 * Group commit: pushes that arrive while a transaction is running wait and then share the next
 * `BEGIN IMMEDIATE` transaction, each in its own savepoint, so one fsync makes a whole group durable
 * and one push failing undoes only its own writes. Results are handed out only after COMMIT (SPEC R6).
 *
 * When another process holds the write lock (a CLI import, a sqlite3 shell), BEGIN IMMEDIATE fails
 * with SQLITE_BUSY after the short busy timeout; the group is retried with async backoff, so the event
 * loop stays free for reads and /api/health, and after `busyBudgetMs` its pushes fail with that busy
 * error (answered 503 with Retry-After). Nothing ran: a busy BEGIN leaves no writes behind.
 */
export function createWriteQueue(db: Db, opts: { maxGroup?: number; busyBudgetMs?: number } = {}) {
  const maxGroup = opts.maxGroup ?? 64;
  const busyBudgetMs = opts.busyBudgetMs ?? 3000;
  interface Job {
    fn: (conn: Kysely<Database>) => Promise<unknown>;
    resolve: (v: unknown) => void;
    reject: (e: unknown) => void;
  }
  type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
  const queue: Job[] = [];
  let flushing = false;

  async function runGroup(group: Job[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    await immediateTransaction(db, async (conn) => {
      for (const job of group) {
        await sql`SAVEPOINT push`.execute(conn);
        try {
          outcomes.push({ ok: true, value: await job.fn(conn) });
          await sql`RELEASE push`.execute(conn);
        } catch (error) {
          // A storage fault inside one push (disk full) is the whole transaction's: let it fail.
          if (isBusy(error) || isDiskFull(error)) throw error;
          await sql`ROLLBACK TO push`.execute(conn);
          await sql`RELEASE push`.execute(conn);
          outcomes.push({ ok: false, error });
        }
      }
    });
    return outcomes;
  }

  async function runWithRetry(group: Job[]): Promise<Outcome[]> {
    const start = Date.now();
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
      try {
        return await runGroup(group);
      } catch (error) {
        if (!isBusy(error) || Date.now() - start + delay > busyBudgetMs) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async function flush(): Promise<void> {
    flushing = true;
    try {
      while (queue.length) {
        // Let other requests' queries (sessions, pulls) and newly arrived pushes in first: the driver's
        // lock is not first-come-first-served, and a bigger group costs no more fsyncs.
        await nextTurn();
        const group = queue.splice(0, maxGroup);
        let outcomes: Outcome[];
        try {
          outcomes = await runWithRetry(group);
        } catch (error) {
          for (const job of group) job.reject(error); // the commit failed: nothing of the group happened
          continue;
        }
        group.forEach((job, i) => {
          const o = outcomes[i]!;
          if (o.ok) job.resolve(o.value);
          else job.reject(o.error);
        });
      }
    } finally {
      flushing = false;
    }
  }

  return {
    run<T>(fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        if (!flushing) void flush();
      });
    },
  };
}

export interface NewRevision extends AnnotationValues {
  id: string;
  questionId: string;
  userId: string;
  taskId: string | null;
  clientId: string;
  clientSeq: number | null;
  baseRevisionId: string | null;
  /** Revisions this one settles (conflict resolution, SPEC R12). */
  supersedes?: readonly string[];
  /** SPEC R51: a "Clear annotation" revision. */
  cleared?: boolean;
  source?: string;
  clientSavedAt: string;
  serverReceivedAt: string;
}

export interface AppendResult {
  seq: number;
  head: WireHead;
}

export async function findRevision(db: DbOrTrx, id: string): Promise<AnnotationRow | undefined> {
  return db.selectFrom('annotations').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface StoredHead {
  head: WireHead;
  /** The devices (and their seqs) that wrote the head and the conflict revision (SPEC R11c, R36). */
  author: RevisionAuthor;
  conflictAuthor: RevisionAuthor | null;
}

/** The head of (question, annotator) and who wrote each of its sides. */
export async function findHead(db: DbOrTrx, questionId: string, userId: string): Promise<StoredHead | undefined> {
  const row = await db
    .selectFrom('annotation_heads as h')
    .innerJoin('annotations as a', 'a.id', 'h.revision_id')
    .leftJoin('annotations as c', 'c.id', 'h.conflict_revision_id')
    .select(['h.question_id', 'h.revision_id', 'h.conflict_revision_id', 'h.updated_seq', 'a.client_id', 'a.client_seq'])
    .select(['c.client_id as c_client_id', 'c.client_seq as c_client_seq'])
    .where('h.question_id', '=', questionId)
    .where('h.user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  const conflictAuthor = row.c_client_id === null ? null : { clientId: row.c_client_id, clientSeq: row.c_client_seq };
  return { head: toWireHead(row), author: { clientId: row.client_id, clientSeq: row.client_seq }, conflictAuthor };
}

/** Appends one revision and moves the head (SPEC R10, R11, R12, R36). Call inside a transaction. */
export async function appendRevision(db: DbOrTrx, rev: NewRevision): Promise<AppendResult> {
  const current = await findHead(db, rev.questionId, rev.userId);
  const inserted = await db
    .insertInto('annotations')
    .values({
      id: rev.id,
      question_id: rev.questionId,
      user_id: rev.userId,
      task_id: rev.taskId,
      client_id: rev.clientId,
      client_seq: rev.clientSeq,
      base_revision_id: rev.baseRevisionId,
      azimuth: rev.pose.azimuth,
      elevation: rev.pose.elevation,
      theta: rev.pose.theta,
      distance: rev.pose.distance,
      px: rev.pose.px,
      py: rev.pose.py,
      subtype: rev.subtype,
      object_status: rev.objectStatus,
      dense: rev.dense,
      active_ms: rev.activeMs,
      ambiguous_json: ambiguousJson(rev.ambiguous),
      cleared: rev.cleared ? 1 : 0,
      source: rev.source ?? 'app',
      client_saved_at: rev.clientSavedAt,
      server_received_at: rev.serverReceivedAt,
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  // R36: older than what its own device already put at the head: history only, the head stays.
  if (current && isStaleRevision({ clientId: rev.clientId, clientSeq: rev.clientSeq }, [current.author, current.conflictAuthor]))
    return { seq: inserted.seq, head: current.head };
  const state: HeadState | null = current ? { revisionId: current.head.revisionId, conflictRevisionId: current.head.conflictRevisionId } : null;
  const next = nextHead(state, current?.author.clientId ?? null, {
    id: rev.id,
    clientId: rev.clientId,
    baseRevisionId: rev.baseRevisionId,
    supersedes: rev.supersedes ?? [],
  });
  await db
    .insertInto('annotation_heads')
    .values({ question_id: rev.questionId, user_id: rev.userId, revision_id: next.revisionId, conflict_revision_id: next.conflictRevisionId, updated_seq: inserted.seq })
    .onConflict((oc) =>
      oc.columns(['question_id', 'user_id']).doUpdateSet({ revision_id: next.revisionId, conflict_revision_id: next.conflictRevisionId, updated_seq: inserted.seq }),
    )
    .execute();
  return { seq: inserted.seq, head: { questionId: rev.questionId, ...next, updatedSeq: inserted.seq } };
}

export type QuestionAccess = 'ok' | 'unknown_question' | 'not_assigned';

/** Whether `userId` may annotate `questionId` within `taskId` (the task must hold it and be assigned to them). */
export async function questionAccess(db: DbOrTrx, userId: string, taskId: string, questionId: string): Promise<QuestionAccess> {
  const row = await db
    .selectFrom('questions as q')
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('task_questions as tq')
            .innerJoin('assignments as a', 'a.task_id', 'tq.task_id')
            .select('tq.task_id')
            .where('tq.task_id', '=', taskId)
            .whereRef('tq.question_id', '=', 'q.id')
            .where('a.user_id', '=', userId),
        )
        .as('ok'),
    )
    .where('q.id', '=', questionId)
    .executeTakeFirst();
  if (!row) return 'unknown_question';
  return row.ok ? 'ok' : 'not_assigned';
}

export interface StoredRejection {
  mutationId: string;
  clientId: string;
  reason: string;
  message: string;
}

export async function findRejection(db: DbOrTrx, mutationId: string): Promise<StoredRejection | undefined> {
  const row = await db.selectFrom('sync_rejections').select(['mutation_id', 'client_id', 'reason', 'message']).where('mutation_id', '=', mutationId).executeTakeFirst();
  return row && { mutationId: row.mutation_id, clientId: row.client_id, reason: row.reason, message: row.message };
}

/** What a refused mutation may store of its body; a bigger one keeps its size and its first bytes. */
export const MAX_REJECTED_BODY_CHARS = 8 * 1024;

function storedBody(body: unknown): string {
  const json = JSON.stringify(body) ?? 'null';
  if (json.length <= MAX_REJECTED_BODY_CHARS) return json;
  return JSON.stringify({ truncated: true, chars: json.length, start: json.slice(0, 1024) });
}

export async function insertRejection(
  db: DbOrTrx,
  r: { mutationId: string; clientId: string; clientSeq: number; userId: string; reason: string; message: string; body: unknown; at: string },
): Promise<void> {
  await db
    .insertInto('sync_rejections')
    .values({
      mutation_id: r.mutationId,
      client_id: r.clientId,
      client_seq: r.clientSeq,
      user_id: r.userId,
      reason: r.reason,
      message: r.message,
      body_json: storedBody(r.body),
      rejected_at: r.at,
    })
    .onConflict((oc) => oc.column('mutation_id').doNothing())
    .execute();
}

/** One annotator's revisions after `cursor` in server order (SPEC R13). */
export async function listRevisionsSince(db: DbOrTrx, userId: string, cursor: number, limit: number): Promise<WireRevision[]> {
  const rows = await db
    .selectFrom('annotations')
    .selectAll()
    .where('user_id', '=', userId)
    .where('seq', '>', cursor)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(toWireRevision);
}

export async function headsFor(db: DbOrTrx, userId: string, questionIds: readonly string[]): Promise<WireHead[]> {
  const rows = await selectIn(questionIds, (slice) => db
    .selectFrom('annotation_heads')
    .select(['question_id', 'revision_id', 'conflict_revision_id', 'updated_seq'])
    .where('user_id', '=', userId)
    .where('question_id', 'in', slice)
    .execute());
  return rows.map(toWireHead);
}

function toWireHead(row: { question_id: string; revision_id: string; conflict_revision_id: string | null; updated_seq: number }): WireHead {
  return { questionId: row.question_id, revisionId: row.revision_id, conflictRevisionId: row.conflict_revision_id, updatedSeq: row.updated_seq };
}

export function toWireRevision(row: AnnotationRow): WireRevision {
  return {
    id: row.id,
    questionId: row.question_id,
    taskId: row.task_id,
    userId: row.user_id,
    clientId: row.client_id,
    baseRevisionId: row.base_revision_id,
    seq: row.seq,
    pose: { azimuth: row.azimuth, elevation: row.elevation, theta: row.theta, distance: row.distance, px: row.px, py: row.py },
    subtype: row.subtype,
    objectStatus: row.object_status as ObjectStatus,
    dense: row.dense as Dense,
    activeMs: row.active_ms,
    ...ambiguousField(row.ambiguous_json),
    cleared: row.cleared === 1,
    clientSavedAt: row.client_saved_at,
    serverReceivedAt: row.server_received_at,
  };
}

/** SPEC R40: the stored form of the ambiguous list; NULL for none. */
export function ambiguousJson(list: readonly string[] | undefined): string | null {
  return list && list.length > 0 ? JSON.stringify(list) : null;
}

/** The stored list back (written only by `ambiguousJson` from validated saves). */
export function ambiguousOf(json: string | null | undefined): PoseParamName[] {
  return json ? (JSON.parse(json) as PoseParamName[]) : [];
}

/** `{ ambiguous }` for a wire object when the list is not empty, else nothing (the field is optional). */
export function ambiguousField(json: string | null | undefined): { ambiguous?: PoseParamName[] } {
  const list = ambiguousOf(json);
  return list.length > 0 ? { ambiguous: list } : {};
}
