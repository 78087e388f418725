// The contract between the pages and the local data layer. Pages and state hooks call a `DataStore`;
// only the data layer (pwa/src/data/**) touches Dexie, fetch and the sync engine.
import type { TaskPayload } from '@in3d/shared/catalogue';
import type { Mutation, MutationKind, ReportProblem } from '@in3d/shared/protocol';
import type { AbChoice, AbSide, ReviewVerdict } from '@in3d/shared/quality';
import type { AnnotationValues, CadModelInfo, QuestionInfo, SessionUser, TaskSummary } from '@in3d/shared/types';

/** Where an annotation stands on its way to the server. */
export type SyncState =
  | { kind: 'saved-on-device' }
  | { kind: 'synced'; seq: number }
  | { kind: 'needs-attention'; reason: string }
  | { kind: 'conflict'; theirs: AnnotationValues & { revisionId: string; userId: string; cleared?: boolean } };

export interface LocalAnnotation extends AnnotationValues {
  /** Mutation id = revision id (uuid). */
  id: string;
  questionId: string;
  taskId: string;
  savedAt: string;
  sync: SyncState;
}

/** Why the last sync stopped: `kind` is 'offline', 'unauthorized', 'outdated', 'http', 'bad_answer', 'local', …; pages word it. */
export interface SyncError {
  kind: string;
  message: string;
  at: string;
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
  /** The last sync failure (cleared by a sync that finishes), so it is never only in the console. */
  lastError: SyncError | null;
  /** Unsynced saves on this device that belong to other users (they sync when those users sign in here). */
  otherUsersPending: number;
}

/** The status before anything is known: nothing pending, never synced. */
export function initialSyncStatus(online: boolean): SyncStatus {
  return { online, pending: 0, needsAttention: 0, conflicts: 0, lastSyncAt: null, updateNeeded: false, loginNeeded: false, syncing: false, lastError: null, otherUsersPending: 0 };
}

/** How the annotate page wants a photo: at most `width` pixels across, and whether it is read-ahead. */
export interface ImageRequest {
  width?: number;
  priority?: 'high' | 'low';
}

export interface OfflineProgress {
  taskId: string;
  /** Files handled so far (stored now or already on the device) out of `total`. */
  done: number;
  total: number;
  /** Bytes of the task's files on the device so far (downloaded now or before). */
  bytes: number;
  /** The user cancelled; what was stored stays, and the next run resumes. */
  cancelled?: boolean;
}

/** What IndexedDB holds of a task's photos and meshes. */
export interface OfflineState {
  stored: number;
  total: number;
  bytes: number;
  /** Every question, photo and model is on the device: the task opens offline. */
  complete: boolean;
  /** The user started "Make available offline" for it (the annotate page's read-ahead stores photos too). */
  requested: boolean;
}

/** A photo or mesh that is not on the device, asked for while offline. */
export class NotOnDeviceError extends Error {
  constructor(
    readonly what: 'photo' | 'mesh' | 'task',
    readonly url: string,
  ) {
    super(`The ${what} ${url} is not on this device and there is no network`);
    this.name = 'NotOnDeviceError';
  }
}

/** A save (of any mutation kind) the server refused for good, as the "Needs attention" list shows it. */
export interface AttentionEntry {
  /** Mutation id. */
  id: string;
  /** Mutation kind, e.g. 'annotation.save'. */
  kind: string;
  /** The reason code (R7) and the server's message; pages show them in words (i18n), never the code alone. */
  reason: string;
  message: string;
  rejectedAt: string;
  /** Where to open it, when the mutation is about a question of a task. */
  taskId: string | null;
  questionId: string | null;
}

/** One question whose shown annotation changed (this tab, another tab, or a sync); null: none any more. */
export interface AnnotationChange {
  questionId: string;
  annotation: LocalAnnotation | null;
}

/** Unsynced saves of one user on this device. */
export interface PendingOfUser {
  userId: string;
  count: number;
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
  /** The task, its questions and the CAD models of their categories (so the mesh needs no list first). */
  getTask(taskId: string): Promise<TaskPayload | null>;
  listCads(category: string): Promise<CadModelInfo[]>;
  /** Binary mesh (shared/src/mesh/codec.ts format), from the local cache or the network. */
  getMesh(cad: CadModelInfo, priority?: 'high' | 'low'): Promise<ArrayBuffer>;
  /**
   * The photo as a Blob (an object URL is made by the caller), cached locally. `width`: the screen needs
   * no more than this many pixels across (the server sends it smaller where the photo is wider; a copy
   * at full size on the device is used first). `priority: 'low'` for read-ahead.
   */
  getImage(question: QuestionInfo, opts?: ImageRequest): Promise<Blob>;

  /**
   * The newest annotation of this user for the question (local or synced); null when there is none or it
   * was cleared (R51; a cleared one in conflict is shown, so the conflict can be settled). With the task id of a
   * qualification attempt, this user's answer in that attempt instead (never an annotation, SPEC R21).
   */
  getAnnotation(questionId: string, taskId?: string): Promise<LocalAnnotation | null>;
  /**
   * Commits the annotation and its outbox row in one local transaction, then resolves.
   * Resolving means "saved on device"; sync happens afterwards. In a qualification attempt's task the
   * save is an attempt answer (`qualification.answer`), not an annotation.
   */
  saveAnnotation(taskId: string, questionId: string, values: AnnotationValues): Promise<LocalAnnotation>;
  /**
   * SPEC R51: marks the question not annotated again, as a new revision on top of the shown one (kept in
   * the history, through the one outbox). Afterwards `getAnnotation` answers null until the next save.
   */
  clearAnnotation(taskId: string, questionId: string): Promise<void>;
  /** R19, R24: a verdict kept on the device with its outbox row; sync sends it exactly once. */
  saveReview(input: { revisionId: string; verdict: ReviewVerdict; comment: string | null }): Promise<{ id: string }>;
  /** R20, R24: an A/B pick, like a verdict. */
  savePick(input: { questionId: string; a: AbSide; b: AbSide; choice: AbChoice }): Promise<{ id: string }>;
  /** R26, R24: "keep as is" with a reason, answering a rework verdict; kept on the device like a verdict. */
  keepAsIs(input: { reviewId: string; reason: string }): Promise<{ id: string }>;
  /** This user's mutations of a kind still on the device: unsent, and refused (needing attention). */
  localWork<K extends MutationKind>(kind: K): Promise<{ pending: Extract<Mutation, { kind: K }>[]; needsAttention: Extract<Mutation, { kind: K }>[] }>;
  /** One JSON request through the app's one API client; throws a `RequestError`. */
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** A GET whose last answer is kept on the device under `key` (default the path): offline, the kept one. */
  requestKept<T>(path: string, key?: string): Promise<{ data: T; offline: boolean }>;
  /** A note and/or problem flag on the question (SPEC R50), queued in the one outbox like a save. */
  reportQuestion(taskId: string, questionId: string, report: { problem: ReportProblem | null; note: string }): Promise<void>;
  /** Resolves a conflict: the choice is saved as a new revision on top of both (null when the kept side was a clear, R51). */
  resolveConflict(questionId: string, keep: 'mine' | 'theirs'): Promise<LocalAnnotation | null>;

  /** Undo/redo history per question, kept across reloads. */
  loadHistory<T>(questionId: string): Promise<T | undefined>;
  storeHistory<T>(questionId: string, history: T): Promise<void>;

  makeAvailableOffline(taskId: string, onProgress: (p: OfflineProgress) => void, signal?: AbortSignal): Promise<OfflineProgress>;
  /** Per task, how much is on the device (derived from IndexedDB, so it survives a browser restart). */
  offlineState(taskIds: readonly string[]): Promise<Record<string, OfflineState>>;
  storageUsage(): Promise<{ usage: number; quota: number; persisted: boolean }>;

  /** Refused saves of the signed-in user, newest first. */
  listNeedsAttention(): Promise<AttentionEntry[]>;
  /** Sends a refused save again as a new mutation with the same values (e.g. after qualifying or re-assignment). */
  retryAttention(id: string): Promise<void>;
  /** Drops a refused save for good; the question shows the server's version again (or none). */
  discardAttention(id: string): Promise<void>;
  /** Unsynced saves on this device of users other than the signed-in one. */
  pendingOfOtherUsers(): Promise<PendingOfUser[]>;
  /**
   * Calls `listener` with the questions of the task whose annotation changed, in this tab or another
   * (Dexie liveQuery), first with all of them; answers a function that stops watching.
   */
  watchTask(taskId: string, listener: (changes: AnnotationChange[]) => void, onError: (err: unknown) => void): () => void;

  syncNow(): Promise<void>;
  status(): SyncStatus;
  onStatus(listener: (s: SyncStatus) => void): () => void;
}
