// Tasks, questions, CAD models, meshes and photos: network first for lists (then kept for offline),
// cache first for binaries (their URLs name their content, so a stored copy never goes stale).
import { type TaskPayload, taskPayloadSchema } from '@in3d/shared/catalogue';
import { packMesh } from '@in3d/shared/mesh/v3';
import { nextTask } from '@in3d/shared/next-task';
import type { CadModelInfo, QuestionInfo, TaskSummary } from '@in3d/shared/types';
import { type ImageRequest, NotOnDeviceError, type OfflineProgress, type OfflineState } from './contract';
import type { ImageRow, LocalDb, TaskRow } from './db';
import { browserNavigator } from './env';
import type { Api, ApiFailure } from './http';

export interface CatalogueDeps {
  db: LocalDb;
  /** Reports every failed request to the status itself (a 401 or 426 reaches the banner). */
  api: Api;
  /** For failures of background work no caller waits for. */
  onError(where: string, err: unknown): void;
}

/** A download the server or the network refused (already in the status); other errors are the device's. */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly failure: ApiFailure,
  ) {
    super(message);
  }
}

/** What every screen-sized copy's URL of the photo at `url` starts with. */
const sizedPrefix = (url: string) => `${url}${url.includes('?') ? '&' : '?'}w=`;

/** The photo's URL asking for at most `width` pixels across (the server caps and rounds it). */
function sizedImageUrl(url: string, width: number | undefined): string {
  if (width === undefined) return url;
  return `${sizedPrefix(url)}${Math.max(1, Math.ceil(width))}`;
}

/** The width a sized copy's URL asks for; null for the original's URL. */
function sizedWidthOf(url: string): number | null {
  const m = /[?&]w=(\d+)$/.exec(url);
  return m ? Number(m[1]) : null;
}

/** The original's URL of a photo URL (itself when it is not a sized copy's). */
const originalOf = (url: string) => url.replace(/[?&]w=\d+$/, '');

interface Download {
  bytes: Promise<ArrayBuffer | null>;
  stored: Promise<number>;
}

export function createCatalogue({ db, api, onError }: CatalogueDeps) {
  const inFlight = new Map<string, Download>();

  const getJson = async (path: string): Promise<unknown | ApiFailure> => {
    const res = await api.json('GET', path);
    return res.ok ? res.data : res;
  };
  const failed = (x: unknown): x is ApiFailure => !!x && typeof x === 'object' && 'ok' in x && x.ok === false && 'kind' in x;

  /** Progress counts local saves the server has not acknowledged yet. */
  async function withLocalProgress(userId: string, summary: TaskSummary): Promise<TaskSummary> {
    const [questions, annotated] = await Promise.all([
      db.questions.where('taskId').equals(summary.id).sortBy('index'),
      // A qualification attempt's progress is its answers, never annotations (SPEC R21).
      summary.attemptId
        ? db.attemptAnswers.where('[userId+attemptId]').equals([userId, summary.attemptId]).toArray()
        : db.annotations.where('[userId+taskId]').equals([userId, summary.id]).toArray(),
    ]);
    // R51: a cleared row is not annotated; one the server has not heard of yet is still counted in `summary.done`.
    const cleared = (a: (typeof annotated)[number]) => 'cleared' in a && a.cleared === true;
    const done = new Set(annotated.filter((a) => !cleared(a)).map((a) => a.questionId));
    const serverDone = summary.done - annotated.filter((a) => cleared(a) && a.sync.kind !== 'synced').length;
    if (questions.length !== summary.total) return { ...summary, done: Math.min(summary.total, Math.max(serverDone, done.size)) };
    const countDone = questions.filter((q) => done.has(q.id)).length;
    const open = questions.find((q) => !done.has(q.id));
    return { ...summary, done: Math.max(serverDone, countDone), firstOpenIndex: open?.index ?? null };
  }

  /**
   * Stores a binary by key once; concurrent callers share the download. `stored` answers the bytes stored
   * (0 if cached); `bytes` the body as downloaded, as soon as it is in (null if it was on the device already).
   * `missing`: the caller has just looked and the device has none, so the request goes out without a second
   * look (on a first visit each read before the photo and mesh requests waits behind the page's start).
   */
  function download(kind: 'mesh' | 'image', key: string, url: string, priority?: RequestPriority, missing = false): Download {
    const k = `${kind}:${key}`;
    const running = inFlight.get(k);
    if (running) return running;
    let downloaded: (bytes: ArrayBuffer | null) => void = () => undefined;
    const bytes = new Promise<ArrayBuffer | null>((resolve) => (downloaded = resolve));
    const stored = (async () => {
      const table = kind === 'mesh' ? db.meshes : db.images;
      if (!missing && (await table.where(kind === 'mesh' ? 'etag' : 'url').equals(key).count()) > 0) return 0;
      const res = await api.bytes(url, priority ? { priority } : undefined);
      if (!res.ok) throw res.kind === 'offline' ? new NotOnDeviceError(kind === 'mesh' ? 'mesh' : 'photo', url) : new DownloadError(`${url}: ${res.message}`, res);
      downloaded(res.data.bytes);
      const storedAt = new Date().toISOString();
      // A mesh arrives inflated from HTTP's brotli/gzip: kept gzip-wrapped (mesh format 3), smaller than format 1
      // was; compressed in pieces with a task boundary between them, so input and frames are never held up long.
      if (kind === 'mesh') {
        const packed = await packMesh(new Uint8Array(res.data.bytes), () => nextTask());
        await db.meshes.put({ etag: key, bytes: packed.buffer as ArrayBuffer, storedAt });
      } else await storeImage({ url: key, bytes: res.data.bytes, type: res.data.type, storedAt });
      return res.data.bytes.byteLength;
    })().finally(() => {
      downloaded(null);
      inFlight.delete(k);
    });
    const d = { bytes, stored };
    inFlight.set(k, d);
    return d;
  }
  const storeBinary = (kind: 'mesh' | 'image', key: string, url: string, priority?: RequestPriority, missing = false) =>
    download(kind, key, url, priority, missing).stored;

  /**
   * Stores a photo or one of its sized copies, keeping at most one sized copy per photo and none beside
   * the original: a narrower copy is never read again once a wider one or the original is here.
   */
  async function storeImage(row: ImageRow): Promise<void> {
    const width = sizedWidthOf(row.url);
    await db.transaction('rw', db.images, async () => {
      const copies = await db.images.where('url').startsWith(sizedPrefix(originalOf(row.url))).primaryKeys();
      const narrower = copies.filter((u) => u !== row.url && (width === null || (sizedWidthOf(u) ?? 0) < width));
      await db.images.bulkDelete(narrower);
      await db.images.put(row);
    });
  }

  /** The best copy of a photo on the device: the original, else (when `sized` may do) the widest sized copy. */
  async function storedPhoto(original: string, sized: boolean): Promise<ImageRow | undefined> {
    // Both at once, rows and all (storeImage keeps at most one sized copy): one wait, not three in a row.
    const [full, copies] = await Promise.all([db.images.get(original), sized ? db.images.where('url').startsWith(sizedPrefix(original)).toArray() : []]);
    if (full || !sized) return full;
    return copies.sort((a, b) => (sizedWidthOf(b.url) ?? 0) - (sizedWidthOf(a.url) ?? 0))[0];
  }

  /** Every photo and mesh a task needs: its questions' photos and the models of their categories. */
  function taskFiles(questions: readonly QuestionInfo[], cads: readonly CadModelInfo[]): { kind: 'mesh' | 'image'; key: string; url: string }[] {
    return [
      ...[...new Set(questions.map((q) => q.imageUrl))].map((u) => ({ kind: 'image' as const, key: u, url: u })),
      ...[...new Map(cads.map((c) => [c.etag, c])).values()].map((c) => ({ kind: 'mesh' as const, key: c.etag, url: c.meshUrl })),
    ];
  }

  async function listCads(category: string): Promise<CadModelInfo[]> {
    const data = await getJson(`/api/categories/${encodeURIComponent(category)}/cads`);
    if (!failed(data)) {
      const cads = data as CadModelInfo[];
      await db.transaction('rw', db.cads, async () => {
        await db.cads.where('category').equals(category).delete();
        await db.cads.bulkPut(cads);
      });
      return cads;
    }
    return db.cads.where('category').equals(category).sortBy('subtype');
  }

  /** The stored models of these categories, by category then subtype (the task payload's order). */
  async function storedCads(categories: Iterable<string>): Promise<CadModelInfo[]> {
    const lists = await Promise.all([...new Set(categories)].sort().map((c) => db.cads.where('category').equals(c).sortBy('subtype')));
    return lists.flat();
  }

  /** The task, its questions and its categories' CAD models (one request online; the stored copy offline). */
  async function getTask(userId: string, taskId: string): Promise<TaskPayload | null> {
    const path = `/api/tasks/${encodeURIComponent(taskId)}`;
    const data = await getJson(path);
    if (!failed(data)) {
      const parsed = taskPayloadSchema.safeParse(data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${path}: the server sent a task this app cannot read (${issue?.path.join('.') || 'answer'}: ${issue?.message ?? 'invalid'})`);
      }
      const { task, questions, cads } = parsed.data;
      const categories = [...new Set(questions.map((q) => q.category))];
      await db.transaction('rw', [db.tasks, db.questions, db.cads], async () => {
        const old = await db.tasks.get([userId, taskId]);
        await db.tasks.put({ ...old, userId, id: taskId, summary: task, fetchedAt: new Date().toISOString() });
        await db.questions.where('taskId').equals(taskId).delete();
        await db.questions.bulkPut(questions);
        // The models of its categories, as listCads keeps them: they open the task offline.
        await db.cads.where('category').anyOf(categories).delete();
        await db.cads.bulkPut(cads);
      });
      return { task: await withLocalProgress(userId, task), questions, cads };
    }
    if (data.kind === 'not_found' || data.kind === 'forbidden') return null;
    const row = await db.tasks.get([userId, taskId]);
    if (!row) return null;
    const questions = await db.questions.where('taskId').equals(taskId).sortBy('index');
    return { task: await withLocalProgress(userId, row.summary), questions, cads: await storedCads(questions.map((q) => q.category)) };
  }

  return {
    async listTasks(userId: string): Promise<TaskSummary[]> {
      const data = await getJson('/api/tasks');
      let rows: TaskRow[];
      if (!failed(data)) {
        const summaries = data as TaskSummary[];
        const now = new Date().toISOString();
        rows = await db.transaction('rw', db.tasks, async () => {
          const old = new Map((await db.tasks.where('userId').equals(userId).toArray()).map((t) => [t.id, t]));
          const next = summaries.map((s, position) => ({ ...old.get(s.id), userId, id: s.id, summary: s, fetchedAt: now, position }));
          await db.tasks.where('userId').equals(userId).delete();
          await db.tasks.bulkPut(next);
          return next;
        });
      } else {
        const stored = await db.tasks.where('userId').equals(userId).toArray();
        rows = stored.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity));
      }
      return Promise.all(rows.map((r) => withLocalProgress(userId, r.summary)));
    },

    getTask,
    listCads,

    async getMesh(cad: CadModelInfo, priority?: RequestPriority): Promise<ArrayBuffer> {
      const hit = await db.meshes.get(cad.etag);
      if (hit) return hit.bytes;
      const d = download('mesh', cad.etag, cad.meshUrl, priority, true);
      // The first view takes the mesh as downloaded, not after it is packed and stored for the device.
      const fresh = await d.bytes;
      if (fresh) {
        d.stored.catch((err: unknown) => onError('mesh: keep on the device', err));
        return fresh;
      }
      await d.stored;
      const row = await db.meshes.get(cad.etag);
      if (!row) throw new Error(`mesh ${cad.etag} was not stored`);
      return row.bytes;
    },

    /**
     * The full photo when the device has it (a task kept offline), else a stored copy at least as wide as
     * asked, else the one at the asked width, downloaded and kept under its own URL. Offline, or when the
     * download fails, a narrower copy stored for another window is shown rather than nothing; the
     * original (asked without a width, to zoom in) is only ever the original. Read-ahead is the page's to
     * ask for (after its first overlay), not done here.
     */
    async getImage(question: QuestionInfo, opts: ImageRequest = {}): Promise<Blob> {
      const url = sizedImageUrl(question.imageUrl, opts.width);
      const blobOf = (row: ImageRow) => new Blob([row.bytes], { type: row.type });
      const stored = await storedPhoto(question.imageUrl, url !== question.imageUrl);
      if (stored && (stored.url === question.imageUrl || (sizedWidthOf(stored.url) ?? 0) >= (sizedWidthOf(url) ?? Infinity))) return blobOf(stored);
      try {
        // Not `url` either (storedPhoto would have found it): no second look before the request.
        await storeBinary('image', url, url, opts.priority, true);
      } catch (err) {
        // The request's failure is in the status already (DownloadError) or is being offline.
        if (stored && (err instanceof NotOnDeviceError || err instanceof DownloadError)) return blobOf(stored);
        throw err;
      }
      const row = await db.images.get(url);
      if (!row) throw new Error(`photo ${url} was not stored`);
      return blobOf(row);
    },

    /**
     * Downloads every photo and mesh of the task that is not on the device yet, reporting files and bytes,
     * and asks to keep storage persistent. Cancelling stops between files; what was stored stays, so
     * running it again resumes where it stopped.
     */
    async makeAvailableOffline(userId: string, taskId: string, onProgress: (p: OfflineProgress) => void, signal?: AbortSignal): Promise<OfflineProgress> {
      const got = await getTask(userId, taskId);
      if (!got) throw new Error(`Task ${taskId} is not available`);
      // Kept with the task row (listTasks and getTask carry it over), so a restart still offers Resume.
      await db.tasks.update([userId, taskId], { offlineRequestedAt: new Date().toISOString() });
      const jobs = taskFiles(got.questions, got.cads);
      const progress: OfflineProgress = { taskId, done: 0, total: jobs.length, bytes: 0, cancelled: false };
      onProgress({ ...progress });
      const errors: string[] = [];
      let next = 0;
      const worker = async () => {
        while (next < jobs.length && !signal?.aborted) {
          const job = jobs[next++]!;
          try {
            const got = await storeBinary(job.kind, job.key, job.url);
            // Already on the device: count its size too, so the figure is what the task takes up.
            progress.bytes += got || ((job.kind === 'mesh' ? await db.meshes.get(job.key) : await db.images.get(job.key))?.bytes.byteLength ?? 0);
          } catch (err) {
            errors.push(err instanceof Error ? err.message : String(err));
          }
          progress.done++;
          onProgress({ ...progress });
        }
      };
      await Promise.all([worker(), worker(), worker()]);
      progress.cancelled = signal?.aborted === true;
      // Persistence is a request the browser may refuse; the data stays, only eviction is more likely.
      await browserNavigator()?.storage?.persist?.().catch((err: unknown) => onError('storage persist', err));
      // Photos the server does not have (reported per question) must not hide the rest's success.
      if (!progress.cancelled && errors.length && errors.length === jobs.length) throw new Error(`Nothing could be downloaded: ${errors[0]}`);
      return { ...progress };
    },

    /** How much of each task is on this device, from what IndexedDB holds (so it survives restarts). */
    async offlineState(userId: string, taskIds: readonly string[]): Promise<Record<string, OfflineState>> {
      const out: Record<string, OfflineState> = {};
      for (const taskId of taskIds) {
        const questions = await db.questions.where('taskId').equals(taskId).toArray();
        const row = await db.tasks.get([userId, taskId]);
        const expected = row?.summary.total ?? questions.length;
        const jobs = taskFiles(questions, await storedCads(questions.map((q) => q.category)));
        let stored = 0;
        let bytes = 0;
        for (const job of jobs) {
          const hit = job.kind === 'mesh' ? await db.meshes.get(job.key) : await db.images.get(job.key);
          if (hit) {
            stored++;
            bytes += hit.bytes.byteLength;
          }
        }
        // Without every question (and its category's models) listed locally the task cannot open offline.
        const complete = questions.length > 0 && questions.length >= expected && stored === jobs.length;
        out[taskId] = { stored, total: jobs.length, bytes, complete, requested: row?.offlineRequestedAt !== undefined };
      }
      return out;
    },
  };
}

export type Catalogue = ReturnType<typeof createCatalogue>;
