// Per-question status of the open task (not annotated / saved on device / synced / needs attention /
// conflict), so navigation can find the next unannotated question and the status lights stay current.
import { signal } from '@preact/signals';
import type { CadModelInfo, QuestionInfo, TaskSummary } from '@in3d/shared/types';
import type { AnnotationChange, DataStore, LocalAnnotation } from '../data/contract';
import { reportError } from '../app/report-error';

export type QuestionStatus =
  | { kind: 'open' }
  | { kind: 'saved' }
  | { kind: 'synced' }
  | { kind: 'attention'; reason: string }
  | { kind: 'conflict' };

export interface AttentionItem {
  taskId: string;
  questionId: string;
  number: number;
  reason: string;
}

export interface OpenTask {
  task: TaskSummary;
  questions: QuestionInfo[];
  /** The CAD models of the questions' categories, by category then subtype. */
  cads: CadModelInfo[];
  statuses: Record<string, QuestionStatus>;
}

export const openTask = signal<OpenTask | null>(null);
/** Needs-attention items from every task opened in this tab (the sync status area lists them). */
export const attentionItems = signal<AttentionItem[]>([]);

export function statusOf(a: LocalAnnotation | null): QuestionStatus {
  if (!a) return { kind: 'open' };
  switch (a.sync.kind) {
    case 'saved-on-device':
      return { kind: 'saved' };
    case 'synced':
      return { kind: 'synced' };
    case 'needs-attention':
      return { kind: 'attention', reason: a.sync.reason };
    case 'conflict':
      return { kind: 'conflict' };
  }
}

export const isDone = (s: QuestionStatus | undefined) => s !== undefined && s.kind !== 'open';

export async function loadTask(store: DataStore, taskId: string): Promise<OpenTask | null> {
  const cur = openTask.value;
  if (cur && cur.task.id === taskId) return cur;
  const t = await store.getTask(taskId);
  if (!t) return null;
  const questions = [...t.questions].sort((a, b) => a.index - b.index);
  // A failed read fails the load (the page shows it): taking it as "not annotated" would hide saves.
  const annotations = await Promise.all(questions.map((q) => store.getAnnotation(q.id, q.taskId)));
  const statuses: Record<string, QuestionStatus> = {};
  questions.forEach((q, i) => (statuses[q.id] = statusOf(annotations[i] ?? null)));
  const open: OpenTask = { task: t.task, questions, cads: t.cads, statuses };
  openTask.value = open;
  refreshAttention(open);
  return open;
}

export function setQuestionStatus(questionId: string, status: QuestionStatus): void {
  const cur = openTask.value;
  if (!cur) return;
  const statuses = { ...cur.statuses, [questionId]: status };
  const done = cur.questions.filter((q) => isDone(statuses[q.id])).length;
  const next = { ...cur, statuses, task: { ...cur.task, done } };
  openTask.value = next;
  refreshAttention(next);
}

/**
 * Follows the task's annotations (this tab, other tabs, syncs) question by question: the lights move
 * and `onChange` hears each change (the open editor takes its question's). Answers the unsubscribe.
 */
export function watchOpenTask(store: DataStore, taskId: string, onChange: (c: AnnotationChange) => void): () => void {
  return store.watchTask(
    taskId,
    (changes) => {
      const cur = openTask.value;
      if (cur && cur.task.id === taskId) {
        const statuses = { ...cur.statuses };
        for (const c of changes) if (c.questionId in statuses) statuses[c.questionId] = statusOf(c.annotation);
        const done = cur.questions.filter((q) => isDone(statuses[q.id])).length;
        const next = { ...cur, statuses, task: { ...cur.task, done } };
        openTask.value = next;
        refreshAttention(next);
      }
      for (const c of changes) onChange(c);
    },
    (err) => reportError('task status: watch annotations', err),
  );
}

function refreshAttention(t: OpenTask): void {
  const others = attentionItems.value.filter((a) => a.taskId !== t.task.id);
  const mine: AttentionItem[] = [];
  t.questions.forEach((q, i) => {
    const s = t.statuses[q.id];
    if (s?.kind === 'attention') mine.push({ taskId: t.task.id, questionId: q.id, number: i + 1, reason: s.reason });
    if (s?.kind === 'conflict') mine.push({ taskId: t.task.id, questionId: q.id, number: i + 1, reason: 'conflict' });
  });
  attentionItems.value = [...others, ...mine];
}

/** 1-based number of the first question after `fromNumber` (wrapping around) that is not annotated. */
export function nextOpenNumber(t: OpenTask, fromNumber: number): number | null {
  const n = t.questions.length;
  for (let k = 1; k <= n; k++) {
    const i = (fromNumber - 1 + k) % n;
    const q = t.questions[i];
    if (q && !isDone(t.statuses[q.id])) return i + 1;
  }
  return null;
}
