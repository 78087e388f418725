// `createDataStore()`: the DataStore pages use (contract.ts), built from the local database, the
// catalogue cache, the local save and the sync engine. Pages import this file and the contract only.
import type { SessionUser, TaskSummary } from '@in3d/shared/types';
import { reportLocally } from './local-enqueue';
import { createCatalogue } from './catalogue';
import type { Mutation, MutationKind } from '@in3d/shared/protocol';
import { type AnnotationChange, type AttentionEntry, type DataStore, type LocalAnnotation, type LoginResult, RequestError, type SyncStatus } from './contract';
import { type AttentionRow, LocalDb } from './db';
import { discardRefused, retryRefused } from './attention';
import { watchTaskAnnotations } from './watch';
import { browserNavigator } from './env';
import { type Api, type ApiFailure, type ApiResult, createApi } from './http';
import { saveLocally, shownAnnotation, toLocalAnnotation, valuesOf } from './local-save';
import { saveAttemptAnswer, savePick, saveReview, saveReworkKeep, toLocalAnswer } from './local-work';
import { markSave } from './save-probe';
import { nextTask } from '@in3d/shared/next-task';
import { createSettings } from './settings';
import { createStatusHub } from './status';
import { type SyncOutcome, pullAll, pushOutbox } from './sync';
import { debounce, startTriggers, withSyncLock } from './triggers';

export interface DataStoreOptions {
  /** Prefix for API URLs; '' in the app (same origin), e.g. 'http://test' in Node tests. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** IndexedDB database name; settings live in `<dbName>-settings`. */
  dbName?: string;
  /** Sync on start, `online`, visibility, after saves and on a timer (default true). Tests drive `syncNow()` themselves. */
  autoSync?: boolean;
  /** Delay between a save and the sync it triggers (default 0: at once; a burst of saves in one task shares one push). */
  saveSyncDelayMs?: number;
  periodicMs?: number;
  /** Where failures the data layer cannot hand to a caller go (the app's report-error path); default console.error. */
  onError?: (where: string, err: unknown) => void;
}

export interface LocalDataStore extends DataStore {
  /** Saves the server refused for good, newest first, as stored (with the whole mutation). */
  listAttentionRows(): Promise<AttentionRow[]>;
  /** Runs one sync now and says how far it got (`syncNow` coalesces and never rejects). */
  syncOnce(): Promise<SyncOutcome | { ok: false; failure: { kind: 'no_user' | 'update_needed'; message: string } }>;
  /** Stops the timers and closes the database. */
  dispose(): void;
}

export function createDataStore(opts: DataStoreOptions = {}): LocalDataStore {
  const dbName = opts.dbName ?? 'in3d-annotator';
  const db = new LocalDb(dbName);
  let disposed = false;
  const report = opts.onError ?? ((where: string, err: unknown) => console.error(`[in3d] ${where}:`, err));
  // After dispose() the closed database fails whatever was still running; nobody is left to be told.
  const onError = (where: string, err: unknown) => void (!disposed && report(where, err));
  const settings = createSettings(dbName);
  const hub = createStatusHub(db, (err) => onError('sync status: count', err));
  let user: SessionUser | null | undefined;

  // Every request's failure reaches the status, whoever made it: a 401 from any call shows the
  // "Sign in again" banner (R2), a 426 the update prompt (R1), no connection the "Offline" chip.
  const noteFailure = (f: ApiFailure) => {
    hub.patch({ online: f.kind !== 'offline' });
    if (f.kind === 'unauthorized' && user) hub.patch({ loginNeeded: true });
    if (f.kind === 'outdated') hub.patch({ updateNeeded: true });
  };
  const api = reportingApi(
    createApi({ baseUrl: opts.baseUrl ?? '', fetch: opts.fetch ?? globalThis.fetch.bind(globalThis) }),
    noteFailure,
    () => hub.patch({ online: true }), // any answer from the server: the "Offline" chip is wrong now
  );
  const catalogue = createCatalogue({ db, api, onError });

  async function currentUser(): Promise<SessionUser | null> {
    if (user === undefined) user = await settings.lastUser();
    return user;
  }
  async function requireUser(): Promise<SessionUser> {
    const u = await currentUser();
    if (!u) throw new Error('Not logged in: log in once with the network on, then the app works offline');
    return u;
  }
  async function who(): Promise<{ user: SessionUser; userId: string; clientId: string }> {
    const u = await requireUser();
    return { user: u, userId: u.id, clientId: await settings.clientIdFor(u.id) };
  }
  // The attempt a task stands for (SPEC R21), as this store last told the page (getTask, listTasks), else
  // from the task list on the device: a save of the open task then needs no read before its transaction.
  const toldAttempts = new Map<string, string | undefined>();
  const attemptKey = (userId: string, taskId: string) => `${userId}\u0000${taskId}`;
  const noteAttempt = (userId: string, task: TaskSummary) => void toldAttempts.set(attemptKey(userId, task.id), task.attemptId);
  async function attemptOf(userId: string, taskId: string): Promise<string | undefined> {
    const key = attemptKey(userId, taskId);
    if (toldAttempts.has(key)) return toldAttempts.get(key);
    return (await db.tasks.get([userId, taskId]))?.summary.attemptId;
  }
  /**
   * After any local save: the caller hears back at the commit ("Saved on device" at once); the count for
   * the sync chip follows in a task of its own (so the page shows the save first), then the push starts
   * (a burst of saves shares one push).
   */
  function saved(userId: string): void {
    void nextTask().then(() =>
      hub.recount(userId).then(
        () => afterSave.call(),
        (err: unknown) => {
          onError('sync status: count after a save', err);
          afterSave.call(); // the save is committed: a failed count must not hold back its push
        },
      ),
    );
  }
  // The status already heard of the failure (reportingApi); the caller gets it as an Error.
  const requestError = (f: ApiFailure) => new RequestError(f.message, f.kind, f.status);

  async function refresh(): Promise<void> {
    const u = await currentUser();
    hub.watch(u?.id ?? null);
    await hub.recount(u?.id ?? null);
    if (u) {
      const state = await db.syncState.where('userId').equals(u.id).first();
      hub.patch({ lastSyncAt: state?.lastSyncAt ?? null });
    }
  }

  async function runOnce(): ReturnType<LocalDataStore['syncOnce']> {
    const u = await currentUser();
    if (!u) return { ok: false, failure: { kind: 'no_user', message: 'Nobody is logged in' } };
    if (hub.get().updateNeeded) return { ok: false, failure: { kind: 'update_needed', message: 'This app must be updated before it can sync' } };
    hub.patch({ syncing: true });
    try {
      const ctx = { db, api, userId: u.id, clientId: await settings.clientIdFor(u.id) };
      const pushed = await pushOutbox(ctx);
      // A push the server refused as a whole (500, 403) must not also keep the other devices' work away.
      const unreachable = !pushed.ok && ['offline', 'unauthorized', 'outdated'].includes(pushed.failure.kind);
      const pulled = unreachable ? pushed : await pullAll(ctx);
      const out = pushed.ok ? pulled : pushed;
      if (!out.ok) {
        hub.patch({ lastError: { kind: out.failure.kind, message: out.failure.message, at: new Date().toISOString() } });
        return out;
      }
      const now = new Date().toISOString();
      await db.syncState.update(ctx.clientId, { lastSyncAt: now });
      hub.patch({ online: true, loginNeeded: false, lastSyncAt: now, lastError: null });
      return out;
    } catch (err) {
      // A local database failure mid-sync: the outbox is intact (R8), the status says what happened.
      hub.patch({ lastError: { kind: 'local', message: err instanceof Error ? err.message : String(err), at: new Date().toISOString() } });
      throw err;
    } finally {
      hub.patch({ syncing: false });
      if (!disposed) await hub.recount(u.id);
    }
  }

  // Overlapping requests coalesce: a request during a sync runs one more round after it.
  let running: Promise<void> | null = null;
  let again = false;
  function syncNow(): Promise<void> {
    if (disposed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let out: Awaited<ReturnType<typeof runOnce>> | undefined;
        do {
          again = false;
          out = await withSyncLock(`in3d-sync:${dbName}`, runOnce).catch((err: unknown) => {
            // runOnce put it in the status too; undefined retries like a transient failure.
            onError('sync', err);
            return undefined;
          });
        } while (again && !disposed);
        scheduleRetry(out);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  // After a failure that may pass (no network, a server restarting) retry soon, backing off to a minute;
  // a login or an update is waited for instead. The other triggers still run meanwhile.
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryMs = 0;
  function scheduleRetry(out: Awaited<ReturnType<typeof runOnce>> | undefined): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    const transient = !out || (!out.ok && (out.failure.kind === 'offline' || out.failure.kind === 'http' || out.failure.kind === 'bad_answer'));
    if (out?.ok || !transient || disposed || !autoSync || hub.get().pending === 0) {
      retryMs = 0;
      return;
    }
    retryMs = Math.min(60_000, retryMs ? retryMs * 2 : 1000);
    retryTimer = setTimeout(() => void syncNow(), retryMs);
  }

  const autoSync = opts.autoSync !== false;
  const afterSave = debounce(() => void (autoSync && syncNow()), opts.saveSyncDelayMs ?? 0);
  const stopTriggers =
    !autoSync
      ? () => undefined
      : startTriggers({
          sync: () => void syncNow(),
          onOnlineChange: (online) => {
            hub.patch({ online });
            if (online) retryMs = 0; // the network is back: retry at once and briskly, not at the backed-off pace
          },
          periodicMs: opts.periodicMs ?? 60_000,
        });
  void refresh().catch((err: unknown) => onError('data store: start', err));

  const store: LocalDataStore = {
    async login(userId, password): Promise<LoginResult> {
      const res = await api.json('POST', '/api/auth/login', { userId, password });
      if (!res.ok) {
        if (res.kind === 'offline') return { ok: false, error: 'No connection to the server. Logging in needs the network; afterwards the app works offline.' };
        return { ok: false, error: res.message };
      }
      const u = (res.data as { user: SessionUser }).user;
      await settings.setLastUser(u);
      user = u;
      hub.patch({ loginNeeded: false, online: true, lastError: null });
      await refresh();
      void syncNow();
      // Ask at sign-in, not only on "Make available offline": saves waiting in the outbox must not be evicted.
      void browserNavigator()?.storage?.persist?.().catch((err: unknown) => onError('storage persist', err));
      return { ok: true, user: u };
    },
    async logout() {
      // Offline, the server keeps the session until it expires; signing out here still forgets it locally.
      await api.json('POST', '/api/auth/logout');
      // The outbox stays: it is synced when this annotator logs in again (the pages warn before that).
      await settings.setLastUser(null);
      user = null;
      hub.patch({ loginNeeded: false, lastSyncAt: null, lastError: null });
      await refresh();
    },
    currentUser,

    async listTasks() {
      const userId = (await requireUser()).id;
      const tasks = await catalogue.listTasks(userId);
      for (const t of tasks) noteAttempt(userId, t);
      return tasks;
    },
    async getTask(taskId) {
      const userId = (await requireUser()).id;
      const got = await catalogue.getTask(userId, taskId);
      if (got) noteAttempt(userId, got.task);
      return got;
    },
    listCads: (category) => catalogue.listCads(category),
    getMesh: (cad, priority) => catalogue.getMesh(cad, priority),
    getImage: (question, opts) => catalogue.getImage(question, opts),

    async getAnnotation(questionId, taskId): Promise<LocalAnnotation | null> {
      const u = await requireUser();
      const attemptId = taskId === undefined ? undefined : await attemptOf(u.id, taskId);
      if (attemptId) {
        const answer = await db.attemptAnswers.get([u.id, attemptId, questionId]);
        return answer ? toLocalAnswer(answer) : null;
      }
      return shownAnnotation(await db.annotations.get([u.id, questionId]));
    },
    async saveAnnotation(taskId, questionId, values) {
      markSave('store');
      const w = await who();
      markSave('who');
      const attemptId = await attemptOf(w.userId, taskId);
      markSave('attempt');
      const out = attemptId
        ? toLocalAnswer(await saveAttemptAnswer(db, w, { attemptId, taskId, questionId, values }))
        : toLocalAnnotation(await saveLocally(db, { ...w, taskId, questionId, values }));
      saved(w.userId);
      return out;
    },
    async clearAnnotation(taskId, questionId) {
      const w = await who();
      if (await attemptOf(w.userId, taskId)) throw new Error('A qualification answer cannot be cleared; answer the question instead');
      const row = await db.annotations.get([w.userId, questionId]);
      if (!shownAnnotation(row)) throw new Error(`Question ${questionId} has no annotation to clear`);
      // The cleared values travel with the clear, so the history says what was cleared (R51).
      await saveLocally(db, { ...w, taskId, questionId, values: valuesOf(row!), cleared: true });
      await saved(w.userId);
    },
    async saveReview(input) {
      const w = await who();
      const m = await saveReview(db, w, input);
      saved(w.userId);
      return { id: m.id };
    },
    async savePick(input) {
      const w = await who();
      const m = await savePick(db, w, input);
      saved(w.userId);
      return { id: m.id };
    },
    async keepAsIs(input) {
      const w = await who();
      const m = await saveReworkKeep(db, w, input);
      await saved(w.userId);
      return { id: m.id };
    },
    async localWork<K extends MutationKind>(kind: K) {
      const u = await requireUser();
      const ofKind = (rows: { mutation: Mutation }[]) => rows.map((r) => r.mutation).filter((m): m is Extract<Mutation, { kind: K }> => m.kind === kind);
      const [pending, refused] = await db.transaction('r', [db.outbox, db.attention], () =>
        Promise.all([db.outbox.where('userId').equals(u.id).toArray(), db.attention.where('userId').equals(u.id).toArray()]),
      );
      return { pending: ofKind(pending), needsAttention: ofKind(refused) };
    },
    async request<T>(method: Parameters<DataStore['request']>[0], path: string, body?: unknown) {
      const res = await api.json(method, path, body);
      if (!res.ok) throw requestError(res);
      return res.data as T;
    },
    async requestKept<T>(path: string, key = path) {
      const u = await requireUser();
      const res = await api.json('GET', path);
      if (res.ok) {
        await db.cachedJson.put({ userId: u.id, path: key, value: res.data, fetchedAt: new Date().toISOString() });
        return { data: res.data as T, offline: false };
      }
      const kept = res.kind === 'offline' ? await db.cachedJson.get([u.id, key]) : undefined;
      if (!kept) throw requestError(res);
      return { data: kept.value as T, offline: true };
    },
    async reportQuestion(taskId, questionId, report) {
      const u = await requireUser();
      await reportLocally(db, { userId: u.id, clientId: await settings.clientIdFor(u.id), taskId, questionId, ...report });
      await hub.recount(u.id);
      afterSave.call();
    },
    async resolveConflict(questionId, keep) {
      const u = await requireUser();
      const row = await db.annotations.get([u.id, questionId]);
      if (!row || row.sync.kind !== 'conflict') throw new Error(`Question ${questionId} has no conflict to resolve`);
      const theirs = row.sync.theirs;
      const saved = await saveLocally(db, {
        userId: u.id,
        clientId: await settings.clientIdFor(u.id),
        taskId: row.taskId,
        questionId,
        values: keep === 'mine' ? valuesOf(row) : valuesOf(theirs),
        resolve: { base: row.id, supersedes: theirs.revisionId },
        // R51: keeping a side that was a clear keeps the question cleared.
        cleared: keep === 'mine' ? row.cleared === true : theirs.cleared === true,
      });
      await hub.recount(u.id);
      afterSave.call();
      return shownAnnotation(saved);
    },

    async loadHistory<T>(questionId: string) {
      const u = await currentUser();
      return (await db.history.get([u?.id ?? '', questionId]))?.history as T | undefined;
    },
    async storeHistory<T>(questionId: string, history: T) {
      const u = await currentUser();
      await db.history.put({ userId: u?.id ?? '', questionId, history, updatedAt: new Date().toISOString() });
    },

    async makeAvailableOffline(taskId, onProgress, signal) {
      return catalogue.makeAvailableOffline((await requireUser()).id, taskId, onProgress, signal);
    },
    async offlineState(taskIds) {
      return catalogue.offlineState((await requireUser()).id, taskIds);
    },
    async storageUsage() {
      const storage = browserNavigator()?.storage;
      // Both are hints some browsers refuse (private mode); the page shows "unknown" rather than an error.
      const est = (await storage?.estimate?.().catch((err: unknown) => void onError('storage estimate', err))) ?? {};
      const persisted = (await storage?.persisted?.().catch((err: unknown) => void onError('storage persisted', err))) ?? false;
      return { usage: est.usage ?? 0, quota: est.quota ?? 0, persisted };
    },

    syncNow,
    syncOnce: () => withSyncLock(`in3d-sync:${dbName}`, runOnce),
    status: (): SyncStatus => hub.get(),
    onStatus: (listener) => hub.subscribe(listener),

    listAttentionRows,
    async listNeedsAttention(): Promise<AttentionEntry[]> {
      return (await listAttentionRows()).map(toAttentionEntry);
    },
    async retryAttention(id) {
      const u = await requireUser();
      await retryRefused(db, { userId: u.id, clientId: await settings.clientIdFor(u.id) }, id);
      await hub.recount(u.id);
      afterSave.call();
    },
    async discardAttention(id) {
      const u = await requireUser();
      await discardRefused(db, { userId: u.id, clientId: await settings.clientIdFor(u.id) }, id);
      await hub.recount(u.id);
    },
    async pendingOfOtherUsers() {
      const u = await currentUser();
      const rows = await db.outbox.toArray();
      const counts = new Map<string, number>();
      for (const r of rows) if (r.userId !== u?.id) counts.set(r.userId, (counts.get(r.userId) ?? 0) + 1);
      return [...counts].map(([userId, count]) => ({ userId, count }));
    },
    watchTask(taskId, listener: (changes: AnnotationChange[]) => void, onWatchError) {
      let stop: (() => void) | null = null;
      let stopped = false;
      requireUser().then(
        async (u) => {
          const attemptId = await attemptOf(u.id, taskId);
          if (!stopped) stop = watchTaskAnnotations(db, { userId: u.id, taskId, attemptId }, listener, onWatchError);
        },
        onWatchError,
      );
      return () => {
        stopped = true;
        stop?.();
      };
    },
    dispose() {
      disposed = true;
      hub.stop();
      if (retryTimer) clearTimeout(retryTimer);
      stopTriggers();
      afterSave.cancel();
      db.close();
    },
  };
  async function listAttentionRows(): Promise<AttentionRow[]> {
    const u = await currentUser();
    if (!u) return [];
    const rows = await db.attention.where('userId').equals(u.id).toArray();
    return rows.sort((a, b) => b.rejectedAt.localeCompare(a.rejectedAt));
  }
  return store;
}

/** What a page needs of a refused mutation, whatever its kind. */
function toAttentionEntry(row: AttentionRow): AttentionEntry {
  const m = row.mutation as { kind: string; taskId?: unknown; questionId?: unknown };
  return {
    id: row.id,
    kind: m.kind,
    reason: row.reason,
    message: row.message,
    rejectedAt: row.rejectedAt,
    taskId: typeof m.taskId === 'string' ? m.taskId : null,
    questionId: typeof m.questionId === 'string' ? m.questionId : null,
  };
}

/** The API with every outcome also told to the status, whichever part of the app asked. */
function reportingApi(api: Api, note: (f: ApiFailure) => void, reached: () => void): Api {
  const tell = <T,>(res: ApiResult<T>): ApiResult<T> => {
    if (res.ok) reached();
    else note(res);
    return res;
  };
  return {
    json: async (method, path, body) => tell(await api.json(method, path, body)),
    bytes: async (path, opts) => tell(await api.bytes(path, opts)),
  };
}
