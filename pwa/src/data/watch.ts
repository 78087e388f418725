// Per-question changes of one task's annotations, live across tabs: Dexie's liveQuery re-runs the query
// when any tab of this origin commits to the table, and only questions whose shown save changed are
// passed on, so pages update one question instead of re-reading the task.
import { liveQuery } from 'dexie';
import type { AnnotationChange, LocalAnnotation } from './contract';
import type { LocalDb } from './db';
import { shownAnnotation } from './local-save';
import { toLocalAnswer } from './local-work';

/** What makes a row look different on screen: its revision, its sync state, the other side of a conflict. */
function signature(r: LocalAnnotation | null): string {
  if (!r) return 'none';
  const s = r.sync;
  const extra = s.kind === 'synced' ? s.seq : s.kind === 'needs-attention' ? s.reason : s.kind === 'conflict' ? s.theirs.revisionId : '';
  return `${r.id}|${s.kind}|${extra}`;
}

export function watchTaskAnnotations(
  db: LocalDb,
  /** `attemptId`: the task is a qualification attempt, whose saves are its answers (SPEC R21). */
  { userId, taskId, attemptId }: { userId: string; taskId: string; attemptId?: string },
  listener: (changes: AnnotationChange[]) => void,
  onError: (err: unknown) => void,
): () => void {
  let seen: Map<string, string> | null = null;
  // R51: a cleared row is a question with no annotation (null), so the lights and the editor follow a clear.
  const read = async (): Promise<{ questionId: string; annotation: LocalAnnotation | null }[]> =>
    attemptId
      ? (await db.attemptAnswers.where('[userId+attemptId]').equals([userId, attemptId]).toArray()).map((a) => ({ questionId: a.questionId, annotation: toLocalAnswer(a) }))
      : (await db.annotations.where('[userId+taskId]').equals([userId, taskId]).toArray()).map((r) => ({ questionId: r.questionId, annotation: shownAnnotation(r) }));
  const sub = liveQuery(read).subscribe({
    next(rows) {
      const first = seen === null;
      const before = seen ?? new Map<string, string>();
      const now = new Map(rows.map((r) => [r.questionId, signature(r.annotation)]));
      const changes: AnnotationChange[] = rows.filter((r) => before.get(r.questionId) !== now.get(r.questionId));
      for (const q of before.keys()) if (!now.has(q)) changes.push({ questionId: q, annotation: null });
      seen = now;
      if (first || changes.length > 0) listener(changes);
    },
    error: onError,
  });
  return () => sub.unsubscribe();
}
