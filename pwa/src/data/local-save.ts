// Saving on the device (SPEC R9): the annotation, its outbox row and the next sequence number are
// written in one Dexie transaction, and the caller hears back only after it committed.
import { type AnnotationSaveMutation, annotationValuesSchema } from '@in3d/shared/protocol';
import type { AnnotationValues } from '@in3d/shared/types';
import type { LocalAnnotation } from './contract';
import type { AnnotationRow, LocalDb, OutboxRow, SyncStateRow } from './db';
import { newUuid } from './uuid';

export interface SaveInput {
  userId: string;
  clientId: string;
  taskId: string;
  questionId: string;
  values: AnnotationValues;
  /** For a conflict resolution: the base is the shown revision and this names the other side (R12). */
  resolve?: { base: string; supersedes: string };
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

/** The revision a new save builds on: what the annotator saw, or for a refused save, what that one saw. */
function baseOf(row: AnnotationRow | undefined): string | null {
  if (!row) return null;
  return row.sync.kind === 'needs-attention' ? row.baseRevisionId : row.id;
}

export async function saveLocally(db: LocalDb, input: SaveInput): Promise<AnnotationRow> {
  // A page passing NaN or a 0 subtype is a bug to see now, not a rejection to find later.
  const values = annotationValuesSchema.parse(valuesOf(input.values));
  const id = newUuid();
  const now = new Date().toISOString();
  return db.transaction('rw', [db.syncState, db.outbox, db.annotations], async () => {
    const state = (await db.syncState.get(input.clientId)) ?? newSyncState(input.clientId, input.userId);
    const existing = await db.annotations.get([input.userId, input.questionId]);
    const baseRevisionId = input.resolve ? input.resolve.base : baseOf(existing);
    const mutation: AnnotationSaveMutation = {
      id,
      seq: state.nextSeq,
      kind: 'annotation.save',
      questionId: input.questionId,
      taskId: input.taskId,
      baseRevisionId,
      supersedes: input.resolve ? [input.resolve.supersedes] : [],
      values,
      clientSavedAt: now,
    };
    const outboxRow: OutboxRow = { id, clientId: input.clientId, userId: input.userId, seq: mutation.seq, questionId: input.questionId, mutation, createdAt: now };
    const row: AnnotationRow = {
      ...values,
      userId: input.userId,
      questionId: input.questionId,
      taskId: input.taskId,
      id,
      baseRevisionId,
      savedAt: now,
      sync: { kind: 'saved-on-device' },
      syncKind: 'saved-on-device',
      headSeq: existing?.headSeq ?? 0,
    };
    await db.outbox.add(outboxRow);
    await db.syncState.put({ ...state, nextSeq: state.nextSeq + 1 });
    await db.annotations.put(row);
    return row;
  });
}
