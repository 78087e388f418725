// The editing session of one question: the draft with its undo history (stored per question so it
// survives reloads), the saved baseline, and saving. No DOM; the page binds it to controls.
import { batch, computed, signal, type Signal } from '@preact/signals';
import type { QuestionInfo } from '@in3d/shared/types';
import type { DataStore, LocalAnnotation } from '../data/contract';
import { reportError } from '../app/report-error';
import { markSave } from '../data/save-probe';
import { checkSavable, draftFromAnnotation, initialDraft, sameDraft, toValues, type Draft, type SaveCheck } from './draft';
import { canRedo, canUndo, createHistory, isHistory, record, redo, undo, type History } from './history';
import { nextTask } from '@in3d/shared/next-task';

/** What is stored per question: the history plus the revision it was based on. */
interface StoredHistory {
  v: 1;
  baseRevisionId: string | null;
  history: History<Draft>;
}

export interface PreloadedState {
  annotation: LocalAnnotation | null;
  stored: StoredHistory | undefined;
}

/**
 * A failed read of the annotation rejects (the page shows it): taking it as "never annotated" would send
 * the next save with no base and turn it into a spurious conflict. A lost undo history only costs the
 * undo steps, so that failure is reported and the question opens without them.
 */
export async function readQuestionState(store: DataStore, questionId: string, taskId: string): Promise<PreloadedState> {
  const [annotation, stored] = await Promise.all([
    store.getAnnotation(questionId, taskId),
    store.loadHistory<StoredHistory>(questionId).catch((err: unknown) => void reportError('editor: read undo history', err)),
  ]);
  return { annotation, stored };
}

export type SaveOutcome = { ok: true; annotation: LocalAnnotation } | { ok: false; reason: 'labels'; check: SaveCheck } | { ok: false; reason: 'error'; error: string };

/**
 * The draft and its undo history are written out of the input's task, in a background task after the
 * frame the step asked for: the first step of a burst at once, then at most every STORE_EVERY_MS (a
 * drag, key repeat, a run of clicks), so a reload or a crash a moment after a change keeps it. Hiding or
 * leaving the page, another question and a save write at once too (`flush`, `dispose`, `save`), but a
 * write started while the page unloads is not sure to land (e2e/details "a reload 200 ms after…").
 */
const STORE_EVERY_MS = 100;

/**
 * "Saving…" only for a slow commit: until the commit "Unsaved changes" is the truth, and a frame painted
 * for a new line between Enter and the commit holds the commit's answers back (bench/annotate-ui.ts).
 */
const SHOW_SAVING_AFTER_MS = 100;

export class QuestionEditor {
  readonly history: Signal<History<Draft>>;
  readonly baseline: Signal<Draft>;
  readonly annotation = signal<LocalAnnotation | null>(null);
  readonly saving = signal(false);
  private inFlight: Promise<SaveOutcome> | null = null;
  readonly draft = computed(() => this.history.value.present);
  readonly dirty = computed(() => !sameDraft(this.draft.value, this.baseline.value));
  readonly canUndo = computed(() => canUndo(this.history.value));
  readonly canRedo = computed(() => canRedo(this.history.value));
  private storeTimer: ReturnType<typeof setTimeout> | null = null;
  /** Steps not yet on the device. */
  private unstored = false;
  private lastStoreAt = -Infinity;
  /**
   * The last history write. Each is issued at once, never behind another: IndexedDB runs them in order,
   * and one made in `pagehide` must reach the database in that task.
   */
  private writing: Promise<void> = Promise.resolve();
  private writes = 0;
  /** The last write failed and was reported: the next failures are not, until one succeeds. */
  private storeFailed = false;
  private disposed = false;

  private readonly store: DataStore;
  readonly question: QuestionInfo;

  constructor(store: DataStore, question: QuestionInfo) {
    this.store = store;
    this.question = question;
    this.history = signal(createHistory(initialDraft(question)));
    this.baseline = signal(initialDraft(question));
  }

  /**
   * Loads the last save and the stored history (or takes them from `preloaded`, read ahead while the
   * previous question was open); a history based on an older revision is dropped.
   */
  async load(preloaded?: Promise<PreloadedState>): Promise<void> {
    const { annotation, stored } = await (preloaded ?? readQuestionState(this.store, this.question.id, this.question.taskId));
    const baseline = annotation ? draftFromAnnotation(annotation) : initialDraft(this.question);
    this.annotation.value = annotation;
    this.baseline.value = baseline;
    const baseId = annotation?.id ?? null;
    if (stored && stored.v === 1 && stored.baseRevisionId === baseId && isHistory(stored.history)) {
      this.history.value = stored.history;
    } else {
      this.history.value = createHistory(baseline);
    }
  }

  /** Applies a change; `coalesceKey` merges bursts (drags, slider moves) into one undo step. */
  change(fn: (d: Draft) => Draft, coalesceKey: string | null = null): void {
    const next = fn(this.draft.value);
    const h = record(this.history.value, next, { coalesceKey });
    if (h === this.history.value) return;
    this.history.value = h;
    this.scheduleStore();
  }

  undo(): void {
    this.history.value = undo(this.history.value);
    this.scheduleStore();
  }

  redo(): void {
    this.history.value = redo(this.history.value);
    this.scheduleStore();
  }

  /** "Revert to last saved": one undoable step back to the saved values. */
  revertToSaved(): void {
    this.change(() => ({ ...this.baseline.value, pose: { ...this.baseline.value.pose } }));
  }

  /** The draft is the last save and there are steps before it: the next undo goes back past the save. */
  readonly undoCrossesSave = computed(() => !this.dirty.value && this.annotation.value !== null && canUndo(this.history.value));

  /** Drops the draft: back to the last save (or the initial values), history cleared, stored at once. */
  async discard(): Promise<void> {
    this.history.value = createHistory(this.baseline.value);
    await this.storeNow();
  }

  resetPose(): void {
    this.change((d) => ({ ...d, pose: { ...this.question.initialPose }, subtype: this.question.initialSubtype }));
  }

  /**
   * Saves the draft. A second Enter while a save is on its way (a double press) waits for it and makes no
   * second revision of the same draft; one made after an edit in between is saved after it.
   */
  async save(activeMs: number): Promise<SaveOutcome> {
    while (this.inFlight) {
      const out = await this.inFlight;
      if (!this.dirty.peek()) return out;
    }
    const run = this.saveNow(activeMs);
    this.inFlight = run;
    try {
      return await run;
    } finally {
      if (this.inFlight === run) this.inFlight = null;
    }
  }

  private async saveNow(activeMs: number): Promise<SaveOutcome> {
    const d = this.draft.value;
    const check = checkSavable(d);
    const values = toValues(d, activeMs);
    if (!check.ok || !values) return { ok: false, reason: 'labels', check };
    // Unwritten steps go to the device before the save, not awaited: a save that fails or never commits
    // loses none of them. The write after the commit moves the history onto the new revision.
    if (this.unstored) void this.storeNow();
    const slow = setTimeout(() => (this.saving.value = true), SHOW_SAVING_AFTER_MS);
    try {
      const annotation = await this.store.saveAnnotation(this.question.taskId, this.question.id, values);
      clearTimeout(slow);
      // Committed: the line says so in one render, before the history write below.
      batch(() => {
        this.annotation.value = annotation;
        this.baseline.value = d;
        this.saving.value = false;
      });
      markSave('status-set');
      // The undo history carries over onto the new revision: undoing after a save is still possible.
      await this.storeNow(annotation.id);
      return { ok: true, annotation };
    } catch (e) {
      return { ok: false, reason: 'error', error: e instanceof Error ? e.message : String(e) };
    } finally {
      clearTimeout(slow);
      this.saving.value = false;
    }
  }

  /**
   * The question's shown save changed outside this editor (another tab, a sync, a retry or discard):
   * the sync light follows; without unsaved edits the values on screen follow too.
   */
  applyExternal(a: LocalAnnotation | null): void {
    if (this.disposed) return;
    const before = this.annotation.value;
    this.annotation.value = a;
    if ((a?.id ?? null) === (before?.id ?? null) || this.dirty.value) return;
    const baseline = a ? draftFromAnnotation(a) : initialDraft(this.question);
    this.baseline.value = baseline;
    // This tab's own save arrives here too, with the values already on screen: keep its undo steps.
    if (!sameDraft(baseline, this.draft.value)) {
      this.history.value = createHistory(baseline);
      this.scheduleStore();
    }
  }

  /**
   * R51: "Clear annotation": a new revision marks the question not annotated (the answer stays in the
   * history); the draft goes back to the initial values with a fresh undo history.
   */
  async clear(): Promise<{ ok: true } | { ok: false; error: string }> {
    this.saving.value = true;
    try {
      await this.store.clearAnnotation(this.question.taskId, this.question.id);
      const initial = initialDraft(this.question);
      this.annotation.value = null;
      this.baseline.value = initial;
      this.history.value = createHistory(initial);
      await this.storeNow(null);
      return { ok: true };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    } finally {
      this.saving.value = false;
    }
  }

  private scheduleStore(): void {
    this.unstored = true;
    if (this.storeTimer) return; // the write already scheduled takes the latest history
    const wait = Math.max(0, this.lastStoreAt + STORE_EVERY_MS - performance.now());
    const timer: ReturnType<typeof setTimeout> = setTimeout(() => {
      void nextTask('background').then(() => {
        if (this.storeTimer !== timer) return; // a flush or a save wrote it since (and may have scheduled anew)
        this.storeTimer = null;
        if (this.unstored) void this.storeNow();
      });
    }, wait);
    this.storeTimer = timer;
  }

  private cancelScheduledStore(): void {
    if (this.storeTimer) clearTimeout(this.storeTimer);
    this.storeTimer = null;
  }

  /**
   * Writes the history now. A failed write is reported (once while writes keep failing) and its steps
   * stay unwritten: the next step, flush or save writes them again.
   */
  storeNow(baseRevisionId: string | null = this.annotation.value?.id ?? null): Promise<void> {
    this.cancelScheduledStore();
    this.unstored = false;
    this.lastStoreAt = performance.now();
    const stored: StoredHistory = { v: 1, baseRevisionId, history: this.history.value };
    const n = ++this.writes;
    const write = this.store.storeHistory(this.question.id, stored).then(
      () => {
        this.storeFailed = false;
      },
      (err: unknown) => {
        if (n === this.writes) this.unstored = true; // no later write carries its steps
        if (!this.storeFailed) reportError('editor: store undo history', err);
        this.storeFailed = true;
      },
    );
    this.writing = write;
    return write;
  }

  /** Writes the unwritten steps now and resolves once they are on the device (the page is being hidden or left). */
  async flush(): Promise<void> {
    if (this.unstored) await this.storeNow();
    else await this.writing;
  }

  /** Flushes the pending history write (leaving the question must not lose the last steps). */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.flush();
  }
}
