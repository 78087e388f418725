// `createDataStore()`: the DataStore pages use (contract.ts), built from the local database, the
// catalogue cache, the local save and the sync engine. Pages import this file and the contract only.
import type { SessionUser } from '@in3d/shared/types';
import { createCatalogue } from './catalogue';
import type { Mutation, MutationKind } from '@in3d/shared/protocol';
import { type DataStore, type LocalAnnotation, type LoginResult, RequestError, type SyncStatus } from './contract';
import { type AttemptAnswerRow, type AttentionRow, LocalDb } from './db';
import { browserNavigator } from './env';
import { type ApiFailure, createApi } from './http';
import { saveLocally, toLocalAnnotation, valuesOf } from './local-save';
import { saveAttemptAnswer, savePick, saveReview } from './local-work';
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
  /** Delay between a save and the sync it triggers (default 1000 ms). */
  saveSyncDelayMs?: number;
  periodicMs?: number;
}

export interface LocalDataStore extends DataStore {
  /** Saves the server refused for good, newest first (the "Needs attention" list). */
  listNeedsAttention(): Promise<AttentionRow[]>;
  /** Runs one sync now and says how far it got (`syncNow` coalesces and never rejects). */
  syncOnce(): Promise<SyncOutcome | { ok: false; failure: { kind: 'no_user' | 'update_needed'; message: string } }>;
  /** Stops the timers and closes the database. */
  dispose(): void;
}

export function createDataStore(opts: DataStoreOptions = {}): LocalDataStore {
  const dbName = opts.dbName ?? 'in3d-annotator';
  const db = new LocalDb(dbName);
  const api = createApi({ baseUrl: opts.baseUrl ?? '', fetch: opts.fetch ?? globalThis.fetch.bind(globalThis) });
  const settings = createSettings(dbName);
  const hub = createStatusHub(db);
  let user: SessionUser | null | undefined;
  let disposed = false;

  const reportFailure = (f: ApiFailure | { kind: string; message: string }) => {
    if (f.kind === 'offline') hub.patch({ online: false });
    else hub.patch({ online: true });
    if (f.kind === 'unauthorized') hub.patch({ loginNeeded: true });
    if (f.kind === 'outdated') hub.patch({ updateNeeded: true });
  };
  const catalogue = createCatalogue({ db, api, onFailure: reportFailure });

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
  /** The attempt a task stands for, from the task list kept on the device (SPEC R21). */
  async function attemptOf(userId: string, taskId: string): Promise<string | undefined> {
    return (await db.tasks.get([userId, taskId]))?.summary.attemptId;
  }
  const fromAnswer = (r: AttemptAnswerRow): LocalAnnotation => ({ ...valuesOf(r), id: r.id, questionId: r.questionId, taskId: r.taskId, savedAt: r.savedAt, sync: r.sync });
  /** After any local save: recount and sync soon. */
  async function saved(userId: string): Promise<void> {
    await hub.recount(userId);
    afterSave.call();
  }
  const requestError = (f: ApiFailure) => {
    reportFailure(f);
    return new RequestError(f.message, f.kind, f.status);
  };

  async function refresh(): Promise<void> {
    const u = await currentUser();
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
        reportFailure(out.failure);
        return out;
      }
      const now = new Date().toISOString();
      await db.syncState.update(ctx.clientId, { lastSyncAt: now });
      hub.patch({ online: true, loginNeeded: false, lastSyncAt: now });
      return out;
    } finally {
      hub.patch({ syncing: false });
      if (!disposed) await hub.recount(u.id).catch(() => undefined);
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
          out = await withSyncLock(`in3d-sync:${dbName}`, runOnce).catch(() => undefined);
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
  const afterSave = debounce(() => void (autoSync && syncNow()), opts.saveSyncDelayMs ?? 1000);
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
  void refresh().catch(() => undefined);

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
      hub.patch({ loginNeeded: false, online: true });
      await refresh();
      void syncNow();
      return { ok: true, user: u };
    },
    async logout() {
      await api.json('POST', '/api/auth/logout').catch(() => undefined);
      // The outbox stays: it is synced when this annotator logs in again.
      await settings.setLastUser(null);
      user = null;
      hub.patch({ loginNeeded: false, lastSyncAt: null });
      await refresh();
    },
    currentUser,

    async listTasks() {
      return catalogue.listTasks((await requireUser()).id);
    },
    async getTask(taskId) {
      return catalogue.getTask((await requireUser()).id, taskId);
    },
    listCads: (category) => catalogue.listCads(category),
    getMesh: (cad) => catalogue.getMesh(cad),
    getImage: (question) => catalogue.getImage(question),

    async getAnnotation(questionId, taskId): Promise<LocalAnnotation | null> {
      const u = await requireUser();
      const attemptId = taskId === undefined ? undefined : await attemptOf(u.id, taskId);
      if (attemptId) {
        const answer = await db.attemptAnswers.get([u.id, attemptId, questionId]);
        return answer ? fromAnswer(answer) : null;
      }
      const row = await db.annotations.get([u.id, questionId]);
      return row ? toLocalAnnotation(row) : null;
    },
    async saveAnnotation(taskId, questionId, values) {
      const w = await who();
      const attemptId = await attemptOf(w.userId, taskId);
      const out = attemptId
        ? fromAnswer(await saveAttemptAnswer(db, w, { attemptId, taskId, questionId, values }))
        : toLocalAnnotation(await saveLocally(db, { ...w, taskId, questionId, values }));
      await saved(w.userId);
      return out;
    },
    async saveReview(input) {
      const w = await who();
      const m = await saveReview(db, w, input);
      await saved(w.userId);
      return { id: m.id };
    },
    async savePick(input) {
      const w = await who();
      const m = await savePick(db, w, input);
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
      reportFailure(res);
      return { data: kept.value as T, offline: true };
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
      });
      await hub.recount(u.id);
      afterSave.call();
      return toLocalAnnotation(saved);
    },

    async loadHistory<T>(questionId: string) {
      const u = await currentUser();
      return (await db.history.get([u?.id ?? '', questionId]))?.history as T | undefined;
    },
    async storeHistory<T>(questionId: string, history: T) {
      const u = await currentUser();
      await db.history.put({ userId: u?.id ?? '', questionId, history, updatedAt: new Date().toISOString() });
    },

    async makeAvailableOffline(taskId, onProgress) {
      return catalogue.makeAvailableOffline((await requireUser()).id, taskId, onProgress);
    },
    async storageUsage() {
      const storage = browserNavigator()?.storage;
      const est = (await storage?.estimate?.().catch(() => undefined)) ?? {};
      const persisted = (await storage?.persisted?.().catch(() => false)) ?? false;
      return { usage: est.usage ?? 0, quota: est.quota ?? 0, persisted };
    },

    syncNow,
    syncOnce: () => withSyncLock(`in3d-sync:${dbName}`, runOnce),
    status: (): SyncStatus => hub.get(),
    onStatus: (listener) => hub.subscribe(listener),

    async listNeedsAttention() {
      const u = await currentUser();
      if (!u) return [];
      const rows = await db.attention.where('userId').equals(u.id).toArray();
      return rows.sort((a, b) => b.rejectedAt.localeCompare(a.rejectedAt));
    },
    dispose() {
      disposed = true;
      if (retryTimer) clearTimeout(retryTimer);
      stopTriggers();
      afterSave.cancel();
      db.close();
    },
  };
  return store;
}
