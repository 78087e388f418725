// The annotate page's state and actions, as `QuestionEditor` is for one question: which task and question
// are open, the photo, the category's CAD models and the chosen mesh in the page's one renderer, the
// read-ahead of the next questions, save / next / Snap, the messages and the active time. No DOM: what
// touches the document (navigation, focus) comes in as `PageHooks`; the page lays out the signals.
// A pose step changes only `pose` (and what derives from it): everything else the page reads keeps its
// value, so the page does not re-render while the annotator turns the model.
import { batch, computed, effect, signal, untracked } from '@preact/signals';
import type { CadModelInfo, PoseJson, QuestionInfo } from '@in3d/shared/types';
import type { Renderer, SceneState } from '../render/contract';
import { NotOnDeviceError, type DataStore } from '../data/contract';
import { fmt, messages } from '../i18n';
import { createActiveTimer, type ActiveTimer } from './active-time';
import { ensureMesh, getPhotoBitmap, loadGalleryMeshes, prefetchPhotos, watchFullPhoto } from './assets';
import { toggleAmbiguous, type Draft } from './draft';
import { QuestionEditor } from './editor';
import type { ShortcutAction } from './keymap';
import { stepParam, type PoseParam } from './pose-params';
import { forgetQuestionStates, prefetchQuestionStates, takeQuestionState } from './question-prefetch';
import { dismissSnap, snapStatusFor, snapToPhoto, type SnapStatus } from './snap';
import { typeSubtypeDigit, type TypedState } from './subtype-keys';
import { loadTask, nextOpenNumber, openTask, setQuestionStatus, statusOf, watchOpenTask, type QuestionStatus } from './task-status';
import { setDraftDiscarder, unsavedChanges } from './unsaved';
import { OVERLAY_MODES, VIEW_MODES, cycle, overlayHeld, updateView, viewSettings } from './view-settings';
import { viewShortcut } from './view-shortcuts';

export type Message = { kind: 'error' | 'info'; text: string } | null;
export type LabelGroup = 'objectStatus' | 'dense';

/** What the controller needs from the page and the browser; tests pass fakes. */
export interface PageHooks {
  /** Goes to the question's route; false while the leave guard asks first (the route shows it later). */
  navigate(taskId: string, number: number): boolean;
  /** Focuses the first choice of a label group the save found missing. */
  focusLabel(group: LabelGroup): void;
  focusJump(): void;
  /** Escape: leaves the focused control. */
  blurFocused(): void;
  /** Enter in a number field saves too: the field commits first (its typed text becomes the value shown). */
  commitNumberField(): void;
  online(): boolean;
  /** Runs `fn` at the next animation frame (pose inputs are merged per frame). */
  nextFrame(fn: () => void): void;
}

export const GHOST_COLOR = '#fb923c';
/** Questions read ahead (photo, saved state) once the current one is open. */
export const PREFETCH = 3;
/** Read-ahead starts at the first frame of the question, or this long after its photo and mesh are in if no frame came. */
const PREFETCH_LATEST_MS = 2000;
// One empty list, so clearing what was missing does not re-render the labels when nothing was.
const NO_MISSING: readonly LabelGroup[] = [];
const NO_CADS: CadModelInfo[] = [];
const NO_POSE: PoseJson = { azimuth: 0, elevation: 0, theta: 0, distance: 5, px: 0, py: 0 };
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class AnnotateController {
  readonly taskId = signal<string | null>(null);
  readonly number = signal(1);
  readonly renderer = signal<Renderer | null>(null);
  readonly loadError = signal<string | null>(null);
  readonly editor = signal<QuestionEditor | null>(null);
  /** The decoded photo of question `q` (null bitmap: it failed to load). */
  readonly photo = signal<{ q: string; bitmap: ImageBitmap | null } | null>(null);
  /** The gallery's meshes in the renderer (etags), read ahead after the question's first frame. */
  readonly galleryMeshes = signal<readonly string[]>([]);
  /** The last mesh the renderer was asked for, and whether it loaded. */
  readonly mesh = signal<{ etag: string; ok: boolean } | null>(null);
  readonly message = signal<Message>(null);
  readonly missing = signal<readonly LabelGroup[]>(NO_MISSING);
  readonly help = signal(false);
  /** The "Clear annotation?" confirmation is open. */
  readonly confirmClear = signal(false);
  /** Active time shown on the page, updated once a second by `tick()`. */
  readonly activeMs = signal(0);
  readonly timer: ActiveTimer;

  readonly task = computed(() => (openTask.value?.task.id === this.taskId.value ? openTask.value : null));
  /** Whether the task is in, without the statuses and progress that change at every save (the page's own test). */
  readonly taskLoaded = computed(() => this.task.value !== null);
  readonly question = computed<QuestionInfo | null>(() => this.task.value?.questions[this.number.value - 1] ?? null);
  private readonly category = computed(() => this.question.value?.category ?? null);
  // The payload's list keeps its identity across status updates, so `cads` is not refiltered at every save.
  private readonly taskCads = computed(() => this.task.value?.cads ?? NO_CADS);
  /** The category's CAD models, from the task payload: the same array while the category stays. */
  readonly cads = computed<CadModelInfo[]>(() => {
    const c = this.category.value, all = this.taskCads.value;
    return c === null ? NO_CADS : all.filter((m) => m.category === c).sort((a, b) => a.subtype - b.subtype);
  });
  /** The whole draft; parts that need only the pose or a label read those signals instead. */
  readonly draft = computed<Draft | null>(() => this.editor.value?.draft.value ?? null);
  /** The pose on screen: the Viewport, the gallery and the pose controls subscribe to it, not the page. */
  readonly pose = computed<PoseJson>(() => this.draft.value?.pose ?? this.question.value?.initialPose ?? NO_POSE);
  readonly subtype = computed(() => this.draft.value?.subtype ?? null);
  readonly objectStatus = computed(() => this.draft.value?.objectStatus ?? null);
  readonly dense = computed(() => this.draft.value?.dense ?? null);
  readonly ambiguous = computed(() => this.draft.value?.ambiguous);
  readonly hasDraft = computed(() => this.draft.value !== null);
  readonly dirty = computed(() => this.editor.value?.dirty.value ?? false);
  readonly annotation = computed(() => this.editor.value?.annotation.value ?? null);
  readonly canUndo = computed(() => this.editor.value?.canUndo.value ?? false);
  readonly canRedo = computed(() => this.editor.value?.canRedo.value ?? false);
  readonly saving = computed(() => this.editor.value?.saving.value ?? false);
  /** A saved answer of a regular task can be cleared (qualification answers are attempt records, R23). */
  readonly canClear = computed(() => this.annotation.value !== null && !this.task.value?.task.attemptId);
  readonly undoCrossesSave = computed(() => this.editor.value?.undoCrossesSave.value ?? false);
  readonly cad = computed(() => this.cads.value.find((c) => c.subtype === this.subtype.value) ?? null);
  readonly status = computed<QuestionStatus>(() => {
    const q = this.question.value, ed = this.editor.value;
    // The open question's light follows its editor, which learns of a save at the commit; the task's
    // list hears of it later (after the history write), and showing that would flash the old "Synced".
    if (ed && q && ed.question.id === q.id) return statusOf(ed.annotation.value);
    return (q && this.task.value?.statuses[q.id]) || OPEN;
  });
  readonly photoBitmap = computed(() => {
    const p = this.photo.value;
    return p && p.q === this.question.value?.id ? p.bitmap : null;
  });
  /** The photo of the current question is still loading: the Viewport keeps the previous frame. */
  readonly photoPending = computed(() => !this.question.value || this.photo.value?.q !== this.question.value.id);
  readonly meshKey = computed(() => {
    const c = this.cad.value, m = this.mesh.value;
    return c && m?.etag === c.etag && m.ok ? c.etag : null;
  });
  /** The question's state is loaded and, with a known subtype, its mesh has loaded or failed: draw. */
  readonly ready = computed(() => {
    const c = this.cad.value;
    const meshSettled = !c || this.mesh.value?.etag === c.etag;
    return this.editor.value !== null && this.editor.value.question.id === this.question.value?.id && meshSettled;
  });
  /** Snap's status while it still describes this question's draft (a later edit retires it). */
  readonly snapState = computed<SnapStatus>(() => snapStatusFor(this.question.value?.id, this.draft.value?.pose));
  readonly conflict = computed(() => {
    const a = this.annotation.value;
    return a?.sync.kind === 'conflict' ? a.sync.theirs : null;
  });
  /** The conflict's other answer, else the pose before the last Snap. */
  readonly ghost = computed<SceneState['ghost']>(() => {
    const conflict = this.conflict.value, meshKey = this.meshKey.value, snap = this.snapState.value;
    if (conflict) return { pose: conflict.pose, meshKey: this.cads.value.find((c) => c.subtype === conflict.subtype)?.etag ?? meshKey, color: GHOST_COLOR };
    return snap.kind === 'snapped' ? { pose: snap.before, meshKey, color: GHOST_COLOR } : null;
  });
  /** Snap can run: the photo and the chosen mesh are in. */
  readonly canSnap = computed(() => this.editor.value !== null && this.cad.value !== null && this.photoBitmap.value !== null && this.meshKey.value !== null);

  private readonly store: DataStore;
  private readonly hooks: PageHooks;
  private readonly stops: (() => void)[] = [];
  private typed: TypedState | null = null;
  /** Pose changes waiting for the next frame (inputs faster than the display are merged). */
  private pendingPose: { fn: (p: PoseJson) => PoseJson; key: string | null } | null = null;
  private frameOpen = false;
  /** Starts the read-ahead of the open question's next ones; null once started. */
  private prefetchAhead: (() => void) | null = null;

  constructor(store: DataStore, hooks: PageHooks, timer: ActiveTimer = createActiveTimer()) {
    this.store = store;
    this.hooks = hooks;
    this.timer = timer;
    this.stops.push(
      on(() => this.taskId.value, (id) => this.loadTaskOf(id)),
      on(() => this.question.value, (q) => this.openQuestion(q)),
      on(() => [this.renderer.value, this.cad.value] as const, ([r, c]) => this.loadMesh(r, c)),
      on(() => [this.renderer.value, this.cads.value] as const, () => void (this.galleryMeshes.value = [])),
      on(() => this.taskId.value, (id) => this.watchTask(id)),
      // The guard and the update prompt read this; the leave dialog's "Discard changes" drops this draft.
      effect(() => void (unsavedChanges.value = this.dirty.value)),
      effect(() => {
        const ed = this.editor.value;
        setDraftDiscarder(ed ? () => ed.discard() : null);
      }),
      // A fresh active time per question, from what its last save recorded.
      effect(() => {
        void this.question.value?.id;
        const start = this.annotation.value?.activeMs ?? 0;
        this.timer.reset(start);
        this.activeMs.value = start;
      }),
    );
  }

  /** The page's route: task and 1-based question number. */
  show(taskId: string, number: number): void {
    batch(() => {
      this.taskId.value = taskId;
      this.number.value = number;
    });
  }

  setRenderer(r: Renderer | null, error?: string): void {
    this.renderer.value = r;
    if (error) this.message.value = { kind: 'error', text: error };
  }

  /**
   * The Viewport drew a frame. The first complete one of the question (its photo and, with a known subtype,
   * its mesh) starts the read-ahead of the next questions.
   */
  frameDrawn = (drawn: { meshKey: string | null }): void => {
    if (!this.prefetchAhead || !this.ready.peek() || this.photoPending.peek()) return;
    if (drawn.meshKey === this.meshKey.peek()) this.prefetchAhead();
  };

  /** Writes the pending undo history now (the page is being hidden). */
  flush(): Promise<void> {
    return this.editor.peek()?.flush() ?? Promise.resolve();
  }

  tick(): void {
    this.activeMs.value = this.timer.elapsed();
  }

  dispose(): void {
    for (const stop of this.stops.splice(0)) stop();
    unsavedChanges.value = false;
    setDraftDiscarder(null);
  }

  // ---- loading -------------------------------------------------------------------------------

  private loadTaskOf(taskId: string | null) {
    if (!taskId) return;
    this.loadError.value = null;
    const m = messages.peek();
    loadTask(this.store, taskId).then(
      (t) => !t && (this.loadError.value = this.hooks.online() ? 'task not found' : m.annotate.notOnDevice),
      (e: unknown) => (this.loadError.value = errorText(e)),
    );
  }

  /** A new question: its editor, its photo, and the read-ahead of the next ones. */
  private openQuestion(q: QuestionInfo | null) {
    if (!q) return;
    {
      let alive = true;
      const ed = new QuestionEditor(this.store, q);
      batch(() => {
        this.editor.value = null;
        this.message.value = null;
        this.missing.value = NO_MISSING;
      });
      // The photo's and the mesh's device reads go first: on a first visit the editor's state comes back
      // before them otherwise, and the page render it starts holds their requests back (bench/first-visit.ts).
      getPhotoBitmap(this.store, q).then(
        (bitmap) => alive && (this.photo.value = { q: q.id, bitmap }),
        (e: unknown) => {
          if (!alive) return;
          const m = messages.peek();
          batch(() => {
            this.photo.value = { q: q.id, bitmap: null };
            this.message.value = { kind: 'error', text: e instanceof NotOnDeviceError ? m.annotate.photoNotOnDevice : fmt(m.annotate.loadFailed, { error: errorText(e) }) };
          });
        },
      );
      // The initial subtype's mesh (what a question not yet answered shows) starts with the photo rather
      // than after the saved state is read from the device; a saved other subtype's follows as usual.
      const initial = this.cads.peek().find((c) => c.subtype === q.initialSubtype);
      if (initial) this.warmMesh(initial);
      ed.load(takeQuestionState(q.id)).then(
        () => alive && (this.editor.value = ed),
        (e: unknown) => alive && (this.loadError.value = errorText(e)),
      );
      // Zoomed in beyond the screen-sized photo: the original replaces it (same question, zoom kept).
      const stopFull = watchFullPhoto(this.store, q, (bitmap) => alive && (this.photo.value = { q: q.id, bitmap }));
      // Read the next questions ahead once this one is drawn (`frameDrawn`), so they open without waiting
      // and never compete with what the annotator is waiting for; at the latest after PREFETCH_LATEST_MS.
      const questions = this.task.value?.questions ?? [];
      const at = questions.indexOf(q) + 1;
      const ahead = at > 0 ? questions.slice(at, at + PREFETCH) : [];
      let timer: ReturnType<typeof setTimeout> | undefined;
      let started = false;
      const prefetch = () => {
        if (started) return;
        started = true;
        clearTimeout(timer);
        this.prefetchAhead = null;
        void prefetchPhotos(this.store, ahead);
        prefetchQuestionStates(this.store, ahead);
        this.readGalleryAhead(() => alive);
      };
      // No frame came (a hidden tab, a canvas of no size): still never before this photo and mesh are in.
      const stopSettled = effect(() => {
        if (timer === undefined && this.ready.value && !this.photoPending.value) timer = setTimeout(prefetch, PREFETCH_LATEST_MS);
      });
      this.prefetchAhead = prefetch;
      return () => {
        alive = false;
        clearTimeout(timer);
        stopSettled();
        this.prefetchAhead = null;
        stopFull();
        void ed.dispose();
      };
    }
  }

  /** The other subtypes' meshes for the gallery, one at a time at low priority, once this question is drawn. */
  private readGalleryAhead(alive: () => boolean) {
    const renderer = this.renderer.peek();
    if (!renderer) return;
    void loadGalleryMeshes(renderer, this.store, this.cads.peek(), alive).then((etags) => {
      const cur = this.galleryMeshes.peek();
      if (alive() && (etags.length !== cur.length || etags.some((e, i) => e !== cur[i]))) this.galleryMeshes.value = etags;
    });
  }

  /**
   * Starts a mesh's download, into the renderer once there is one (a first visit: not waiting for the
   * render worker to load). Its failure is not lost: `loadMesh` asks again for the chosen one and shows it.
   */
  private warmMesh(cad: CadModelInfo) {
    const renderer = this.renderer.peek();
    if (renderer) void ensureMesh(renderer, this.store, cad);
    else void this.store.getMesh(cad).catch(() => undefined);
  }

  private loadMesh(renderer: Renderer | null, cad: CadModelInfo | null) {
    if (!cad) return;
    if (!renderer) return this.warmMesh(cad);
    let alive = true;
    void ensureMesh(renderer, this.store, cad).then((r) => {
      if (!alive) return;
      this.mesh.value = { etag: cad.etag, ok: r.ok };
      if (!r.ok) this.message.value = { kind: 'error', text: fmt(messages.peek().annotate.meshFailed, { error: r.error }) };
    });
    return () => void (alive = false);
  }

  /** Saves from this tab, other tabs and syncs arrive per question: the lights move, the open question follows. */
  private watchTask(taskId: string | null) {
    if (!taskId) return;
    return watchOpenTask(this.store, taskId, (c) => {
      forgetQuestionStates();
      const ed = this.editor.peek();
      if (c.questionId === ed?.question.id) ed.applyExternal(c.annotation);
    });
  }

  // ---- editing -------------------------------------------------------------------------------

  /**
   * A pose change. The first one in a display frame applies at once (the next frame shows it); more
   * in the same frame (a fast wheel, key repeat on a slow frame) merge into one change at the frame.
   */
  changePose(fn: (p: PoseJson) => PoseJson, key: string | null): void {
    if (!this.frameOpen) {
      this.frameOpen = true;
      this.hooks.nextFrame(() => this.endFrame());
      this.applyPose(fn, key);
      return;
    }
    const prev = this.pendingPose;
    // Different undo groups are not merged: the waiting one goes first.
    if (prev && prev.key !== key) this.applyPose(prev.fn, prev.key);
    this.pendingPose = prev && prev.key === key ? { fn: (p) => fn(prev.fn(p)), key } : { fn, key };
  }

  private endFrame() {
    this.frameOpen = false;
    const p = this.pendingPose;
    this.pendingPose = null;
    if (p) this.changePose(p.fn, p.key);
  }

  /** Applies a pose change still waiting for the frame: anything else (save, undo, a label) comes after it. */
  private flushPose() {
    const p = this.pendingPose;
    this.pendingPose = null;
    if (p) this.applyPose(p.fn, p.key);
  }

  private applyPose(fn: (p: PoseJson) => PoseJson, key: string | null) {
    this.editor.peek()?.change((d) => ({ ...d, pose: fn(d.pose) }), key);
  }

  /** A change of anything but the pose (labels, subtype, flags): clears a save's complaint. */
  change(fn: (d: Draft) => Draft, key: string | null = null): void {
    this.flushPose();
    this.editor.peek()?.change(fn, key);
    batch(() => {
      this.missing.value = NO_MISSING;
      if (this.message.peek()?.kind === 'error') this.message.value = null;
    });
  }

  selectSubtype = (subtype: number) => this.change((d) => ({ ...d, subtype }));
  toggleAmbiguous = (p: PoseParam) => this.change((d) => toggleAmbiguous(d, p));
  undo = () => this.edit((ed) => ed.undo());
  redo = () => this.edit((ed) => ed.redo());
  resetPose = () => this.edit((ed) => ed.resetPose());
  revertToSaved = () => this.edit((ed) => ed.revertToSaved());

  private edit(fn: (ed: QuestionEditor) => void) {
    this.flushPose();
    const ed = this.editor.peek();
    if (ed) fn(ed);
  }

  go = (n: number) => {
    this.flushPose();
    const t = this.task.peek();
    // Switching here, not when the route re-renders the page, starts the question's loads one page
    // render earlier and makes the route's render and the switch's one.
    if (t && n >= 1 && n <= t.questions.length && this.hooks.navigate(t.task.id, n)) this.show(t.task.id, n);
  };

  goNextOpen = () => {
    const t = this.task.peek();
    if (!t) return;
    const n = nextOpenNumber(t, this.number.peek());
    if (n === null) this.message.value = { kind: 'info', text: messages.peek().annotate.noOpen };
    else this.go(n);
  };

  save = async (): Promise<void> => {
    this.flushPose();
    const editor = this.editor.peek();
    if (!editor) return;
    const q = editor.question;
    const out = await editor.save(this.timer.elapsed());
    forgetQuestionStates();
    const m = messages.peek();
    if (out.ok) {
      batch(() => {
        this.missing.value = NO_MISSING;
        this.message.value = null;
      });
      setQuestionStatus(q.id, statusOf(out.annotation));
    } else if (out.reason === 'labels') {
      const miss = out.check.ok ? [] : out.check.missing;
      batch(() => {
        this.missing.value = miss;
        this.message.value = { kind: 'error', text: m.annotate.needLabels };
      });
      this.hooks.focusLabel(miss[0] ?? 'objectStatus');
    } else {
      this.message.value = { kind: 'error', text: fmt(m.annotate.saveFailed, { error: out.error }) };
    }
  };

  /** SPEC R51: a new revision that marks the question not annotated again (asked first by the page). */
  clear = async (): Promise<void> => {
    this.confirmClear.value = false;
    const editor = this.editor.peek();
    if (!editor) return;
    const out = await editor.clear();
    forgetQuestionStates();
    const m = messages.peek();
    if (out.ok) {
      batch(() => {
        this.missing.value = NO_MISSING;
        this.message.value = { kind: 'info', text: m.annotate.cleared };
      });
      setQuestionStatus(editor.question.id, { kind: 'open' });
    } else {
      this.message.value = { kind: 'error', text: fmt(m.annotate.saveFailed, { error: out.error }) };
    }
  };

  resolve = async (which: 'mine' | 'theirs'): Promise<void> => {
    const editor = this.editor.peek();
    if (!editor) return;
    try {
      const a = await this.store.resolveConflict(editor.question.id, which);
      await editor.load();
      setQuestionStatus(editor.question.id, statusOf(a));
    } catch (e) {
      this.message.value = { kind: 'error', text: fmt(messages.peek().annotate.saveFailed, { error: errorText(e) }) };
    }
  };

  snap = (): void => {
    this.flushPose();
    const editor = this.editor.peek(), cad = this.cad.peek(), photo = this.photoBitmap.peek();
    if (!this.canSnap.peek() || !editor || !cad || !photo) return;
    void snapToPhoto({ editor, store: this.store, cad, photo });
  };

  undoSnap = () => {
    this.undo();
    dismissSnap();
  };

  /** One keyboard shortcut (state/keymap.ts resolved it; use-shortcuts.ts delivers it). */
  shortcut = (a: ShortcutAction): void => {
    const help = this.help.peek();
    if (help && a.type !== 'help' && a.type !== 'escape') return;
    switch (a.type) {
      case 'step':
        return this.changePose((p) => stepParam(p, a.param, a.direction, a.coarse), `key:${a.param}`);
      case 'save':
        this.hooks.commitNumberField();
        return void this.save();
      case 'undo':
        return this.undo();
      case 'redo':
        return this.redo();
      case 'reset':
        return this.resetPose();
      case 'snap':
        return this.snap();
      case 'prev':
        return this.go(this.number.peek() - 1);
      case 'next':
        return this.go(this.number.peek() + 1);
      case 'nextOpen':
        return this.goNextOpen();
      case 'jump':
        return this.hooks.focusJump();
      case 'help':
        this.help.value = !help;
        return;
      case 'escape':
        if (help) return void (this.help.value = false);
        return this.hooks.blurFocused();
      case 'subtype': {
        const t = typeSubtypeDigit(this.typed, a.index, performance.now(), this.cads.peek().map((c) => c.subtype));
        this.typed = t.state;
        if (t.subtype !== null) this.selectSubtype(t.subtype);
        // "0" that completes no subtype number (10, 20, …) is "fit the photo" (keymap: both share Digit0).
        else if (a.index === 0) viewShortcut({ type: 'zoom', cmd: 'fit' });
        return;
      }
      case 'objectStatus':
        return this.change((d) => ({ ...d, objectStatus: a.value }));
      case 'dense':
        return this.change((d) => ({ ...d, dense: a.value }));
      case 'cycleOverlay':
        return updateView({ overlayMode: cycle(OVERLAY_MODES, viewSettings.peek().overlayMode) });
      case 'cycleView':
        return updateView({ view: cycle(VIEW_MODES, viewSettings.peek().view) });
      case 'opacity':
        return updateView({ opacity: viewSettings.peek().opacity + a.delta });
      case 'holdHide':
        overlayHeld.value = true;
        return;
      default:
        return viewShortcut(a);
    }
  };

  releaseHold = () => void (overlayHeld.value = false);
}

const OPEN: QuestionStatus = { kind: 'open' };

/**
 * Runs `run` with what `read` reads, again whenever that changes; `run` itself is not tracked (it may
 * read and write other signals) and may answer a cleanup, called before the next run and at the end.
 */
function on<T>(read: () => T, run: (v: T) => void | (() => void)): () => void {
  return effect(() => {
    const v = read();
    return untracked(() => run(v));
  });
}
