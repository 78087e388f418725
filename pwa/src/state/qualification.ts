// The qualification test as the annotator sees it: status, start/retry, and submit (after the saves
// of the attempt have reached the server, since that is where it is scored).
import type { AttemptDetail, QualificationStatus } from '@in3d/shared/quality';
import type { DataStore } from '../data/contract';
import { apiJson, unwrap } from './review-http';

export async function qualificationStatus(): Promise<QualificationStatus> {
  return unwrap(await apiJson<QualificationStatus>('GET', '/api/qualification'));
}

export async function startAttempt(): Promise<AttemptDetail> {
  return unwrap(await apiJson<AttemptDetail>('POST', '/api/qualification/attempts'));
}

export async function getAttempt(id: string): Promise<AttemptDetail> {
  return unwrap(await apiJson<AttemptDetail>('GET', `/api/qualification/attempts/${encodeURIComponent(id)}`));
}

export async function submitAttempt(store: DataStore, id: string): Promise<AttemptDetail> {
  await store.syncNow();
  const pending = store.status().pending;
  if (pending > 0) throw new Error(`${pending} save(s) are still on this device; connect to the network and try again`);
  return unwrap(await apiJson<AttemptDetail>('POST', `/api/qualification/attempts/${encodeURIComponent(id)}/submit`));
}
