// The two ways out of "Needs attention" (R8 keeps a refused save until the annotator decides):
// retry sends the same values again as a NEW mutation (new id and seq: the refused id stays refused
// on the server, R4), discard drops it and shows the server's version again. Works for every kind.
import type { Mutation } from '@in3d/shared/protocol';
import type { AttentionRow, LocalDb } from './db';
import { commitMutation, saveLocally } from './local-save';
import { saveAttemptAnswer } from './local-work';
import { showHead } from './sync';

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
  await db.transaction('rw', [db.attention, db.outbox, db.syncState, db.annotations, db.attemptAnswers], async () => {
    const row = await refusedRow(db, owner, id);
    const m = row.mutation;
    if (m.kind === 'annotation.save') {
      // The annotation path builds on what is shown now, and shows the retry as "saved on device".
      await saveLocally(db, { ...owner, taskId: m.taskId, questionId: m.questionId, values: m.values, cleared: m.cleared === true }); // a refused clear is retried as a clear (R51)
    } else if (m.kind === 'qualification.answer') {
      const shown = await db.attemptAnswers.get([owner.userId, m.attemptId, m.questionId]);
      await saveAttemptAnswer(db, owner, { attemptId: m.attemptId, taskId: shown?.taskId ?? '', questionId: m.questionId, values: m.values });
    } else {
      // R24: the same verdict or pick as a new mutation (its own id and seq) through the one commit path.
      await commitMutation<Mutation>(db, owner, [], async (base) => ({ mutation: { ...m, ...base } as Mutation }));
    }
    await db.attention.delete(id);
  });
}

export async function discardRefused(db: LocalDb, owner: Owner, id: string): Promise<void> {
  await db.transaction('rw', [db.attention, db.outbox, db.annotations, db.attemptAnswers, db.heads, db.revisions], async () => {
    const row = await refusedRow(db, owner, id);
    await db.attention.delete(id);
    const m = row.mutation;
    if (m.kind === 'qualification.answer') {
      const key: [string, string, string] = [owner.userId, m.attemptId, m.questionId];
      if ((await db.attemptAnswers.get(key))?.id === id) await db.attemptAnswers.delete(key);
      return;
    }
    if (m.kind !== 'annotation.save') return; // a verdict or pick keeps nothing else on the device
    const shown = await db.annotations.get([owner.userId, m.questionId]);
    if (!shown || shown.id !== id) return; // a later save is on screen: it stays
    await db.annotations.delete([owner.userId, m.questionId]);
    const head = await db.heads.get([owner.userId, m.questionId]);
    if (head) await showHead(db, owner.userId, owner.clientId, head);
  });
}
