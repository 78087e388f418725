// The client half of shared/SPEC.md: push the outbox, then pull the server's revisions.
// Every step that changes local state is one Dexie transaction, so a crash between steps loses nothing:
// outbox rows go only on an acknowledgement (R8) and a pull page lands together with its cursor (R14).
import {
  type AnnotationSaveMutation,
  type MutationResult,
  type PullResponse,
  type WireHead,
  type WireRevision,
  pullResponseSchema,
  pushResponseSchema,
} from '@in3d/shared/protocol';
import type { SyncState } from './contract';
import type { AnnotationRow, LocalDb, OutboxRow, RevisionRow } from './db';
import type { Api, ApiFailure } from './http';
import { newSyncState, valuesOf } from './local-save';

/** How far a sync got: finished, or stopped by a failure the caller reports in the status. */
export type SyncOutcome = { ok: true } | { ok: false; failure: ApiFailure | { kind: 'bad_answer' | 'client_mismatch'; message: string } };

const PUSH_BATCH = 100;
const PULL_LIMIT = 500;

export interface SyncContext {
  db: LocalDb;
  api: Api;
  userId: string;
  clientId: string;
}

export async function pushOutbox(ctx: SyncContext): Promise<SyncOutcome> {
  const { db, api, clientId } = ctx;
  for (;;) {
    // R17: oldest first.
    const rows = await db.outbox.where('[clientId+seq]').between([clientId, 0], [clientId, Number.MAX_SAFE_INTEGER]).limit(PUSH_BATCH).toArray();
    if (rows.length === 0) return { ok: true };
    const res = await api.json('POST', '/api/sync/push', { clientId, mutations: rows.map((r) => r.mutation) });
    if (!res.ok) {
      if (res.kind === 'http' && res.status === 409) return { ok: false, failure: { kind: 'client_mismatch', message: res.message } };
      return { ok: false, failure: res };
    }
    const parsed = pushResponseSchema.safeParse(res.data);
    if (!parsed.success || parsed.data.clientId !== clientId) return { ok: false, failure: { kind: 'bad_answer', message: 'The server sent an answer this app cannot read' } };
    await applyPushResults(ctx, parsed.data.results);
    // A batch without a single result for what we sent would loop forever; stop and retry later.
    if (!parsed.data.results.some((r) => rows.some((row) => row.id === r.id))) return { ok: false, failure: { kind: 'bad_answer', message: 'The server acknowledged nothing' } };
  }
}

/** R8: each result settles its outbox row; applied rows are done, rejected ones move to "Needs attention". */
export async function applyPushResults(ctx: SyncContext, results: readonly MutationResult[]): Promise<void> {
  const { db } = ctx;
  await db.transaction('rw', [db.outbox, db.annotations, db.attemptAnswers, db.attention], async () => {
    for (const r of results) {
      const row = await db.outbox.get(r.id);
      if (!row) continue; // already settled by an earlier answer to the same batch
      await db.outbox.delete(r.id);
      if (r.status === 'rejected') await db.attention.put({ ...row, reason: r.reason, message: r.message, rejectedAt: new Date().toISOString() });
      if (row.mutation.kind === 'annotation.save') await settleAnnotation(ctx, row, r);
      else if (row.mutation.kind === 'qualification.answer') await settleAnswer(ctx, row.mutation.attemptId, row.mutation.questionId, r);
      // Verdicts and picks keep nothing else on the device: the outbox (or attention) row was all of it.
    }
  });
}

async function settleAnnotation(ctx: SyncContext, row: OutboxRow, r: MutationResult): Promise<void> {
  const { db, userId } = ctx;
  const questionId = row.questionId ?? (row.mutation as AnnotationSaveMutation).questionId;
  const ann = await db.annotations.get([userId, questionId]);
  const shown = ann && ann.id === r.id;
  if (r.status === 'rejected') {
    if (shown) await db.annotations.put(withSync(ann, { kind: 'needs-attention', reason: r.reason }, ann.headSeq));
    return;
  }
  if (!r.head || r.revisionSeq === undefined) return; // R22: not an answer for a save; the pull brings the truth
  const stillPending = await db.outbox.where('[userId+questionId]').equals([userId, questionId]).count();
  const clean = r.head.revisionId === r.id && r.head.conflictRevisionId === null;
  // A conflict is shown once the pull has brought the other side's values.
  if (shown && stillPending === 0 && clean) await db.annotations.put(withSync(ann, { kind: 'synced', seq: r.revisionSeq }, r.head.updatedSeq));
}

/** The device's copy of an attempt answer shows where it stands; the server keeps no head for it (R22). */
async function settleAnswer(ctx: SyncContext, attemptId: string, questionId: string, r: MutationResult): Promise<void> {
  const { db, userId } = ctx;
  const ans = await db.attemptAnswers.get([userId, attemptId, questionId]);
  if (!ans || ans.id !== r.id) return;
  const sync: SyncState = r.status === 'rejected' ? { kind: 'needs-attention', reason: r.reason } : { kind: 'synced', seq: 0 };
  await db.attemptAnswers.put({ ...ans, sync });
}

function withSync(row: AnnotationRow, sync: SyncState, headSeq: number): AnnotationRow {
  return { ...row, sync, syncKind: sync.kind, headSeq: Math.max(row.headSeq, headSeq) };
}

export async function pullAll(ctx: SyncContext): Promise<SyncOutcome> {
  const { db, api, clientId, userId } = ctx;
  for (;;) {
    const state = (await db.syncState.get(clientId)) ?? newSyncState(clientId, userId);
    const res = await api.json('GET', `/api/sync/pull?cursor=${state.cursor}&limit=${PULL_LIMIT}`);
    if (!res.ok) return { ok: false, failure: res };
    const parsed = pullResponseSchema.safeParse(res.data);
    if (!parsed.success) return { ok: false, failure: { kind: 'bad_answer', message: 'The server sent a page this app cannot read' } };
    const page = parsed.data;
    if (page.revisions.length === 0 && page.heads.length === 0 && page.cursor === state.cursor) return { ok: true }; // nothing new
    const applied = await applyPullPage(ctx, state.cursor, page);
    if (!applied || !page.hasMore) return { ok: true };
  }
}

/** R14: one transaction for the page and the cursor; false when another tab moved the cursor first. */
export async function applyPullPage(ctx: SyncContext, fromCursor: number, page: PullResponse): Promise<boolean> {
  const { db, userId, clientId } = ctx;
  return db.transaction('rw', [db.revisions, db.annotations, db.heads, db.outbox, db.syncState], async () => {
    const state = (await db.syncState.get(clientId)) ?? newSyncState(clientId, userId);
    if (state.cursor !== fromCursor) return false;
    await db.revisions.bulkPut(page.revisions);
    for (const head of page.heads) {
      await db.heads.put({ userId, ...head });
      await showHead(db, userId, clientId, head);
    }
    await db.syncState.put({ ...state, cursor: Math.max(state.cursor, page.cursor) });
    return true;
  });
}

/** Puts the server head on screen unless a local save is pending or the row already shows something newer. */
export async function showHead(db: LocalDb, userId: string, clientId: string, head: WireHead): Promise<void> {
  const pending = await db.outbox.where('[userId+questionId]').equals([userId, head.questionId]).count();
  if (pending > 0) return;
  const existing = await db.annotations.get([userId, head.questionId]);
  if (existing && existing.headSeq > head.updatedSeq) return;
  const h = await db.revisions.get(head.revisionId);
  const c = head.conflictRevisionId ? await db.revisions.get(head.conflictRevisionId) : null;
  if (!h || c === undefined) return; // a later page brings it
  // In a conflict "mine" is this device's side when it has one.
  const mine = c && c.clientId === clientId && h.clientId !== clientId ? c : h;
  const theirs = c ? (mine === h ? c : h) : null;
  const sync: SyncState = theirs
    ? { kind: 'conflict', theirs: { ...valuesOf(theirs), revisionId: theirs.id, userId: theirs.userId, ...(theirs.cleared ? { cleared: true } : {}) } }
    : { kind: 'synced', seq: h.seq };
  await db.annotations.put(fromRevision(mine, existing, sync, head.updatedSeq));
}

function fromRevision(rev: RevisionRow | WireRevision, existing: AnnotationRow | undefined, sync: SyncState, headSeq: number): AnnotationRow {
  return {
    ...valuesOf(rev),
    userId: rev.userId,
    questionId: rev.questionId,
    taskId: rev.taskId ?? existing?.taskId ?? '',
    id: rev.id,
    baseRevisionId: rev.baseRevisionId,
    savedAt: rev.clientSavedAt,
    sync,
    syncKind: sync.kind,
    headSeq,
    ...(rev.cleared ? { cleared: true } : {}),
  };
}
