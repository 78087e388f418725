// The annotate page's controller with a fake store, renderer and page: it opens the question (editor,
// photo, CAD models, mesh in the one renderer), reads the next questions ahead once the first frame is
// drawn, saves and navigates, merges pose inputs per display frame, and a pose step changes nothing the
// page reads but the pose.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { effect } from '@preact/signals';
import type { CadModelInfo, PoseJson, QuestionInfo, TaskSummary } from '@in3d/shared/types';
import type { AnnotationValues } from '@in3d/shared/types';
import type { DataStore, LocalAnnotation } from '../src/data/contract';
import type { Renderer } from '../src/render/contract';
import { AnnotateController, type PageHooks } from '../src/state/annotate-controller';
import { unsavedChanges } from '../src/state/unsaved';

const pose: PoseJson = { azimuth: 30, elevation: 10, theta: 0, distance: 5, px: 200, py: 150 };
let seq = 0;

function dataset(n: number, subtypes = 2) {
  const taskId = `t${++seq}`;
  const category = `cat${seq}`;
  const questions: QuestionInfo[] = Array.from({ length: n }, (_, i) => ({
    id: `${taskId}-q${i + 1}`, taskId, index: i * 10, category, imageUrl: `/p${i}.jpg`, imageWidth: 400, imageHeight: 300,
    bbox: [100, 50, 300, 250], viewport: 3000, initialPose: { ...pose, azimuth: 30 + i }, initialSubtype: 1,
  }));
  const cads: CadModelInfo[] = Array.from({ length: subtypes }, (_, i) => i + 1).map((s) => ({ category, subtype: s, name: `m${s}`, vertexCount: 8, triangleCount: 12, meshUrl: `/m${s}`, etag: `${category}-e${s}` }));
  const task: TaskSummary = { id: taskId, name: 'Task', category, total: n, done: 0, firstOpenIndex: 0 };
  return { taskId, questions, cads, task };
}

function fakeStore(d: ReturnType<typeof dataset>) {
  const calls = { images: [] as string[], meshes: [] as string[], priorities: [] as string[], order: [] as string[], saves: [] as AnnotationValues[], histories: 0 };
  const store = {
    // The task payload carries the category's models: no CAD list request (the fake has no listCads).
    getTask: async (id: string) => (id === d.taskId ? { task: d.task, questions: d.questions, cads: d.cads } : null),
    getAnnotation: async () => null,
    loadHistory: async () => undefined,
    storeHistory: async () => void calls.histories++,
    getImage: async (q: QuestionInfo) => (calls.images.push(q.id), calls.order.push(`photo ${q.id}`), new Blob([q.id])),
    getMesh: async (c: CadModelInfo, priority = 'high') => (calls.meshes.push(c.etag), calls.priorities.push(priority), calls.order.push(`mesh ${c.etag}`), new ArrayBuffer(8)),
    saveAnnotation: async (taskId: string, questionId: string, values: AnnotationValues): Promise<LocalAnnotation> => {
      calls.saves.push(values);
      return { ...values, id: `rev${calls.saves.length}`, questionId, taskId, savedAt: new Date().toISOString(), sync: { kind: 'saved-on-device' } };
    },
    watchTask: () => () => undefined,
  } as unknown as DataStore;
  return { store, calls };
}

function fakeRenderer() {
  const loaded = new Set<string>();
  const r = {
    backend: 'cpu',
    hasMesh: async (k: string) => loaded.has(k),
    loadMesh: async (k: string) => (loaded.add(k), { ok: true, vertexCount: 8, triangleCount: 12, edgeCount: 18 }),
  } as unknown as Renderer;
  return { r, loaded };
}

function fakePage() {
  const frames: (() => void)[] = [];
  const log: string[] = [];
  const hooks: PageHooks = {
    navigate: (t, n) => (log.push(`go ${t} ${n}`), true),
    focusLabel: (g) => void log.push(`focus ${g}`),
    focusJump: () => void log.push('jump'),
    blurFocused: () => void log.push('blur'),
    commitNumberField: () => void log.push('commit'),
    online: () => true,
    nextFrame: (fn) => void frames.push(fn),
  };
  const frame = () => frames.splice(0).forEach((f) => f());
  return { hooks, log, frame };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
async function until(cond: () => boolean, ms = 2000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

let open: AnnotateController[] = [];
afterEach(() => {
  open.forEach((c) => c.dispose());
  open = [];
});

function setup(n = 5) {
  const d = dataset(n);
  const { store, calls } = fakeStore(d);
  const page = fakePage();
  const ctl = new AnnotateController(store, page.hooks);
  open.push(ctl);
  const { r, loaded } = fakeRenderer();
  ctl.setRenderer(r);
  return { d, store, calls, page, ctl, r, loaded };
}

beforeAll(() => {
  // Node has no image decoder: the "bitmap" carries the blob it was made from.
  // Sized as the questions' photos, so the page's decode does not scale it (assets.decodeAtSize).
  (globalThis as { createImageBitmap?: unknown }).createImageBitmap = async (b: Blob) => ({ from: await b.text(), width: 400, height: 300, close() {} });
});

describe('AnnotateController', () => {
  it('opens a question: its editor, photo, CAD models and mesh, then it is ready to draw', async () => {
    const { d, ctl, loaded } = setup();
    ctl.show(d.taskId, 2);
    await until(() => ctl.ready.value && ctl.photoBitmap.value !== null);
    expect(ctl.question.value?.id).toBe(d.questions[1]!.id);
    expect(ctl.pose.value).toEqual(d.questions[1]!.initialPose);
    expect((ctl.photoBitmap.value as unknown as { from: string }).from).toBe(d.questions[1]!.id);
    expect(ctl.cads.value.map((c) => c.subtype)).toEqual([1, 2]);
    expect(ctl.meshKey.value).toBe(d.cads[0]!.etag);
    expect([...loaded]).toEqual([d.cads[0]!.etag]);
  });

  it('first things first: the photo and the chosen mesh, then after the first frame the gallery one at a time at low priority', async () => {
    const d = dataset(3, 4);
    const { store, calls } = fakeStore(d);
    // The gallery's downloads answer only when told, to see that they go one at a time.
    const held: (() => void)[] = [];
    const getMesh = store.getMesh.bind(store);
    store.getMesh = (c, priority) => (priority === 'low' ? new Promise<void>((go) => held.push(go)).then(() => getMesh(c, priority)) : getMesh(c, priority));
    // The question's saved state (read after the task's statuses) answers only when told.
    let reads = 0, readState = () => {};
    const getAnnotation = store.getAnnotation.bind(store);
    store.getAnnotation = (id, taskId) => (++reads <= d.questions.length ? getAnnotation(id, taskId) : new Promise<void>((go) => (readState = go)).then(() => getAnnotation(id, taskId)));
    const ctl = new AnnotateController(store, fakePage().hooks);
    open.push(ctl);
    ctl.show(d.taskId, 1);
    // No renderer yet (its worker still loading), the saved state not read yet: the initial subtype's
    // mesh downloads with the photo all the same.
    await until(() => calls.meshes.length > 0 && calls.images.length === 1);
    expect(calls.order.slice(0, 2).sort()).toEqual([`mesh ${d.cads[0]!.etag}`, `photo ${d.questions[0]!.id}`]);
    expect(ctl.editor.value).toBeNull();
    readState();
    ctl.setRenderer(fakeRenderer().r);
    await until(() => ctl.ready.value && ctl.photoBitmap.value !== null);
    await new Promise((r) => setTimeout(r, 50));
    expect(new Set(calls.meshes)).toEqual(new Set([d.cads[0]!.etag])); // the chosen model alone (asked again for the renderer)
    expect(held).toHaveLength(0);
    expect(ctl.galleryMeshes.value).toEqual([]);
    ctl.frameDrawn({ meshKey: ctl.meshKey.value });
    for (const next of [2, 3, 4]) {
      await until(() => held.length === 1);
      await settle();
      expect(held).toHaveLength(1); // one at a time
      held.shift()!();
      await until(() => calls.meshes.at(-1) === d.cads[next - 1]!.etag);
    }
    await until(() => ctl.galleryMeshes.value.length === 4);
    expect(ctl.galleryMeshes.value).toEqual(d.cads.map((c) => c.etag));
    expect(calls.priorities.filter((p) => p === 'low')).toHaveLength(3);
    expect(calls.priorities.slice(0, -3).every((p) => p === 'high')).toBe(true);
  });

  it('keeps one renderer across questions and loads a mesh once; reads the next questions ahead', async () => {
    const { d, ctl, r, calls } = setup();
    ctl.show(d.taskId, 1);
    await until(() => ctl.ready.value && ctl.photoBitmap.value !== null);
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.images).toEqual([d.questions[0]!.id]); // nothing read ahead before the question is drawn
    ctl.frameDrawn({ meshKey: ctl.meshKey.value });
    await settle();
    expect(calls.images).toEqual(d.questions.slice(0, 4).map((q) => q.id));
    ctl.show(d.taskId, 2);
    await until(() => ctl.ready.value && ctl.question.value?.id === d.questions[1]!.id);
    expect(ctl.renderer.value).toBe(r);
    // The gallery's other model came after the first frame; choosing it loads nothing again.
    expect(calls.meshes).toEqual([d.cads[0]!.etag, d.cads[1]!.etag]);
    ctl.selectSubtype(2);
    await until(() => ctl.meshKey.value === d.cads[1]!.etag);
    expect(calls.meshes).toEqual([d.cads[0]!.etag, d.cads[1]!.etag]);
  });

  it('a pose step changes the pose alone: nothing else the page reads wakes up', async () => {
    const { d, ctl, page } = setup();
    ctl.show(d.taskId, 1);
    await until(() => ctl.ready.value);
    ctl.shortcut({ type: 'step', param: 'azimuth', direction: 1, coarse: false });
    page.frame();
    await settle();
    const read = {
      task: ctl.task, question: ctl.question, hasDraft: ctl.hasDraft, subtype: ctl.subtype, objectStatus: ctl.objectStatus, dense: ctl.dense,
      ambiguous: ctl.ambiguous, dirty: ctl.dirty, canUndo: ctl.canUndo, canRedo: ctl.canRedo, status: ctl.status, photoBitmap: ctl.photoBitmap,
      meshKey: ctl.meshKey, ready: ctl.ready, ghost: ctl.ghost, snapState: ctl.snapState, conflict: ctl.conflict, canSnap: ctl.canSnap, message: ctl.message,
    };
    const woke: string[] = [];
    const stops = Object.entries(read).map(([name, s]) => {
      let first = true;
      return effect(() => {
        void s.value;
        if (!first) woke.push(name);
        first = false;
      });
    });
    let poses = 0;
    stops.push(effect(() => void (ctl.pose.value, poses++)));
    for (let i = 0; i < 5; i++) {
      ctl.shortcut({ type: 'step', param: i % 2 ? 'elevation' : 'azimuth', direction: 1, coarse: false });
      page.frame();
    }
    stops.forEach((s) => s());
    expect(poses).toBe(1 + 5);
    expect(woke).toEqual([]);
    expect(ctl.pose.value).toMatchObject({ azimuth: 34, elevation: 12 });
  });

  it('merges pose inputs within one display frame; save and undo take a waiting input first', async () => {
    const { d, ctl, page, calls } = setup();
    ctl.show(d.taskId, 1);
    await until(() => ctl.ready.value);
    const az = () => ctl.pose.value.azimuth;
    const step = (key = 'wheel') => ctl.changePose((p) => ({ ...p, azimuth: p.azimuth + 1 }), key);
    step();
    expect(az()).toBe(31); // the first input of a frame shows at once
    step();
    step();
    expect(az()).toBe(31); // the rest wait for the frame …
    page.frame();
    expect(az()).toBe(33); // … and arrive together
    page.frame();
    // A waiting input is never lost to a save or an undo.
    ctl.change((x) => ({ ...x, objectStatus: 'status_good', dense: 'dense_no' }));
    step();
    step();
    await ctl.save();
    expect(calls.saves.at(-1)?.pose.azimuth).toBe(35);
    expect(ctl.dirty.value).toBe(false);
    page.frame();
    step('drag'); // a new undo step, 36
    step('drag'); // waiting, merged into the same undo step: 37
    ctl.undo();
    expect(az()).toBe(35);
    ctl.redo();
    expect(az()).toBe(37);
  });

  it('refuses a save without labels (focus on the first missing group), saves with them', async () => {
    const { d, ctl, page, calls } = setup();
    ctl.show(d.taskId, 1);
    await until(() => ctl.ready.value);
    ctl.shortcut({ type: 'step', param: 'theta', direction: 1, coarse: true });
    ctl.shortcut({ type: 'save' });
    await until(() => ctl.message.value !== null);
    expect(ctl.missing.value).toEqual(['objectStatus', 'dense']);
    expect(page.log).toContain('focus objectStatus');
    expect(calls.saves).toHaveLength(0);
    expect(unsavedChanges.value).toBe(true);
    ctl.shortcut({ type: 'objectStatus', value: 'status_partially' });
    expect(ctl.missing.value).toEqual([]);
    expect(ctl.message.value).toBeNull();
    ctl.shortcut({ type: 'dense', value: 'dense_yes' });
    await ctl.save();
    expect(calls.saves[0]).toMatchObject({ objectStatus: 'status_partially', dense: 'dense_yes', subtype: 1 });
    expect(calls.saves[0]!.pose.theta).toBeGreaterThan(0);
    expect(ctl.status.value.kind).not.toBe('open');
    expect(unsavedChanges.value).toBe(false);
  });

  it('navigates within the task only, and says when no question is left open', async () => {
    const { d, ctl, page } = setup(2);
    ctl.show(d.taskId, 2);
    await until(() => ctl.ready.value);
    ctl.shortcut({ type: 'next' });
    ctl.shortcut({ type: 'prev' });
    expect(page.log).toEqual([`go ${d.taskId} 1`]);
    // The controller switches with the route (not a page render later).
    expect(ctl.question.value?.id).toBe(d.questions[0]!.id);
    await until(() => ctl.ready.value);
    ctl.change((x) => ({ ...x, objectStatus: 'status_good', dense: 'dense_no' }));
    await ctl.save();
    ctl.goNextOpen();
    expect(ctl.number.value).toBe(2);
    await until(() => ctl.ready.value && ctl.question.value?.id === d.questions[1]!.id);
    ctl.change((x) => ({ ...x, objectStatus: 'status_good', dense: 'dense_no' }));
    await ctl.save();
    ctl.goNextOpen();
    expect(ctl.message.value?.kind).toBe('info');
  });

  it('reports a task that is not there, and stops watching when disposed', async () => {
    const { ctl } = setup();
    ctl.show('no-such-task', 1);
    await until(() => ctl.loadError.value !== null);
    expect(ctl.loadError.value).toBe('task not found');
    ctl.dispose();
    ctl.show('no-such-task-2', 1);
    await settle();
    expect(ctl.loadError.value).toBe('task not found');
  });
});
