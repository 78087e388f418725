// The device's database. Keep every `version()` below, in order, so a device that last ran an old app
// upgrades step by step; add a new version for any change to stores or indexes.
// Binary data is stored as ArrayBuffer, never Blob: Safari has corrupted Blobs in IndexedDB.
import type { Mutation, MutationKind, WireRevision } from '@in3d/shared/protocol';
import type { AnnotationValues, CadModelInfo, QuestionInfo, TaskSummary } from '@in3d/shared/types';
import Dexie, { type Table } from 'dexie';
import type { SyncState } from './contract';

export interface TaskRow {
  userId: string;
  id: string;
  summary: TaskSummary;
  fetchedAt: string;
  /** Place in the server's last list: offline the list keeps that order, not the key order of ids. */
  position?: number;
  /** When the user pressed "Make available offline" here: only then is a partial download one to resume. */
  offlineRequestedAt?: string;
}

export type QuestionRow = QuestionInfo;

export type CadRow = CadModelInfo;

export interface MeshRow {
  etag: string;
  bytes: ArrayBuffer;
  storedAt: string;
}

export interface ImageRow {
  url: string;
  bytes: ArrayBuffer;
  type: string;
  storedAt: string;
}

/** What the annotator sees for a question: the newest local save, or the server head when nothing is pending. */
export interface AnnotationRow extends AnnotationValues {
  userId: string;
  questionId: string;
  taskId: string;
  /** Revision id (= mutation id) of these values. */
  id: string;
  baseRevisionId: string | null;
  savedAt: string;
  sync: SyncState;
  /** Copy of sync.kind, indexed so the status can count conflicts. */
  syncKind: SyncState['kind'];
  /** Server `updated_seq` of the head these values came from; a pull never moves a row back (R14). */
  headSeq: number;
  /** SPEC R51: these values were cleared: the question is not annotated, but the next save builds on this revision. */
  cleared?: boolean;
}

/** Revisions as the server stored them (pulled), including other devices' ones shown in a conflict. */
export interface RevisionRow extends WireRevision {}

/** One unsent mutation of any kind (SPEC R24): generic, so "Needs attention" can show every kind. */
export interface OutboxRow {
  /** Mutation id. */
  id: string;
  clientId: string;
  userId: string;
  seq: number;
  kind: MutationKind;
  /** Only for `annotation.save`: the question whose shown annotation this row holds back (R14). */
  questionId?: string;
  mutation: Mutation;
  createdAt: string;
}

/** A mutation the server refused for good (R8): kept with its values and reason, never dropped. */
export interface AttentionRow extends OutboxRow {
  reason: string;
  message: string;
  rejectedAt: string;
}

/** The device's copy of an answer to a qualification attempt (R21): never an annotation of the question. */
export interface AttemptAnswerRow extends AnnotationValues {
  userId: string;
  attemptId: string;
  taskId: string;
  questionId: string;
  /** Mutation id. */
  id: string;
  savedAt: string;
  sync: SyncState;
}

/** The last answer of a GET kept for offline use (the review queue, A/B pairs). */
export interface CachedJsonRow {
  userId: string;
  path: string;
  value: unknown;
  fetchedAt: string;
}

export interface HeadRow {
  userId: string;
  questionId: string;
  revisionId: string;
  conflictRevisionId: string | null;
  updatedSeq: number;
}

export interface HistoryRow {
  userId: string;
  questionId: string;
  history: unknown;
  updatedAt: string;
}

/** Per client (device × annotator): the next sequence number and the pull cursor. */
export interface SyncStateRow {
  clientId: string;
  userId: string;
  nextSeq: number;
  cursor: number;
  lastSyncAt: string | null;
}

export class LocalDb extends Dexie {
  tasks!: Table<TaskRow, [string, string]>;
  questions!: Table<QuestionRow, [string, number]>;
  cads!: Table<CadRow, [string, number]>;
  meshes!: Table<MeshRow, string>;
  images!: Table<ImageRow, string>;
  annotations!: Table<AnnotationRow, [string, string]>;
  revisions!: Table<RevisionRow, string>;
  heads!: Table<HeadRow, [string, string]>;
  outbox!: Table<OutboxRow, string>;
  attention!: Table<AttentionRow, string>;
  history!: Table<HistoryRow, [string, string]>;
  syncState!: Table<SyncStateRow, string>;
  attemptAnswers!: Table<AttemptAnswerRow, [string, string, string]>;
  cachedJson!: Table<CachedJsonRow, [string, string]>;

  constructor(name: string) {
    // 'strict' makes Chromium flush a save to disk before the transaction reports complete.
    super(name, { chromeTransactionDurability: 'strict' });
    this.version(1).stores({
      tasks: '[userId+id], userId',
      questions: '[taskId+index], id, taskId',
      cads: '[category+subtype], category',
      meshes: 'etag',
      images: 'url',
      annotations: '[userId+questionId], [userId+taskId], [userId+syncKind]',
      revisions: 'id, [userId+questionId]',
      heads: '[userId+questionId]',
      outbox: 'id, [clientId+seq], [userId+questionId], userId',
      attention: 'id, userId, [userId+questionId]',
      history: '[userId+questionId]',
      syncState: 'clientId, userId',
    });
    // Reviews, A/B picks and qualification answers join the outbox (R24); rows say their kind.
    this.version(2)
      .stores({
        attemptAnswers: '[userId+attemptId+questionId], [userId+attemptId]',
        cachedJson: '[userId+path]',
      })
      .upgrade(async (tx) => {
        for (const table of ['outbox', 'attention'])
          await tx.table<OutboxRow>(table).toCollection().modify((row) => {
            row.kind = row.mutation.kind;
          });
      });
  }
}
