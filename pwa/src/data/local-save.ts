// Saving on the device (SPEC R9, R24): a mutation of any kind, its outbox row, the next sequence number
// and the kind's local rows are written in one Dexie transaction; the caller hears back after it committed.
import { type AnnotationSaveMutation, type Mutation, annotationValuesSchema } from '@in3d/shared/protocol';
import type { AnnotationValues } from '@in3d/shared/types';
import type { Table } from 'dexie';
import type { LocalAnnotation } from './contract';
import type { AnnotationRow, LocalDb, OutboxRow, SyncStateRow } from './db';
import { markSave } from './save-probe';
import { newUuid } from './uuid';

export interface SaveInput {
  userId: string;
  clientId: string;
  taskId: string;
  questionId: string;
  values: AnnotationValues;
  /** For a conflict resolution: the base is the shown revision and this names the other side (R12). */
  resolve?: { base: string; supersedes: string };
  /** R51: "Clear annotation": `values` are the ones cleared; the question is not annotated afterwards. */
  cleared?: boolean;
}

export const newSyncState = (clientId: string, userId: string): SyncStateRow => ({ clientId, userId, nextSeq: 1, cursor: 0, lastSyncAt: null });

export function valuesOf(v: AnnotationValues): AnnotationValues {
  const out: AnnotationValues = { pose: { ...v.pose }, subtype: v.subtype, objectStatus: v.objectStatus, dense: v.dense, activeMs: v.activeMs };
  if (v.ambiguous && v.ambiguous.length > 0) out.ambiguous = [...v.ambiguous];
  return out;
}

export function toLocalAnnotation(row: AnnotationRow): LocalAnnotation {
  return { ...valuesOf(row), id: row.id, questionId: row.questionId, taskId: row.taskId, savedAt: row.savedAt, sync: row.sync };
}

/** R51: what pages see of a row: nothing for a cleared one, unless it is in conflict (the banner settles it). */
export function shownAnnotation(row: AnnotationRow | undefined): LocalAnnotation | null {
  if (!row || (row.cleared && row.sync.kind !== 'conflict')) return null;
  return toLocalAnnotation(row);
}

/** The revision a new save builds on: what the annotator saw, or for a refused save, what that one saw. */
function baseOf(row: AnnotationRow | undefined): string | null {
  if (!row) return null;
  return row.sync.kind === 'needs-attention' ? row.baseRevisionId : row.id;
}

/** What `commitMutation` asks of a kind: its mutation, and the local rows it keeps next to the outbox row. */
export interface Built<M extends Mutation> {
  mutation: M;
  /** Only for annotation saves (OutboxRow.questionId). */
  questionId?: string;
  /** Issues its requests at once (no await between them): the transaction commits right after them. */
  write?: () => Promise<unknown>;
}

/**
 * R9, R24: the next sequence number, the outbox row and the kind's own local rows (in `tables`) in one
 * Dexie transaction, for every kind; resolves only after it committed ("Saved on device"). `read` (the
 * kind's own look-up, handed to `build`) goes out with the sequence number's read, and all writes go out
 * together: each awaited request is a round trip to the database, so a save costs two, then the commit.
 */
export async function commitMutation<M extends Mutation, R = undefined>(
  db: LocalDb,
  who: { userId: string; clientId: string },
  tables: Table[],
  build: (base: { id: string; seq: number; clientSavedAt: string }, found: R | undefined) => Built<M> | Promise<Built<M>>,
  read?: () => Promise<R>,
): Promise<M> {
  const id = newUuid();
  const now = new Date().toISOString();
  const committed = db.transaction('rw', [db.syncState, db.outbox, ...tables], async (tx) => {
    markSave('tx-open');
    const [stored, found] = await Promise.all([db.syncState.get(who.clientId), read?.()]);
    markSave('tx-reads-done');
    const state = stored ?? newSyncState(who.clientId, who.userId);
    const { mutation, questionId, write } = await build({ id, seq: state.nextSeq, clientSavedAt: now }, found);
    const row: OutboxRow = { id, clientId: who.clientId, userId: who.userId, seq: mutation.seq, kind: mutation.kind, mutation, createdAt: now };
    if (questionId !== undefined) row.questionId = questionId;
    const writes = Promise.all([db.outbox.add(row), db.syncState.put({ ...state, nextSeq: state.nextSeq + 1 }), write?.()]);
    // Nothing follows the writes: commit now instead of after their answers came back (one round trip
    // less), unless this runs inside a caller's transaction (a retry), which goes on after it.
    if (!tx.parent && 'commit' in tx.idbtrans) tx.idbtrans.commit();
    await writes;
    markSave('tx-writes-done');
    return mutation;
  });
  const m = await committed;
  markSave('committed');
  return m;
}

export async function saveLocally(db: LocalDb, input: SaveInput): Promise<AnnotationRow> {
  // A page passing NaN or a 0 subtype is a bug to see now, not a rejection to find later.
  const values = annotationValuesSchema.parse(valuesOf(input.values));
  markSave('validated');
  let row: AnnotationRow | undefined;
  await commitMutation<AnnotationSaveMutation, AnnotationRow | undefined>(db, input, [db.annotations], ({ id, seq, clientSavedAt }, existing) => {
    const baseRevisionId = input.resolve ? input.resolve.base : baseOf(existing);
    const mutation: AnnotationSaveMutation = {
      id,
      seq,
      kind: 'annotation.save',
      questionId: input.questionId,
      taskId: input.taskId,
      baseRevisionId,
      supersedes: input.resolve ? [input.resolve.supersedes] : [],
      values,
      ...(input.cleared ? { cleared: true } : {}),
      clientSavedAt,
    };
    const shown: AnnotationRow = {
      ...values,
      userId: input.userId,
      questionId: input.questionId,
      taskId: input.taskId,
      id,
      baseRevisionId,
      savedAt: clientSavedAt,
      sync: { kind: 'saved-on-device' },
      syncKind: 'saved-on-device',
      headSeq: existing?.headSeq ?? 0,
      ...(input.cleared ? { cleared: true } : {}),
    };
    row = shown;
    return { mutation, questionId: input.questionId, write: () => db.annotations.put(shown) };
  }, () => db.annotations.get([input.userId, input.questionId]));
  return row!;
}
