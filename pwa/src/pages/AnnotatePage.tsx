// The workspace: photo + overlay on the left, pose controls, labels and actions on the right, the
// subtype gallery under the photo. Layout only: the state and the actions are the page's
// AnnotateController (state/annotate-controller.ts), made once per page with its one renderer. Parts
// that follow a signal read it in their own `Live` block, so a change re-renders that part alone; a
// pose step reaches only the Viewport, the gallery's effect and the changed pose control.
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { effect } from '@preact/signals';
import { fmt, useMessages } from '../i18n';
import { useServices } from '../app/services';
import { hrefOf, navigate } from '../app/router';
import { countRender } from '../app/render-probe';
import { announce } from '../app/announce';
import { AnnotateController, type PageHooks } from '../state/annotate-controller';
import { useActiveTime } from '../state/use-active-time';
import { useShortcuts } from '../state/use-shortcuts';
import { overlayHeld, viewSettings } from '../state/view-settings';
import { dismissSnap } from '../state/snap';
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
import { lazyComponent } from '../app/lazy';

// Rework is rare: its notice (and the review messages it reads) loads after the first screen.
const ReworkNotice = lazyComponent(() => import('./review/ReworkNotice').then((mod) => mod.ReworkNotice), () => <></>);

/** Renders `children()` as a component of its own: the signals it reads re-render this block, not the page. */
function Live({ children }: { children: () => ComponentChildren }) {
  return <>{children()}</>;
}

function pageHooks(jump: { current: HTMLInputElement | null }): PageHooks {
  return {
    navigate: (taskId, number) => navigate({ name: 'annotate', taskId, number }),
    focusLabel: (group) => document.querySelector<HTMLInputElement>(`#group-${group} input`)?.focus(),
    focusJump: () => jump.current?.focus(),
    blurFocused: () => (document.activeElement as HTMLElement | null)?.blur(),
    commitNumberField: () => {
      const el = document.activeElement;
      if (el instanceof HTMLInputElement && el.type === 'number') el.blur();
    },
    online: () => navigator.onLine,
    nextFrame: (fn) => void requestAnimationFrame(fn),
  };
}

export function AnnotatePage({ taskId, number }: { taskId: string; number: number }) {
  countRender('AnnotatePage');
  const m = useMessages();
  const { store, createRenderer } = useServices();
  const jumpRef = useRef<HTMLInputElement>(null);
  const ctl = useMemo(() => new AnnotateController(store, pageHooks(jumpRef)), [store]);
  useEffect(() => () => ctl.dispose(), [ctl]);
  // Layout effect: Preact runs plain effects after the next paint, a frame late for every question.
  useLayoutEffect(() => ctl.show(taskId, number), [ctl, taskId, number]);
  // Each new question is announced (focus stays where it is: Enter, N and the pose keys keep working).
  // Read in an effect of its own, not by the page: the task changes at every save and sync.
  useEffect(() => {
    let said = '';
    return effect(() => {
      const task = ctl.task.value;
      const q = ctl.question.value;
      if (!task || !q) return;
      const text = `${fmt(m.annotate.question, { n: task.questions.indexOf(q) + 1, total: task.questions.length })} · ${task.task.name}`;
      if (text !== said) announce((said = text));
    });
  }, [ctl, m]);
  useActiveTime(ctl.timer, () => ctl.tick());
  useShortcuts(ctl.shortcut, ctl.releaseHold);
  // Belt and braces: a pending write goes out when the page is hidden (tab switch, reload, close).
  useEffect(() => {
    const flush = () => void ctl.flush();
    const hidden = () => document.visibilityState === 'hidden' && flush();
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', hidden);
    return () => {
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', hidden);
    };
  }, [ctl]);

  // Not ctl.task: its statuses and progress change at every save and sync, which only QuestionNav shows.
  const q = ctl.question.value;
  const loadError = ctl.loadError.value;
  if (loadError || (ctl.taskLoaded.value && !q)) {
    const task = ctl.task.value;
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

  const renderer = ctl.renderer.value;
  const cads = ctl.cads.value;
  const help = ctl.help.value;

  return (
    <div class="annotate-page">
      {/* Save is 60+ Tab stops down (top bar, view tools, gallery, six pose rows): two ways straight there. */}
      <TopBar skip={[{ label: m.app.skipToPose, selector: '#pose-azimuth' }, { label: m.app.skipToSave, selector: '#save-button' }]}>
        {q && (
          <Live>
            {() => {
              const task = ctl.task.value;
              return (
                task && (
                  <QuestionNav
                    taskName={task.task.name}
                    number={number}
                    total={task.questions.length}
                    done={task.task.done}
                    status={ctl.status.value}
                    dirty={ctl.dirty.value}
                    onGo={ctl.go}
                    onNextOpen={ctl.goNextOpen}
                    jumpRef={jumpRef}
                  />
                )
              );
            }}
          </Live>
        )}
      </TopBar>
      <main class="workspace">
        <section class="stage" aria-label={m.annotate.overlay}>
          <ViewToolbar onHelp={() => (ctl.help.value = true)} />
          <Live>{() => ctl.conflict.value && <ConflictBanner onKeep={(w) => void ctl.resolve(w)} />}</Live>
          {q && <Live>{() => <ReworkNotice store={store} question={q} draft={ctl.draft.value} />}</Live>}
          <Live>
            {() => (
              <Viewport
                createRenderer={createRenderer}
                onRenderer={(r, err) => ctl.setRenderer(r, err)}
                renderer={renderer}
                photo={ctl.photoBitmap.value}
                photoPending={ctl.photoPending.value}
                photoKey={q?.id}
                ready={ctl.ready.value}
                photoSize={{ width: q?.imageWidth ?? 1, height: q?.imageHeight ?? 1 }}
                meshKey={ctl.meshKey.value}
                pose={ctl.pose}
                viewport={q?.viewport ?? 1000}
                bbox={q?.bbox ?? null}
                settings={viewSettings.value}
                overlayHidden={overlayHeld.value}
                ghost={ctl.ghost.value}
                onPoseChange={(fn, key) => ctl.changePose(fn, key)}
                onFrame={ctl.frameDrawn}
              />
            )}
          </Live>
          <Live>{() => <SubtypeGallery renderer={renderer} cads={cads} loaded={ctl.galleryMeshes.value} pose={ctl.pose} selected={ctl.subtype.value ?? 0} onSelect={ctl.selectSubtype} />}</Live>
        </section>
        <aside class="sidebar">
          {/* Its own block: the question's state loading (no draft, then the draft) re-renders the sidebar alone. */}
          <Live>{() => (ctl.hasDraft.value && q ? (
            <>
              <div class="sidebar-scroll">
                <Live>
                  {() => (
                    <PoseControls
                      pose={ctl.pose}
                      photo={{ width: q.imageWidth, height: q.imageHeight }}
                      onChange={(fn, key) => ctl.changePose(fn, key)}
                      ambiguous={ctl.ambiguous.value}
                      onAmbiguous={ctl.toggleAmbiguous}
                    />
                  )}
                </Live>
                <details class="question-details">
                  <summary>{m.annotate.identity}</summary>
                  <QuestionIdentity q={q} />
                  <QuestionReport q={q} store={store} />
                </details>
              </div>
              {/* Labels sit with Save in the part that never scrolls: both in view on a 1024×768 tablet. */}
              <div class="sidebar-foot">
                <Live>
                  {() => (
                    <LabelsPanel
                      objectStatus={ctl.objectStatus.value}
                      dense={ctl.dense.value}
                      missing={ctl.missing.value}
                      onStatus={(v) => ctl.change((d) => ({ ...d, objectStatus: v }), null)}
                      onDense={(v) => ctl.change((d) => ({ ...d, dense: v }), null)}
                    />
                  )}
                </Live>
                <Live>{() => <SaveState status={ctl.status.value} dirty={ctl.dirty.value} saving={ctl.saving.value} message={ctl.message.value} activeMs={ctl.activeMs} />}</Live>
                <Live>
                  {() => (
                    <ActionBar
                      canUndo={ctl.canUndo.value}
                      canRedo={ctl.canRedo.value}
                      saving={ctl.saving.value}
                      onSave={() => void ctl.save()}
                      onUndo={ctl.undo}
                      onRedo={ctl.redo}
                      onReset={ctl.resetPose}
                      onRevert={ctl.dirty.value && ctl.annotation.value ? ctl.revertToSaved : undefined}
                      onClear={ctl.canClear.value ? () => (ctl.confirmClear.value = true) : undefined}
                      undoCrossesSave={ctl.undoCrossesSave.value}
                      onSnap={ctl.canSnap.value ? ctl.snap : undefined}
                      snapping={ctl.snapState.value.kind === 'running'}
                    />
                  )}
                </Live>
              </div>
            </>
          ) : (
            <p class="muted">{m.app.loading}</p>
          ))}</Live>
        </aside>
      </main>
      <Live>{() => <SnapToast status={ctl.snapState.value} onUndo={ctl.undoSnap} onDismiss={dismissSnap} />}</Live>
      {help && <HelpOverlay onClose={() => (ctl.help.value = false)} />}
      <Live>
        {() =>
          ctl.confirmClear.value && (
            <ChoiceDialog
              title={m.annotate.clearTitle}
              onCancel={() => (ctl.confirmClear.value = false)}
              choices={[
                { label: m.annotate.clearNo, kind: 'primary', onChoose: () => (ctl.confirmClear.value = false) },
                { label: m.annotate.clearYes, kind: 'danger', onChoose: () => void ctl.clear() },
              ]}
            >
              <p>{m.annotate.clearBody}</p>
            </ChoiceDialog>
          )
        }
      </Live>
    </div>
  );
}
