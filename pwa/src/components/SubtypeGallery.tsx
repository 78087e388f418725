// Every CAD subtype of the category, drawn locally at the current rotation so the annotator compares
// shapes from the object's own viewpoint. The gallery must never delay the overlay: it does not
// re-render on a pose step (it watches the rotation in an effect), thumbnails are drawn only after the
// rotation settles and the main thread is idle, only for the thumbnails on screen, and a newer rotation
// cancels a request not yet answered (its result is dropped, and the renderer is told where it can).
// Its meshes are the page's to load (after the question's first frame, at low priority): it draws those loaded.
import { useEffect, useRef, useState } from 'preact/hooks';
import { effect, useComputed, type ReadonlySignal } from '@preact/signals';
import type { CadModelInfo, PoseJson } from '@in3d/shared/types';
import type { Renderer } from '../render/contract';
import { fmt, useMessages } from '../i18n';
import { reportError } from '../app/report-error';
import { countRender } from '../app/render-probe';

interface Props {
  renderer: Renderer | null;
  cads: CadModelInfo[];
  /** Etags of the models in the renderer (the page reads them ahead once the overlay is drawn). */
  loaded: readonly string[];
  pose: ReadonlySignal<PoseJson>;
  selected: number;
  onSelect(subtype: number): void;
}

const THUMB = 96;
const SETTLE_MS = 180;
/** The longest a settled request waits for an idle moment before it goes anyway. */
const IDLE_TIMEOUT_MS = 500;

function Thumb({ bitmap }: { bitmap: ImageBitmap | undefined }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    if (bitmap) ctx.drawImage(bitmap, 0, 0, c.width, c.height);
  }, [bitmap]);
  return <canvas ref={ref} width={THUMB} height={THUMB} class="thumb-canvas" aria-hidden="true" />;
}

/** Runs `fn` when the main thread is idle (after `timeout` at the latest); answers the cancel. */
function whenIdle(fn: () => void, timeout: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(fn, { timeout });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 0);
  return () => clearTimeout(id);
}

/** The etags of the thumbnails at least partly on screen (the strip scrolls). */
function useVisible(strip: { current: HTMLElement | null }, cads: CadModelInfo[]): Set<string> {
  const [visible, setVisible] = useState<Set<string>>(new Set());
  useEffect(() => {
    const el = strip.current;
    if (!el || typeof IntersectionObserver !== 'function') return setVisible(new Set(cads.map((c) => c.etag)));
    const on = new Set<string>();
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const key = (e.target as HTMLElement).dataset.etag;
        if (!key) continue;
        if (e.isIntersecting) on.add(key);
        else on.delete(key);
      }
      setVisible(new Set(on));
    });
    el.querySelectorAll<HTMLElement>('[data-etag]').forEach((b) => io.observe(b));
    return () => io.disconnect();
  }, [cads]);
  return visible;
}

export function SubtypeGallery({ renderer, cads, loaded, pose, selected, onSelect }: Props) {
  countRender('SubtypeGallery');
  const m = useMessages();
  const strip = useRef<HTMLDivElement>(null);
  const [thumbs, setThumbs] = useState<Map<string, ImageBitmap>>(new Map());
  const visible = useVisible(strip, cads);
  // The rotation to one decimal: a centre or distance step leaves the thumbnails as they are.
  const rotation = useComputed(() => {
    const p = pose.value;
    return `${p.azimuth.toFixed(1)}|${p.elevation.toFixed(1)}|${p.theta.toFixed(1)}`;
  });

  // Another category or renderer: the old thumbnails go.
  useEffect(() => setThumbs((old) => (old.forEach((b) => b.close()), new Map())), [renderer, cads]);

  useEffect(() => {
    const keys = cads.filter((c) => loaded.includes(c.etag) && visible.has(c.etag)).map((c) => c.etag);
    if (!renderer || keys.length === 0) return;
    // Subscribes to the rotation outside rendering: each new rotation cancels what the previous one started.
    return effect(() => {
      void rotation.value;
      let alive = true;
      let answered = false;
      let cancelIdle = () => {};
      const timer = setTimeout(() => {
        cancelIdle = whenIdle(async () => {
          const at = { ...pose.peek() };
          // Without thumbnails the gallery still lists the subtypes by name; the failure is reported.
          const bitmaps = await renderer.thumbnails(keys, at, THUMB).catch((err: unknown) => (reportError('subtype thumbnails', err), [] as ImageBitmap[]));
          answered = true;
          if (!alive) return bitmaps.forEach((b) => b.close());
          setThumbs((old) => {
            const next = new Map(old);
            keys.forEach((k, i) => {
              const b = bitmaps[i];
              if (!b) return;
              next.get(k)?.close();
              next.set(k, b);
            });
            return next;
          });
        }, IDLE_TIMEOUT_MS);
      }, SETTLE_MS);
      return () => {
        alive = false;
        clearTimeout(timer);
        cancelIdle();
        if (!answered) renderer.cancelThumbnails?.();
      };
    });
  }, [renderer, cads, loaded, visible]);

  return (
    <section class="gallery" aria-label={m.annotate.subtype}>
      <h2 class="gallery-title">{m.annotate.subtype}</h2>
      <div class="gallery-strip" role="group" aria-label={m.annotate.subtype} ref={strip}>
        {cads.map((c) => (
          <button
            key={c.etag}
            type="button"
            data-etag={c.etag}
            class={`thumb${c.subtype === selected ? ' on' : ''}`}
            aria-pressed={c.subtype === selected}
            aria-label={fmt(m.annotate.subtypeChoose, { n: c.subtype, name: c.name })}
            title={`${c.name} · ${c.triangleCount.toLocaleString()} ▲ · [${c.subtype}]`}
            onClick={() => onSelect(c.subtype)}
          >
            <Thumb bitmap={thumbs.get(c.etag)} />
            <span class="thumb-label">
              {/* The key is the subtype's own number (typed digit by digit from 10 up), never its position. */}
              <kbd class="thumb-key">{c.subtype}</kbd>
              {fmt(m.annotate.subtypeN, { n: c.subtype })}
            </span>
          </button>
        ))}
        {cads.length === 0 && <span class="muted small">{m.annotate.subtypeLoading}</span>}
      </div>
    </section>
  );
}
