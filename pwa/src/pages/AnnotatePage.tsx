// The workspace: photo + overlay on the left, pose controls, labels and actions on the right, the
// subtype gallery under the photo. State lives in a QuestionEditor per question; this file wires it
// to the components, the keyboard and the renderer.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CadModelInfo, PoseJson } from '@in3d/shared/types';
import type { Renderer, SceneState } from '../render/contract';
import { NotOnDeviceError } from '../data/contract';
import { fmt, useMessages } from '../i18n';
import { useServices } from '../app/services';
import { hrefOf, navigate } from '../app/router';
import { ensureMesh, getCads, getPhotoBitmap, prefetchPhotos } from '../state/assets';
import { forgetQuestionStates, prefetchQuestionStates, takeQuestionState } from '../state/question-prefetch';
import { QuestionEditor } from '../state/editor';
import { toggleAmbiguous, type Draft } from '../state/draft';
import { stepParam } from '../state/pose-params';
import { type TypedState, typeSubtypeDigit } from '../state/subtype-keys';
import { loadTask, nextOpenNumber, openTask, setQuestionStatus, statusOf, watchOpenTask } from '../state/task-status';
import { setDraftDiscarder, unsavedChanges } from '../state/unsaved';
import { useActiveTime } from '../state/use-active-time';
import { useShortcuts } from '../state/use-shortcuts';
import type { ShortcutAction } from '../state/keymap';
import { OVERLAY_MODES, VIEW_MODES, cycle, overlayHeld, updateView, viewSettings } from '../state/view-settings';
import { viewShortcut } from '../state/view-shortcuts';
import { TopBar } from '../components/TopBar';
import { QuestionNav } from '../components/QuestionNav';
import { Viewport } from '../components/Viewport';
import { ViewToolbar } from '../components/ViewToolbar';
import { SubtypeGallery } from '../components/SubtypeGallery';
import { PoseControls } from '../components/PoseControls';
import { LabelsPanel } from '../components/LabelsPanel';
import { ActionBar } from '../components/ActionBar';
import { SaveState } from '../components/SaveState';
import { HelpOverlay } from '../components/HelpOverlay';
import { ConflictBanner } from '../components/ConflictBanner';
import { ChoiceDialog } from '../components/ChoiceDialog';
import { QuestionIdentity } from '../components/QuestionIdentity';
import { QuestionReport } from '../components/QuestionReport';
import { SnapToast } from '../components/SnapToast';
import { dismissSnap, snapStatusFor, snapToPhoto } from '../state/snap';

type Message = { kind: 'error' | 'info'; text: string } | null;
const GHOST_COLOR = '#fb923c';
const PREFETCH = 3;

export function AnnotatePage({ taskId, number }: { taskId: string; number: number }) {
  const m = useMessages();
  const { store, createRenderer } = useServices();
  const [renderer, setRenderer] = useState<Renderer | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editor, setEditor] = useState<QuestionEditor | null>(null);
  /** The decoded photo of question `q` (null bitmap: it failed to load). */
  const [photo, setPhoto] = useState<{ q: string; bitmap: ImageBitmap | null } | null>(null);
  const [cads, setCads] = useState<CadModelInfo[]>([]);
  /** The last mesh the renderer was asked for, and whether it loaded. */
  const [mesh, setMesh] = useState<{ etag: string; ok: boolean } | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const [missing, setMissing] = useState<('objectStatus' | 'dense')[]>([]);
  const [help, setHelp] = useState(false);
  const [confirmClear, setConfirmClear] = useState(false);
  const jumpRef = useRef<HTMLInputElement>(null);
  const typed = useRef<TypedState | null>(null);

  useEffect(() => {
    setLoadError(null);
    loadTask(store, taskId).then(
      (t) => !t && setLoadError(navigator.onLine ? 'task not found' : m.annotate.notOnDevice),
      (e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)),
    );
  }, [store, taskId]);

  const task = openTask.value?.task.id === taskId ? openTask.value : null;
  const q = task?.questions[number - 1] ?? null;

  // Layout effects: Preact runs plain effects after the next paint, a frame late for every question.
  useLayoutEffect(() => {
    if (!q) return;
    let alive = true;
    const ed = new QuestionEditor(store, q);
    setEditor(null);
    setMessage(null);
    setMissing([]);
    ed.load(takeQuestionState(q.id)).then(
      () => alive && setEditor(ed),
      (e: unknown) => alive && setLoadError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      alive = false;
      void ed.dispose();
    };
  }, [store, q?.id]);

  useLayoutEffect(() => {
    if (!q || !task) return;
    let alive = true;
    getPhotoBitmap(store, q).then(
      (bitmap) => alive && setPhoto({ q: q.id, bitmap }),
      (e: unknown) => {
        if (!alive) return;
        setPhoto({ q: q.id, bitmap: null });
        if (e instanceof NotOnDeviceError) setMessage({ kind: 'error', text: m.annotate.photoNotOnDevice });
        else setMessage({ kind: 'error', text: fmt(m.annotate.loadFailed, { error: e instanceof Error ? e.message : String(e) }) });
      },
    );
    // Read the next questions ahead once this one is up, so they open without waiting.
    const ahead = task.questions.slice(number, number + PREFETCH);
    const timer = setTimeout(() => {
      prefetchPhotos(store, ahead);
      prefetchQuestionStates(store, ahead);
    }, 150);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [store, q?.id]);

  useEffect(() => {
    if (!q) return;
    let alive = true;
    getCads(store, q.category).then(
      (c) => alive && setCads(c),
      (e: unknown) => alive && setMessage({ kind: 'error', text: fmt(m.annotate.meshFailed, { error: e instanceof Error ? e.message : String(e) }) }),
    );
    return () => {
      alive = false;
    };
  }, [store, q?.category]);

  const draft: Draft | null = editor?.draft.value ?? null;
  const dirty = editor?.dirty.value ?? false;
  const annotation = editor?.annotation.value ?? null;
  const cad = cads.find((c) => c.subtype === draft?.subtype) ?? null;

  useEffect(() => {
    if (!renderer || !cad) return;
    let alive = true;
    ensureMesh(renderer, store, cad).then((r) => {
      if (!alive) return;
      setMesh({ etag: cad.etag, ok: r.ok });
      if (!r.ok) setMessage({ kind: 'error', text: fmt(m.annotate.meshFailed, { error: r.error }) });
    });
    return () => {
      alive = false;
    };
  }, [renderer, store, cad?.etag]);

  // The guard and the update prompt read this; the leave dialog's "Discard changes" drops this draft.
  useEffect(() => {
    unsavedChanges.value = dirty;
  }, [dirty]);
  useEffect(() => () => void (unsavedChanges.value = false), []);
  useEffect(() => {
    if (!editor) return;
    setDraftDiscarder(() => editor.discard());
    // Belt and braces: a pending write goes out when the page is hidden (tab switch, reload, close).
    const flush = () => void editor.flush();
    const hidden = () => document.visibilityState === 'hidden' && flush();
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', hidden);
    return () => {
      setDraftDiscarder(null);
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', hidden);
    };
  }, [editor]);

  // Saves from this tab, other tabs and syncs arrive per question: the lights move, the open question follows.
  useEffect(
    () =>
      watchOpenTask(store, taskId, (c) => {
        forgetQuestionStates();
        if (c.questionId === editor?.question.id) editor.applyExternal(c.annotation);
      }),
    [store, taskId, editor],
  );

  const { timer, display } = useActiveTime(q?.id ?? null, annotation?.activeMs ?? 0);

  const changePose = (fn: (p: PoseJson) => PoseJson, key: string | null) => editor?.change((d) => ({ ...d, pose: fn(d.pose) }), key);
  const change = (fn: (d: Draft) => Draft, key: string | null = null) => {
    editor?.change(fn, key);
    setMissing([]);
    if (message?.kind === 'error') setMessage(null);
  };
  const go = (n: number) => task && n >= 1 && n <= task.questions.length && navigate({ name: 'annotate', taskId, number: n });
  const goNextOpen = () => {
    if (!task) return;
    const n = nextOpenNumber(task, number);
    if (n === null) setMessage({ kind: 'info', text: m.annotate.noOpen });
    else go(n);
  };

  const save = async () => {
    if (!editor || !q) return;
    const out = await editor.save(timer.elapsed());
    forgetQuestionStates();
    if (out.ok) {
      setMissing([]);
      setMessage(null);
      setQuestionStatus(q.id, statusOf(out.annotation));
    } else if (out.reason === 'labels') {
      const miss = out.check.ok ? [] : out.check.missing;
      setMissing(miss);
      setMessage({ kind: 'error', text: m.annotate.needLabels });
      document.querySelector<HTMLInputElement>(`#group-${miss[0] ?? 'objectStatus'} input`)?.focus();
    } else {
      setMessage({ kind: 'error', text: fmt(m.annotate.saveFailed, { error: out.error }) });
    }
  };

  const clear = async () => {
    setConfirmClear(false);
    if (!editor || !q) return;
    const out = await editor.clear();
    forgetQuestionStates();
    if (out.ok) {
      setMissing([]);
      setQuestionStatus(q.id, { kind: 'open' });
      setMessage({ kind: 'info', text: m.annotate.cleared });
    } else {
      setMessage({ kind: 'error', text: fmt(m.annotate.saveFailed, { error: out.error }) });
    }
  };

  const resolve = async (which: 'mine' | 'theirs') => {
    if (!editor || !q) return;
    try {
      const a = await store.resolveConflict(q.id, which);
      await editor.load();
      setQuestionStatus(q.id, statusOf(a));
    } catch (e) {
      setMessage({ kind: 'error', text: fmt(m.annotate.saveFailed, { error: e instanceof Error ? e.message : String(e) }) });
    }
  };

  const photoBitmap = photo?.q === q?.id ? (photo?.bitmap ?? null) : null;
  const snap = editor && cad && photoBitmap && mesh?.etag === cad.etag && mesh.ok ? () => void snapToPhoto({ editor, store, cad, photo: photoBitmap }) : undefined;
  const snapState = snapStatusFor(q?.id, draft?.pose);

  const onShortcut = (a: ShortcutAction) => {
    if (help && a.type !== 'help' && a.type !== 'escape') return;
    switch (a.type) {
      case 'step':
        return changePose((p) => stepParam(p, a.param, a.direction, a.coarse), `key:${a.param}`);
      case 'save': {
        // Enter in a number field saves too: the field commits first (its typed text becomes the value shown).
        const el = document.activeElement;
        if (el instanceof HTMLInputElement && el.type === 'number') el.blur();
        return void save();
      }
      case 'undo':
        return editor?.undo();
      case 'redo':
        return editor?.redo();
      case 'reset':
        return editor?.resetPose();
      case 'snap':
        return snap?.();
      case 'prev':
        return go(number - 1);
      case 'next':
        return go(number + 1);
      case 'nextOpen':
        return goNextOpen();
      case 'jump':
        return jumpRef.current?.focus();
      case 'help':
        return setHelp(!help);
      case 'escape':
        if (help) return setHelp(false);
        return (document.activeElement as HTMLElement | null)?.blur();
      case 'subtype': {
        const t = typeSubtypeDigit(typed.current, a.index, performance.now(), cads.map((c) => c.subtype));
        typed.current = t.state;
        if (t.subtype !== null) change((d) => ({ ...d, subtype: t.subtype! }));
        // "0" that completes no subtype number (10, 20, …) is "fit the photo" (keymap: both share Digit0).
        else if (a.index === 0) viewShortcut({ type: 'zoom', cmd: 'fit' });
        return;
      }
      case 'objectStatus':
        return change((d) => ({ ...d, objectStatus: a.value }));
      case 'dense':
        return change((d) => ({ ...d, dense: a.value }));
      case 'cycleOverlay':
        return updateView({ overlayMode: cycle(OVERLAY_MODES, viewSettings.value.overlayMode) });
      case 'cycleView':
        return updateView({ view: cycle(VIEW_MODES, viewSettings.value.view) });
      case 'opacity':
        return updateView({ opacity: viewSettings.value.opacity + a.delta });
      case 'holdHide':
        overlayHeld.value = true;
        return;
      default:
        return viewShortcut(a);
    }
  };
  useShortcuts(onShortcut, () => (overlayHeld.value = false));

  if (loadError || (task && !q)) {
    return (
      <>
        <TopBar />
        <main class="page">
          <p class="note error" role="alert">
            {loadError === m.annotate.notOnDevice || (!loadError && task?.questions.length === 0 && !navigator.onLine)
              ? m.annotate.notOnDevice
              : fmt(m.annotate.loadFailed, { error: loadError ?? `#${number}` })}
          </p>
          <a class="btn btn-ghost" href={hrefOf({ name: 'tasks' })}>
            {m.annotate.backToTasks}
          </a>
        </main>
      </>
    );
  }

  const status = (q && task?.statuses[q.id]) || { kind: 'open' as const };
  const conflict = annotation?.sync.kind === 'conflict' ? annotation.sync.theirs : null;
  const ghostCad = conflict ? cads.find((c) => c.subtype === conflict.subtype) : null;
  const meshKey = cad && mesh?.etag === cad.etag && mesh.ok ? cad.etag : null;
  // With a known subtype, the first frame waits for its mesh (loaded or failed) rather than flash without it.
  const meshSettled = !cad || mesh?.etag === cad.etag;
  // The conflict's other answer, else the pose before the last Snap.
  const ghost: SceneState['ghost'] = conflict
    ? { pose: conflict.pose, meshKey: ghostCad?.etag ?? meshKey, color: GHOST_COLOR }
    : snapState.kind === 'snapped'
      ? { pose: snapState.before, meshKey, color: GHOST_COLOR }
      : null;

  return (
    <div class="annotate-page">
      <TopBar>
        {task && q && (
          <QuestionNav
            taskName={task.task.name}
            number={number}
            total={task.questions.length}
            done={task.task.done}
            status={status}
            dirty={dirty}
            onGo={go}
            onNextOpen={goNextOpen}
            jumpRef={jumpRef}
          />
        )}
      </TopBar>
      <main class="workspace">
        <section class="stage" aria-label={m.annotate.overlay}>
          <ViewToolbar onHelp={() => setHelp(true)} />
          {conflict && <ConflictBanner onKeep={(w) => void resolve(w)} />}
          <Viewport
            createRenderer={createRenderer}
            onRenderer={(r, err) => {
              setRenderer(r);
              if (err) setMessage({ kind: 'error', text: err });
            }}
            renderer={renderer}
            photo={photoBitmap}
            photoPending={!q || photo?.q !== q.id}
            ready={editor !== null && editor.question.id === q?.id && meshSettled}
            photoSize={{ width: q?.imageWidth ?? 1, height: q?.imageHeight ?? 1 }}
            meshKey={meshKey}
            pose={draft?.pose ?? q?.initialPose ?? { azimuth: 0, elevation: 0, theta: 0, distance: 5, px: 0, py: 0 }}
            viewport={q?.viewport ?? 1000}
            bbox={q?.bbox ?? null}
            settings={viewSettings.value}
            overlayHidden={overlayHeld.value}
            ghost={ghost}
            onPoseChange={(fn, key) => changePose(fn, key)}
          />
          <SubtypeGallery
            renderer={renderer}
            store={store}
            cads={cads}
            pose={draft?.pose ?? q?.initialPose ?? { azimuth: 0, elevation: 0, theta: 0, distance: 5, px: 0, py: 0 }}
            selected={draft?.subtype ?? 0}
            onSelect={(s) => change((d) => ({ ...d, subtype: s }))}
          />
        </section>
        <aside class="sidebar">
          {draft && q ? (
            <>
              <div class="sidebar-scroll">
                <PoseControls
                  pose={draft.pose}
                  photo={{ width: q.imageWidth, height: q.imageHeight }}
                  onChange={changePose}
                  ambiguous={draft.ambiguous}
                  onAmbiguous={(p) => change((d) => toggleAmbiguous(d, p))}
                />
                <details class="question-details">
                  <summary>{m.annotate.identity}</summary>
                  <QuestionIdentity q={q} />
                  <QuestionReport q={q} store={store} />
                </details>
              </div>
              {/* Labels sit with Save in the part that never scrolls: both in view on a 1024×768 tablet. */}
              <div class="sidebar-foot">
                <LabelsPanel
                  objectStatus={draft.objectStatus}
                  dense={draft.dense}
                  missing={missing}
                  onStatus={(v) => change((d) => ({ ...d, objectStatus: v }), null)}
                  onDense={(v) => change((d) => ({ ...d, dense: v }), null)}
                />
                <SaveState status={status} dirty={dirty} message={message} activeMs={display} />
                <ActionBar
                  canUndo={editor?.canUndo.value ?? false}
                  canRedo={editor?.canRedo.value ?? false}
                  saving={editor?.saving.value ?? false}
                  onSave={() => void save()}
                  onUndo={() => editor?.undo()}
                  onRedo={() => editor?.redo()}
                  onReset={() => editor?.resetPose()}
                  onRevert={dirty && annotation ? () => editor?.revertToSaved() : undefined}
                  onClear={annotation && !task?.task.attemptId ? () => setConfirmClear(true) : undefined}
                  undoCrossesSave={editor?.undoCrossesSave.value ?? false}
                  onSnap={snap}
                  snapping={snapState.kind === 'running'}
                />
              </div>
            </>
          ) : (
            <p class="muted">{m.app.loading}</p>
          )}
        </aside>
      </main>
      <SnapToast status={snapState} onUndo={() => (editor?.undo(), dismissSnap())} onDismiss={dismissSnap} />
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
      {confirmClear && (
        <ChoiceDialog
          title={m.annotate.clearTitle}
          onCancel={() => setConfirmClear(false)}
          choices={[
            { label: m.annotate.clearNo, kind: 'primary', onChoose: () => setConfirmClear(false) },
            { label: m.annotate.clearYes, kind: 'danger', onChoose: () => void clear() },
          ]}
        >
          <p>{m.annotate.clearBody}</p>
        </ChoiceDialog>
      )}
    </div>
  );
}
