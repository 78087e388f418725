// Every CAD subtype of the category, drawn locally at the current rotation so the annotator compares
// shapes from the object's own viewpoint. Thumbnails redraw after the rotation settles, not per frame.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CadModelInfo, PoseJson } from '@in3d/shared/types';
import type { DataStore } from '../data/contract';
import type { Renderer } from '../render/contract';
import { fmt, useMessages } from '../i18n';
import { ensureMesh } from '../state/assets';
import { reportError } from '../app/report-error';

interface Props {
  renderer: Renderer | null;
  store: DataStore;
  cads: CadModelInfo[];
  pose: PoseJson;
  selected: number;
  onSelect(subtype: number): void;
}

const THUMB = 96;
const SETTLE_MS = 180;

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

export function SubtypeGallery({ renderer, store, cads, pose, selected, onSelect }: Props) {
  const m = useMessages();
  const [ready, setReady] = useState<string[]>([]);
  const [thumbs, setThumbs] = useState<Map<string, ImageBitmap>>(new Map());
  const rotation = `${pose.azimuth.toFixed(1)}|${pose.elevation.toFixed(1)}|${pose.theta.toFixed(1)}`;

  // Load every subtype's mesh (the chosen one is usually loaded already by the page).
  useEffect(() => {
    if (!renderer) return;
    let alive = true;
    setReady([]);
    void Promise.all(cads.map((c) => ensureMesh(renderer, store, c).then((r) => (r.ok ? c.etag : null)))).then((keys) => {
      if (alive) setReady(keys.filter((k): k is string => k !== null));
    });
    return () => {
      alive = false;
    };
  }, [renderer, store, cads]);

  useEffect(() => {
    if (!renderer || ready.length === 0) return;
    let alive = true;
    const timer = setTimeout(async () => {
      // Without thumbnails the gallery still lists the subtypes by name; the failure is reported.
      const bitmaps = await renderer.thumbnails(ready, { ...pose }, THUMB).catch((err: unknown) => (reportError('subtype thumbnails', err), [] as ImageBitmap[]));
      if (!alive) return bitmaps.forEach((b) => b.close());
      setThumbs((old) => {
        old.forEach((b) => b.close());
        return new Map(ready.map((k, i) => [k, bitmaps[i]!] as const).filter(([, b]) => b !== undefined));
      });
    }, SETTLE_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [renderer, ready, rotation]);

  return (
    <section class="gallery" aria-label={m.annotate.subtype}>
      <h2 class="gallery-title">{m.annotate.subtype}</h2>
      <div class="gallery-strip" role="group" aria-label={m.annotate.subtype}>
        {cads.map((c) => (
          <button
            key={c.etag}
            type="button"
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
