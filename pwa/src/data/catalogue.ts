// Tasks, questions, CAD models, meshes and photos: network first for lists (then kept for offline),
// cache first for binaries (their URLs name their content, so a stored copy never goes stale).
import type { CadModelInfo, QuestionInfo, TaskSummary } from '@in3d/shared/types';
import type { OfflineProgress } from './contract';
import type { LocalDb, TaskRow } from './db';
import { browserNavigator } from './env';
import type { Api, ApiFailure } from './http';

export interface CatalogueDeps {
  db: LocalDb;
  api: Api;
  /** Told about every failed request, so a 401 or 426 reaches the status. */
  onFailure(f: ApiFailure): void;
}

const PREFETCH_AHEAD = 3;

export function createCatalogue({ db, api, onFailure }: CatalogueDeps) {
  const inFlight = new Map<string, Promise<number>>();

  const getJson = async (path: string): Promise<unknown | ApiFailure> => {
    const res = await api.json('GET', path);
    if (res.ok) return res.data;
    onFailure(res);
    return res;
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
    const done = new Set(annotated.map((a) => a.questionId));
    if (questions.length !== summary.total) return { ...summary, done: Math.min(summary.total, Math.max(summary.done, done.size)) };
    const countDone = questions.filter((q) => done.has(q.id)).length;
    const open = questions.find((q) => !done.has(q.id));
    return { ...summary, done: Math.max(summary.done, countDone), firstOpenIndex: open?.index ?? null };
  }

  /** Stores a binary by key once; concurrent callers share the download. Answers the bytes stored (0 if cached). */
  function storeBinary(kind: 'mesh' | 'image', key: string, url: string): Promise<number> {
    const k = `${kind}:${key}`;
    const running = inFlight.get(k);
    if (running) return running;
    const p = (async () => {
      const table = kind === 'mesh' ? db.meshes : db.images;
      if ((await table.where(kind === 'mesh' ? 'etag' : 'url').equals(key).count()) > 0) return 0;
      const res = await api.bytes(url);
      if (!res.ok) {
        onFailure(res);
        throw new Error(`${url}: ${res.message}`);
      }
      const storedAt = new Date().toISOString();
      if (kind === 'mesh') await db.meshes.put({ etag: key, bytes: res.data.bytes, storedAt });
      else await db.images.put({ url: key, bytes: res.data.bytes, type: res.data.type, storedAt });
      return res.data.bytes.byteLength;
    })().finally(() => inFlight.delete(k));
    inFlight.set(k, p);
    return p;
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

  async function getTask(userId: string, taskId: string): Promise<{ task: TaskSummary; questions: QuestionInfo[] } | null> {
    const data = await getJson(`/api/tasks/${encodeURIComponent(taskId)}`);
    if (!failed(data)) {
      const { task, questions } = data as { task: TaskSummary; questions: QuestionInfo[] };
      await db.transaction('rw', [db.tasks, db.questions], async () => {
        const old = await db.tasks.get([userId, taskId]);
        await db.tasks.put({ ...old, userId, id: taskId, summary: task, fetchedAt: new Date().toISOString() });
        await db.questions.where('taskId').equals(taskId).delete();
        await db.questions.bulkPut(questions);
      });
      return { task: await withLocalProgress(userId, task), questions };
    }
    if (data.kind === 'not_found' || data.kind === 'forbidden') return null;
    const row = await db.tasks.get([userId, taskId]);
    if (!row) return null;
    const questions = await db.questions.where('taskId').equals(taskId).sortBy('index');
    return { task: await withLocalProgress(userId, row.summary), questions };
  }

  /** The next few photos of the task and the category's meshes, in the background; failures are ignored. */
  async function prefetchAfter(question: QuestionInfo): Promise<void> {
    try {
      const next = await db.questions.where('[taskId+index]').between([question.taskId, question.index + 1], [question.taskId, question.index + PREFETCH_AHEAD], true, true).toArray();
      for (const q of next) await storeBinary('image', q.imageUrl, q.imageUrl);
      const cads = await db.cads.where('category').equals(question.category).toArray();
      for (const c of cads) await storeBinary('mesh', c.etag, c.meshUrl);
    } catch {
      // Offline or a missing photo: the page fetches on demand and shows its own error.
    }
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
          const next = summaries.map((s) => ({ ...old.get(s.id), userId, id: s.id, summary: s, fetchedAt: now }));
          await db.tasks.where('userId').equals(userId).delete();
          await db.tasks.bulkPut(next);
          return next;
        });
      } else {
        rows = await db.tasks.where('userId').equals(userId).toArray();
      }
      return Promise.all(rows.map((r) => withLocalProgress(userId, r.summary)));
    },

    getTask,
    listCads,
    prefetchAfter,

    async getMesh(cad: CadModelInfo): Promise<ArrayBuffer> {
      const hit = await db.meshes.get(cad.etag);
      if (hit) return hit.bytes;
      await storeBinary('mesh', cad.etag, cad.meshUrl);
      const row = await db.meshes.get(cad.etag);
      if (!row) throw new Error(`mesh ${cad.etag} was not stored`);
      return row.bytes;
    },

    async getImage(question: QuestionInfo): Promise<Blob> {
      let row = await db.images.get(question.imageUrl);
      if (!row) {
        await storeBinary('image', question.imageUrl, question.imageUrl);
        row = await db.images.get(question.imageUrl);
      }
      if (!row) throw new Error(`photo ${question.imageUrl} was not stored`);
      void prefetchAfter(question);
      return new Blob([row.bytes], { type: row.type });
    },

    /** Downloads every photo and mesh of the task, reporting progress, and asks to keep storage persistent. */
    async makeAvailableOffline(userId: string, taskId: string, onProgress: (p: OfflineProgress) => void): Promise<OfflineProgress> {
      const got = await getTask(userId, taskId);
      if (!got) throw new Error(`Task ${taskId} is not available`);
      const categories = [...new Set(got.questions.map((q) => q.category))];
      const cads = (await Promise.all(categories.map(listCads))).flat();
      const jobs: { kind: 'mesh' | 'image'; key: string; url: string }[] = [
        ...[...new Set(got.questions.map((q) => q.imageUrl))].map((u) => ({ kind: 'image' as const, key: u, url: u })),
        ...[...new Map(cads.map((c) => [c.etag, c])).values()].map((c) => ({ kind: 'mesh' as const, key: c.etag, url: c.meshUrl })),
      ];
      const progress: OfflineProgress = { taskId, done: 0, total: jobs.length, bytes: 0 };
      onProgress({ ...progress });
      const errors: string[] = [];
      let next = 0;
      const worker = async () => {
        while (next < jobs.length) {
          const job = jobs[next++]!;
          try {
            await storeBinary(job.kind, job.key, job.url);
          } catch (err) {
            errors.push(err instanceof Error ? err.message : String(err));
          }
          const size = job.kind === 'mesh' ? (await db.meshes.get(job.key))?.bytes.byteLength : (await db.images.get(job.key))?.bytes.byteLength;
          progress.bytes += size ?? 0;
          progress.done++;
          onProgress({ ...progress });
        }
      };
      await Promise.all([worker(), worker(), worker()]);
      await browserNavigator()?.storage?.persist?.().catch(() => false);
      await db.tasks.update([userId, taskId], { offline: { bytes: progress.bytes, at: new Date().toISOString() } });
      // Photos the server does not have (reported per question) must not hide the rest's success.
      if (errors.length && errors.length === jobs.length) throw new Error(`Nothing could be downloaded: ${errors[0]}`);
      return { ...progress };
    },
  };
}

export type Catalogue = ReturnType<typeof createCatalogue>;
