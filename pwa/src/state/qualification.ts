// The qualification test as the annotator sees it: status, start/retry, and submit (after the answers
// of the attempt have reached the server, since that is where it is scored). Answers themselves are
// saved in the annotate page as `qualification.answer` mutations (SPEC R21) through the one outbox.
import type { AttemptDetail, QualificationStatus } from '@in3d/shared/quality';
import type { DataStore } from '../data/contract';

export const qualificationStatus = (store: DataStore) => store.request<QualificationStatus>('GET', '/api/qualification');

export async function startAttempt(store: DataStore): Promise<AttemptDetail> {
  const a = await store.request<AttemptDetail>('POST', '/api/qualification/attempts');
  // The task list on the device must know the new task is an attempt before its first answer is saved.
  await store.listTasks();
  return a;
}

export const getAttempt = (store: DataStore, id: string) => store.request<AttemptDetail>('GET', `/api/qualification/attempts/${encodeURIComponent(id)}`);

export async function submitAttempt(store: DataStore, id: string): Promise<AttemptDetail> {
  await store.syncNow();
  const pending = (await store.localWork('qualification.answer')).pending.filter((m) => m.attemptId === id).length;
  if (pending > 0) throw new Error(`${pending} answer(s) are still on this device; connect to the network and try again`);
  const done = await store.request<AttemptDetail>('POST', `/api/qualification/attempts/${encodeURIComponent(id)}/submit`);
  await store.listTasks(); // the finished attempt leaves the task list (R23)
  return done;
}
