// The two ways out of "Needs attention" (R8 keeps a refused save until the annotator decides):
// retry sends the same values again as a NEW mutation (new id and seq: the refused id stays refused
// on the server, R4), discard drops it and shows the server's version again. Works for every kind.
import type { Mutation } from '@in3d/shared/protocol';
import type { AttentionRow, LocalDb } from './db';
import { newSyncState, saveLocally } from './local-save';
import { showHead } from './sync';
import { newUuid } from './uuid';

export interface Owner {
  userId: string;
  clientId: string;
}

async function refusedRow(db: LocalDb, owner: Owner, id: string): Promise<AttentionRow> {
  const row = await db.attention.get(id);
  if (!row || row.userId !== owner.userId) throw new Error(`No refused save ${id} for ${owner.userId}`);
  return row;
}

export async function retryRefused(db: LocalDb, owner: Owner, id: string): Promise<void> {
  await db.transaction('rw', [db.attention, db.outbox, db.syncState, db.annotations], async () => {
    const row = await refusedRow(db, owner, id);
    const m = row.mutation;
    if (m.kind === 'annotation.save') {
      // The annotation path builds on what is shown now, and shows the retry as "saved on device".
      await saveLocally(db, { ...owner, taskId: m.taskId, questionId: m.questionId, values: m.values });
    } else {
      const state = (await db.syncState.get(owner.clientId)) ?? newSyncState(owner.clientId, owner.userId);
      const now = new Date().toISOString();
      const mutation = { ...m, id: newUuid(), seq: state.nextSeq, clientSavedAt: now } as Mutation;
      await db.outbox.add({ ...owner, id: mutation.id, seq: mutation.seq, questionId: row.questionId, mutation, createdAt: now });
      await db.syncState.put({ ...state, nextSeq: state.nextSeq + 1 });
    }
    await db.attention.delete(id);
  });
}

export async function discardRefused(db: LocalDb, owner: Owner, id: string): Promise<void> {
  await db.transaction('rw', [db.attention, db.outbox, db.annotations, db.heads, db.revisions], async () => {
    const row = await refusedRow(db, owner, id);
    await db.attention.delete(id);
    if (row.mutation.kind !== 'annotation.save') return; // other kinds show nothing on the question to put back
    const shown = await db.annotations.get([owner.userId, row.questionId]);
    if (!shown || shown.id !== id) return; // a later save is on screen: it stays
    await db.annotations.delete([owner.userId, row.questionId]);
    const head = await db.heads.get([owner.userId, row.questionId]);
    if (head) await showHead(db, owner.userId, owner.clientId, head);
  });
}
