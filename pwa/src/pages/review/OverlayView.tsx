// A read-only view of one question: the photo with a CAD model drawn at a pose, and optionally a
// second pose (the reference) in another colour. Used by review, A/B and qualification results.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PoseJson, QuestionInfo } from '@in3d/shared/types';
import type { Renderer, SceneState, ViewMode } from '../../render/contract';
import { useServices } from '../../app/services';
import { ensureMesh, getCads, getPhotoBitmap } from '../../state/assets';
import { fitPhoto } from '../../state/gestures';

export const ANSWER_COLOR = '#5eead4';
export const REFERENCE_COLOR = '#fbbf24';

export interface OverlayViewProps {
  question: QuestionInfo;
  pose: PoseJson;
  subtype: number;
  color?: string;
  ghost?: { pose: PoseJson; subtype: number; color?: string } | null;
  label: string;
  testId?: string;
  /** The photo with the model (default), the raw photo, or the model alone. */
  view?: ViewMode;
  /** Hides the overlay for a moment (held Space). */
  hidden?: boolean;
  /** Once the first frame with the photo and model is drawn (the page's read-ahead waits for it). */
  onDrawn?: () => void;
}

export function OverlayView(props: OverlayViewProps) {
  const { store, createRenderer } = useServices();
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [renderer, setRenderer] = useState<Renderer | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [photoReady, setPhotoReady] = useState(0);
  const [meshes, setMeshes] = useState<{ main: string | null; ghost: string | null }>({ main: null, ghost: null });
  const [error, setError] = useState<string | null>(null);
  const [frames, setFrames] = useState(0);
  const framesNow = useRef(0);
  framesNow.current = frames;
  /** Frames drawn when the photo and meshes were in. */
  const [loadedAt, setLoadedAt] = useState<number | null>(null);
  const q = props.question;

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    let alive = true;
    let made: Renderer | null = null;
    createRenderer(c).then(
      (r) => (alive ? ((made = r), setRenderer(r)) : void r.dispose()),
      (e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      alive = false;
      void made?.dispose();
    };
  }, []);

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => e && setSize({ width: Math.round(e.contentRect.width), height: Math.round(e.contentRect.height) }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (!renderer || size.width === 0) return;
    void renderer.resize(size.width, size.height, window.devicePixelRatio || 1).then(() => setPhotoReady((n) => n + 1));
  }, [renderer, size.width, size.height]);

  // The photo (the screen-sized copy the read-ahead keeps, decoded once), then the meshes of both
  // subtypes (the DataStore caches them on the device). The bitmap stays in its cache: the renderer copies it.
  useEffect(() => {
    if (!renderer) return;
    let alive = true;
    (async () => {
      try {
        const bitmap = await getPhotoBitmap(store, q);
        if (!alive) return;
        await renderer.setPhoto(bitmap);
        const cads = await getCads(store, q.category);
        const key = async (subtype: number) => {
          const cad = cads.find((c) => c.subtype === subtype);
          if (!cad) return null;
          const r = await ensureMesh(renderer, store, cad);
          return r.ok ? cad.etag : null;
        };
        const main = await key(props.subtype);
        const ghost = props.ghost ? await key(props.ghost.subtype) : null;
        if (alive) {
          setMeshes({ main, ghost });
          setPhotoReady((n) => n + 1);
          setLoadedAt(framesNow.current);
        }
      } catch (e) {
        if (alive) setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      alive = false;
    };
  }, [renderer, q.id, q.imageUrl, props.subtype, props.ghost?.subtype]);

  const fit = fitPhoto(size, { width: q.imageWidth, height: q.imageHeight }, 4);
  const scene: SceneState = {
    meshKey: meshes.main,
    pose: props.pose,
    viewport: q.viewport,
    photo: { width: q.imageWidth, height: q.imageHeight },
    bbox: null,
    overlay: { mode: 'wireframe', opacity: 0.85, visible: !props.hidden, color: props.color ?? ANSWER_COLOR },
    view: props.view ?? 'overlay',
    zoom: fit.zoom,
    offset: fit.offset,
    interacting: false,
    ghost: props.ghost ? { pose: props.ghost.pose, meshKey: meshes.ghost, color: props.ghost.color ?? REFERENCE_COLOR } : null,
  };
  const key = JSON.stringify(scene);
  useEffect(() => {
    if (!renderer || size.width === 0 || !(fit.zoom > 0)) return;
    void renderer.render(scene).then(
      () => setFrames((n) => n + 1),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [renderer, key, photoReady]);
  // Drawn with its photo and model: a frame finished after both were in (or their load failed).
  const complete = loadedAt !== null && frames > loadedAt;
  useEffect(() => {
    if (complete) props.onDrawn?.();
  }, [complete]);

  return (
    <figure class="q-overlay" data-testid={props.testId} data-frames={frames} data-mesh={meshes.main ?? ''} data-view={scene.view} data-overlay={scene.overlay.visible ? 'shown' : 'hidden'}>
      <div class="q-overlay-canvas" ref={wrap} style={{ aspectRatio: `${q.imageWidth} / ${q.imageHeight}` }}>
        <canvas ref={canvas} role="img" aria-label={props.label} />
      </div>
      {error && <figcaption class="note error">{error}</figcaption>}
    </figure>
  );
}
