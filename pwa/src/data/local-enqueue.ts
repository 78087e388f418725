// Work of a kind other than an annotation save (SPEC R24, R50): the mutation, its outbox row and the next
// sequence number in one Dexie transaction, exactly as a save (R9); the one sync engine sends it.
import { type Mutation, type ReportProblem, questionReportSchema } from '@in3d/shared/protocol';
import type { LocalDb } from './db';
import { newSyncState } from './local-save';
import { newUuid } from './uuid';

export interface QuestionReportInput {
  userId: string;
  clientId: string;
  taskId: string;
  questionId: string;
  problem: ReportProblem | null;
  note: string;
}

async function enqueue(db: LocalDb, owner: { userId: string; clientId: string }, questionId: string, build: (id: string, seq: number, now: string) => Mutation): Promise<Mutation> {
  return db.transaction('rw', [db.syncState, db.outbox], async () => {
    const state = (await db.syncState.get(owner.clientId)) ?? newSyncState(owner.clientId, owner.userId);
    const now = new Date().toISOString();
    const mutation = build(newUuid(), state.nextSeq, now);
    await db.outbox.add({ ...owner, id: mutation.id, seq: mutation.seq, questionId, mutation, createdAt: now });
    await db.syncState.put({ ...state, nextSeq: state.nextSeq + 1 });
    return mutation;
  });
}

export async function reportLocally(db: LocalDb, r: QuestionReportInput): Promise<Mutation> {
  // A page passing neither a problem nor a note is a bug to see now, not a rejection to find later.
  if (r.problem === null && r.note.trim() === '') throw new Error('A report needs a problem or a note');
  return enqueue(db, r, r.questionId, (id, seq, now) =>
    questionReportSchema.parse({ id, seq, kind: 'question.report', questionId: r.questionId, taskId: r.taskId, problem: r.problem, note: r.note.trim(), clientSavedAt: now }),
  );
}
