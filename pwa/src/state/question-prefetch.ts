// Reads the saved annotation and undo history of the next questions ahead of time, so opening the
// next question does not wait on IndexedDB. Entries are short-lived and dropped on any save.
import type { QuestionInfo } from '@in3d/shared/types';
import type { DataStore } from '../data/contract';
import { prefetchPhotos } from './assets';
import { readQuestionState, type PreloadedState } from './editor';

const MAX_AGE_MS = 30_000;
const cache = new Map<string, { at: number; state: Promise<PreloadedState> }>();

export function prefetchQuestionStates(store: DataStore, qs: QuestionInfo[]): void {
  const now = Date.now();
  for (const q of qs) {
    const hit = cache.get(q.id);
    if (hit && now - hit.at < MAX_AGE_MS) continue;
    const state = readQuestionState(store, q.id, q.taskId);
    // The read's failure goes to whoever takes it (the editor shows it); an entry nobody takes was never needed.
    state.catch(() => undefined);
    cache.set(q.id, { at: now, state });
  }
}

/** A fresh read-ahead for `questionId`, used once; undefined when there is none. */
export function takeQuestionState(questionId: string): Promise<PreloadedState> | undefined {
  const hit = cache.get(questionId);
  cache.delete(questionId);
  return hit && Date.now() - hit.at < MAX_AGE_MS ? hit.state : undefined;
}

const AHEAD = 3;
let readAheadFor: string | null = null;

/**
 * Reads the next questions ahead (photos one at a time at low priority, saved states), once per opened
 * question. The page calls it on the first frame that shows the question's overlay (or its photo, for
 * a question without a mesh): the photo and mesh the annotator waits for come first, never competing.
 */
export function readAheadAfterFirstOverlay(store: DataStore, questions: readonly QuestionInfo[], number: number): void {
  const current = questions[number - 1];
  if (!current || readAheadFor === current.id) return;
  readAheadFor = current.id;
  const ahead = questions.slice(number, number + AHEAD);
  void prefetchPhotos(store, ahead);
  prefetchQuestionStates(store, ahead);
}

/** After a save or a sync the read-ahead may be stale. */
export function forgetQuestionStates(): void {
  cache.clear();
}
