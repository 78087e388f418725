// The photo with the CAD overlay. Owns the canvas and the renderer (a worker when the browser allows),
// fits the photo into the available space and redraws whenever anything in the scene changes.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { effect, type ReadonlySignal } from '@preact/signals';
import type { PoseJson } from '@in3d/shared/types';
import type { FrameStats, Renderer, SceneState } from '../render/contract';
import { useMessages } from '../i18n';
import { countRender } from '../app/render-probe';
import { reportError } from '../app/report-error';
import { meanColor, resolveColor } from '../state/overlay-color';
import { panBy, photoView, setPhotoGeometry, viewTransform, zoomAt } from '../state/photo-view';
import { panTool, pointerGain, type ViewSettings } from '../state/view-settings';
import { createRenderScheduler, type RenderScheduler } from './render-scheduler';
import { usePoseGestures } from './use-pose-gestures';

export interface ViewportProps {
  createRenderer(canvas: HTMLCanvasElement): Promise<Renderer>;
  onRenderer(r: Renderer | null, error?: string): void;
  renderer: Renderer | null;
  /** Decoded photo, owned by the caller's cache (the renderer copies it). */
  photo: ImageBitmap | null;
  /** The photo of the current question is still loading: keep the previous frame on screen. */
  photoPending: boolean;
  /** Names the question's photo: a new one starts from the fit; the same photo in more pixels keeps the zoom. */
  photoKey?: string;
  /** The question's state (pose, subtype) is loaded: until then nothing new is drawn. */
  ready: boolean;
  photoSize: { width: number; height: number };
  meshKey: string | null;
  /** Read here, not by the page: a pose step re-renders the viewport alone. */
  pose: ReadonlySignal<PoseJson>;
  viewport: number;
  bbox: [number, number, number, number] | null;
  settings: ViewSettings;
  overlayHidden: boolean;
  ghost: SceneState['ghost'];
  onPoseChange(fn: (p: PoseJson) => PoseJson, key: string): void;
  /** Each frame drawn, with what it showed. */
  onFrame?(drawn: SceneState): void;
}

export function Viewport(props: ViewportProps) {
  countRender('Viewport');
  const m = useMessages();
  const pose = props.pose.value;
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [interacting, setInteracting] = useState(false);
  const [photoReady, setPhotoReady] = useState<ImageBitmap | null>(null);
  const [frame, setFrame] = useState<FrameStats | null>(null);
  const frames = useRef(0);
  const photoSeq = useRef(0);
  /** The photo number of the frame in flight (the scheduler keeps one): set when its scene is taken. */
  const drawnSeq = useRef(0);
  const scheduler = useRef<RenderScheduler | null>(null);
  const { renderer } = props;

  // Create the renderer once per canvas (transferControlToOffscreen can only happen once).
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    let alive = true;
    let made: Renderer | null = null;
    props.createRenderer(c).then(
      (r) => {
        made = r;
        if (alive) props.onRenderer(r);
        else void r.dispose();
      },
      (e: unknown) => alive && props.onRenderer(null, e instanceof Error ? e.message : String(e)),
    );
    return () => {
      alive = false;
      props.onRenderer(null);
      void made?.dispose();
    };
  }, []);

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      setSize({ width: Math.round(width), height: Math.round(height) });
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!renderer || size.width === 0) return;
    void renderer.resize(size.width, size.height, window.devicePixelRatio || 1).then(() => scheduler.current?.request());
  }, [renderer, size.width, size.height]);

  // The renderer applies calls in order, so the next frame may be asked at once: waiting for the answer
  // waited for the page's own layout and paint of the new question (~25 ms of "next question").
  useLayoutEffect(() => {
    if (!renderer || props.photoPending) return;
    const bitmap = props.photo;
    renderer.setPhoto(bitmap).catch((err: unknown) => reportError('photo to the renderer', err));
    photoSeq.current++;
    setPhotoReady(bitmap);
  }, [renderer, props.photo, props.photoPending]);

  // A new question starts from the fit (or its own bbox, if that is the chosen view).
  useEffect(() => {
    if (photoView.value.kind === 'free') photoView.value = { kind: 'fit' };
  }, [props.photoKey ?? props.photo]);
  const fit = viewTransform(photoView.value, size, props.photoSize, props.bbox);
  setPhotoGeometry({ canvas: size, photo: props.photoSize, bbox: props.bbox });
  const mean = useMemo(() => (props.photo ? meanColor(props.photo, props.bbox) : null), [props.photo, props.bbox?.join()]);
  const s = props.settings;

  const scene: SceneState = {
    meshKey: props.meshKey,
    pose,
    viewport: props.viewport,
    photo: props.photoSize,
    bbox: props.bbox,
    overlay: { mode: s.overlayMode, opacity: s.opacity, visible: !props.overlayHidden, color: resolveColor(s.color, mean), lineWidth: s.lineWidth, creaseDeg: s.creaseDeg },
    view: props.settings.view,
    zoom: fit.zoom,
    offset: fit.offset,
    interacting,
    ghost: props.ghost ?? null,
  };
  const sceneRef = useRef(scene);
  sceneRef.current = scene;
  const onFrame = useRef(props.onFrame);
  onFrame.current = props.onFrame;
  const sizeRef = useRef(size);
  sizeRef.current = size;

  useEffect(() => {
    if (!renderer) return;
    const take = () => {
      if (!sizeOk()) return null;
      drawnSeq.current = photoSeq.current;
      return sceneRef.current;
    };
    const s = createRenderScheduler(renderer, take, (stats, drawn, calledAt) => {
      frames.current++;
      setFrame(stats);
      onFrame.current?.(drawn);
      // For tests and benchmarks: which frame showed what (photo number, mesh, pose), and when it was asked for.
      wrap.current?.dispatchEvent(new CustomEvent('in3d:frame', { detail: { ...stats, calledAt, photoSeq: drawnSeq.current, meshKey: drawn.meshKey, pose: drawn.pose, interacting: drawn.interacting } }));
    });
    scheduler.current = s;
    s.request();
    return () => s.stop();
  }, [renderer]);
  // A question switch is drawn in one go: the old frame stays until the new photo and state are in.
  const gate = useRef(false);
  gate.current = props.ready && !props.photoPending && photoReady === props.photo;
  const sizeOk = () => gate.current && sceneRef.current.zoom > 0 && Number.isFinite(sceneRef.current.zoom);

  // Any change of what is drawn asks for a frame; the scheduler keeps only the latest. A layout effect,
  // because Preact runs plain effects after the next paint: a frame of latency on every change.
  const asked = useRef('');
  const ask = (key: string) => {
    if (key === asked.current) return;
    asked.current = key;
    scheduler.current?.request();
  };
  const sceneKey = JSON.stringify(scene);
  useLayoutEffect(() => ask(sceneKey), [sceneKey]);
  useLayoutEffect(() => scheduler.current?.request(), [photoReady, props.ready]);
  // A pose step asks for its frame at once, from the input's own task, before this component and the
  // pose control re-render (the render that follows finds the same scene and asks for nothing).
  useEffect(
    () =>
      effect(() => {
        const next = { ...sceneRef.current, pose: props.pose.value };
        sceneRef.current = next;
        ask(JSON.stringify(next));
      }),
    [props.pose],
  );

  usePoseGestures(wrap, {
    change: props.onPoseChange,
    setInteracting,
    view: () => ({ zoom: sceneRef.current.zoom, offset: sceneRef.current.offset, pose: sceneRef.current.pose }),
    gain: pointerGain,
    panTool: () => panTool.value,
    zoomPhoto: (at, factor) => (photoView.value = zoomAt(sceneRef.current, at, factor, sizeRef.current, sceneRef.current.photo)),
    panPhoto: (dx, dy) => (photoView.value = panBy(sceneRef.current, dx, dy, sizeRef.current, sceneRef.current.photo)),
  });

  const marker = { left: pose.px * fit.zoom + fit.offset.x, top: pose.py * fit.zoom + fit.offset.y };
  const showMarker = props.settings.view === 'overlay' && !props.overlayHidden;

  return (
    <div
      class={`viewport${interacting ? ' interacting' : ''}`}
      ref={wrap}
      data-testid="viewport"
      data-frames={frames.current}
      data-backend={frame?.backend ?? ''}
      data-frame-ms={frame ? frame.frameMs.toFixed(1) : ''}
      data-zoom={fit.zoom.toFixed(4)}
      data-overlay-color={scene.overlay.color}
    >
      <canvas ref={canvas} class="viewport-canvas" role="img" aria-label={m.annotate.canvas} />
      {showMarker && (
        <button type="button" class="centre-marker" data-centre-marker style={{ left: `${marker.left}px`, top: `${marker.top}px` }} aria-label={m.annotate.centreMarker} tabIndex={-1} />
      )}
    </div>
  );
}
