// The contract between the pages and the local data layer. Pages and state hooks call a `DataStore`;
// only the data layer (pwa/src/data/**) touches Dexie, fetch and the sync engine.
import type { Mutation, MutationKind } from '@in3d/shared/protocol';
import type { AbChoice, AbSide, ReviewVerdict } from '@in3d/shared/quality';
import type { AnnotationValues, CadModelInfo, QuestionInfo, SessionUser, TaskSummary } from '@in3d/shared/types';

/** Where an annotation stands on its way to the server. */
export type SyncState =
  | { kind: 'saved-on-device' }
  | { kind: 'synced'; seq: number }
  | { kind: 'needs-attention'; reason: string }
  | { kind: 'conflict'; theirs: AnnotationValues & { revisionId: string; userId: string } };

export interface LocalAnnotation extends AnnotationValues {
  /** Mutation id = revision id (uuid). */
  id: string;
  questionId: string;
  taskId: string;
  savedAt: string;
  sync: SyncState;
}

export interface SyncStatus {
  online: boolean;
  pending: number;
  needsAttention: number;
  conflicts: number;
  lastSyncAt: string | null;
  /** Set when the server said this client speaks an old protocol version. */
  updateNeeded: boolean;
  /** Set when the session expired; the outbox is kept, the user logs in again. */
  loginNeeded: boolean;
  syncing: boolean;
}

/** The status before anything is known: nothing pending, never synced. */
export function initialSyncStatus(online: boolean): SyncStatus {
  return { online, pending: 0, needsAttention: 0, conflicts: 0, lastSyncAt: null, updateNeeded: false, loginNeeded: false, syncing: false };
}

export interface OfflineProgress {
  taskId: string;
  done: number;
  total: number;
  bytes: number;
}

/** A request through the app's one API client failed; `offline` when the server could not be reached. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly kind: 'offline' | 'unauthorized' | 'outdated' | 'not_found' | 'forbidden' | 'http',
    readonly status: number,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export interface LoginResult {
  ok: boolean;
  user?: SessionUser;
  error?: string;
}

export interface DataStore {
  login(userId: string, password: string): Promise<LoginResult>;
  logout(): Promise<void>;
  /** The cached session user, if any (works offline). */
  currentUser(): Promise<SessionUser | null>;

  /** Tasks with progress counting local saves that are not synced yet. */
  listTasks(): Promise<TaskSummary[]>;
  getTask(taskId: string): Promise<{ task: TaskSummary; questions: QuestionInfo[] } | null>;
  listCads(category: string): Promise<CadModelInfo[]>;
  /** Binary mesh (shared/src/mesh/codec.ts format), from the local cache or the network. */
  getMesh(cad: CadModelInfo): Promise<ArrayBuffer>;
  /** The photo as a Blob (an object URL is made by the caller), cached locally. */
  getImage(question: QuestionInfo): Promise<Blob>;

  /**
   * The newest annotation of this user for the question (local or synced). With the task id of a
   * qualification attempt, this user's answer in that attempt instead (never an annotation, SPEC R21).
   */
  getAnnotation(questionId: string, taskId?: string): Promise<LocalAnnotation | null>;
  /**
   * Commits the annotation and its outbox row in one local transaction, then resolves.
   * Resolving means "saved on device"; sync happens afterwards. In a qualification attempt's task the
   * save is an attempt answer (`qualification.answer`), not an annotation.
   */
  saveAnnotation(taskId: string, questionId: string, values: AnnotationValues): Promise<LocalAnnotation>;
  /** R19, R24: a verdict kept on the device with its outbox row; sync sends it exactly once. */
  saveReview(input: { revisionId: string; verdict: ReviewVerdict; comment: string | null }): Promise<{ id: string }>;
  /** R20, R24: an A/B pick, like a verdict. */
  savePick(input: { questionId: string; a: AbSide; b: AbSide; choice: AbChoice }): Promise<{ id: string }>;
  /** This user's mutations of a kind still on the device: unsent, and refused (needing attention). */
  localWork<K extends MutationKind>(kind: K): Promise<{ pending: Extract<Mutation, { kind: K }>[]; needsAttention: Extract<Mutation, { kind: K }>[] }>;
  /** One JSON request through the app's one API client; throws a `RequestError`. */
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** A GET whose last answer is kept on the device under `key` (default the path): offline, the kept one. */
  requestKept<T>(path: string, key?: string): Promise<{ data: T; offline: boolean }>;
  /** Resolves a conflict: the choice is saved as a new revision on top of both. */
  resolveConflict(questionId: string, keep: 'mine' | 'theirs'): Promise<LocalAnnotation>;

  /** Undo/redo history per question, kept across reloads. */
  loadHistory<T>(questionId: string): Promise<T | undefined>;
  storeHistory<T>(questionId: string, history: T): Promise<void>;

  makeAvailableOffline(taskId: string, onProgress: (p: OfflineProgress) => void): Promise<OfflineProgress>;
  storageUsage(): Promise<{ usage: number; quota: number; persisted: boolean }>;

  syncNow(): Promise<void>;
  status(): SyncStatus;
  onStatus(listener: (s: SyncStatus) => void): () => void;
}
