// Photos and meshes for the annotate page: small in-memory caches in front of the DataStore (which
// keeps everything on disk), so moving to the next question does not wait on IndexedDB twice.
import { effect } from '@preact/signals';
import type { CadModelInfo, QuestionInfo } from '@in3d/shared/types';
import { type DataStore, NotOnDeviceError } from '../data/contract';
import type { Renderer } from '../render/contract';
import { reportError } from '../app/report-error';
import { type PhotoView, photoView } from './photo-view';
import { promiseLru } from './promise-lru';

// The last few photos' bytes (the current question and the read-ahead).
const photos = promiseLru<Blob>(8);

/** Pixels across the photo can take on this screen, rounded up as the server rounds (its WIDTH_STEP). */
export function screenPhotoWidth(): number {
  const px = (globalThis.innerWidth || 1920) * (globalThis.devicePixelRatio || 1);
  return Math.ceil(px / 128) * 128;
}

export function getPhoto(store: DataStore, q: QuestionInfo, priority: 'high' | 'low' = 'high'): Promise<Blob> {
  // Where the photo is wider than the screen, the server sends it at screen width (bytes on a slow link).
  const width = screenPhotoWidth();
  return photos(q.id, () => store.getImage(q, q.imageWidth > width ? { width, priority } : { priority }));
}

/** Decodes at the question's own size: a photo sent smaller is scaled up, so bbox and snap pixels hold. */
async function decodeAtSize(blob: Blob, q: QuestionInfo): Promise<ImageBitmap> {
  const bitmap = await createImageBitmap(blob);
  if (bitmap.width >= q.imageWidth || q.imageWidth <= 0 || q.imageHeight <= 0) return bitmap;
  try {
    return await createImageBitmap(bitmap, { resizeWidth: q.imageWidth, resizeHeight: q.imageHeight, resizeQuality: 'high' });
  } finally {
    bitmap.close();
  }
}

// Evicted bitmaps are closed; one that failed to decode has nothing to close (its caller got the failure).
const cachedBitmap = promiseLru<ImageBitmap>(5, (evicted) => void evicted.then((b) => b.close(), () => undefined));

/**
 * The photo decoded, cached for the current and the next questions: decoding a JPEG is most of the
 * time between "next question" and its first frame. The renderer copies the bitmap, so the cache
 * keeps it; evicted bitmaps are closed.
 */
export function getPhotoBitmap(store: DataStore, q: QuestionInfo, priority: 'high' | 'low' = 'high'): Promise<ImageBitmap> {
  return cachedBitmap(q.id, () => getPhoto(store, q, priority).then((blob) => decodeAtSize(blob, q)));
}

/** The view shows the photo larger than the copy sent for the screen: the original is worth fetching. */
export function needsFullPhoto(q: QuestionInfo, view: PhotoView): boolean {
  const sent = screenPhotoWidth();
  if (q.imageWidth <= sent || view.kind === 'fit') return false;
  if (view.kind === 'bbox') return true; // zoomed onto the object
  return view.zoom * (globalThis.devicePixelRatio || 1) * q.imageWidth > sent;
}

/**
 * Once the annotator zooms beyond what the screen-sized copy holds, fetches and decodes the original
 * (once per question) and hands it over. Answers the unsubscribe.
 */
export function watchFullPhoto(store: DataStore, q: QuestionInfo, onFull: (bitmap: ImageBitmap) => void): () => void {
  let asked = false;
  let alive = true;
  const stop = effect(() => {
    if (asked || !needsFullPhoto(q, photoView.value)) return;
    asked = true;
    // In the bitmap cache too, so it is closed when evicted like the others.
    cachedBitmap(`${q.id}#full`, () => store.getImage(q).then((blob) => createImageBitmap(blob))).then(
      (bitmap) => alive && onFull(bitmap),
      // Offline without the original: the screen-sized copy stays, which is all there is to show.
      (err: unknown) => void (err instanceof NotOnDeviceError || reportError('photo: the original for zooming in', err)),
    );
  });
  return () => {
    alive = false;
    stop();
  };
}

/** A question to keep ahead and the CAD subtypes it is shown with (none: the page loads its meshes itself). */
export interface AheadItem {
  question: QuestionInfo;
  subtypes: readonly number[];
}

export interface KeepAheadOptions {
  /** The first this many photos are decoded too (the next ones shown); the rest are only kept on the device. */
  decode?: number;
  /** Downloads at once (each at low priority). */
  parallel?: number;
  /** Stops starting new items once false (the page moved on). */
  alive?: () => boolean;
  /** Each item whose photo and models are on the device now. */
  onKept?: (item: AheadItem) => void;
}

/** Keeps one item's photo (the copy its page asks for) and models on the device; answers whether all are there. */
async function keepItem(store: DataStore, item: AheadItem, decode: boolean): Promise<boolean> {
  try {
    await (decode ? getPhotoBitmap(store, item.question, 'low') : getPhoto(store, item.question, 'low'));
    if (item.subtypes.length === 0) return true;
    const list = await getCads(store, item.question.category);
    for (const subtype of new Set(item.subtypes)) {
      const cad = list.find((c) => c.subtype === subtype);
      if (cad) await store.getMesh(cad, 'low');
    }
    return true;
  } catch (e) {
    // The item is not counted as kept, and opening it shows why in place. Offline is expected here (no
    // toast for every item ahead); anything else (the server refused it, the device is full) is reported.
    if (!(e instanceof NotOnDeviceError)) reportError('read-ahead: keep a photo or model on the device', e);
    return false;
  }
}

/**
 * Keeps the photos (and meshes) of the next items on the device ahead of time, at low fetch priority,
 * `parallel` at a time, in order: the page calls it once what is on screen is drawn, so it never competes.
 * The annotate page's read-ahead and the review queue's offline copy are this one path.
 */
export async function keepAhead(store: DataStore, items: readonly AheadItem[], opts: KeepAheadOptions = {}): Promise<void> {
  const { decode = items.length, parallel = 1, alive = () => true, onKept } = opts;
  let next = 0;
  const worker = async () => {
    while (next < items.length && alive()) {
      const at = next++;
      const item = items[at]!;
      if (await keepItem(store, item, at < decode)) onKept?.(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
}

/** The annotate page's read-ahead: the next questions' photos, downloaded and decoded one at a time. */
export const prefetchPhotos = (store: DataStore, qs: readonly QuestionInfo[]): Promise<void> =>
  keepAhead(store, qs.map((question) => ({ question, subtypes: [] })));

const cads = new Map<string, Promise<CadModelInfo[]>>();

export function getCads(store: DataStore, category: string): Promise<CadModelInfo[]> {
  let p = cads.get(category);
  if (!p) {
    p = store.listCads(category).then((list) => [...list].sort((a, b) => a.subtype - b.subtype));
    // Un-caching only; the caller gets the error.
    p.catch(() => cads.delete(category));
    cads.set(category, p);
  }
  return p;
}

export type MeshLoad = { ok: true } | { ok: false; error: string };
const loaded = new WeakMap<Renderer, Map<string, Promise<MeshLoad>>>();

/** Loads a CAD mesh into the renderer once (keyed by its etag); `low` for read-ahead (the gallery's). */
export function ensureMesh(renderer: Renderer, store: DataStore, cad: CadModelInfo, priority: 'high' | 'low' = 'high'): Promise<MeshLoad> {
  let m = loaded.get(renderer);
  if (!m) loaded.set(renderer, (m = new Map()));
  let p = m.get(cad.etag);
  if (!p) {
    p = (async (): Promise<MeshLoad> => {
      if (await renderer.hasMesh(cad.etag)) return { ok: true };
      const bytes = await store.getMesh(cad, priority);
      const r = await renderer.loadMesh(cad.etag, bytes);
      return r.ok ? { ok: true } : { ok: false, error: r.error };
    })().catch((e: unknown) => ({ ok: false as const, error: e instanceof Error ? e.message : String(e) })); // shown by the page as meshFailed
    const map = m;
    void p.then((r) => {
      if (!r.ok) map.delete(cad.etag);
    });
    m.set(cad.etag, p);
  }
  return p;
}

/**
 * Loads the gallery's meshes into the renderer one at a time at low fetch priority (the page calls it
 * after the question's first complete frame, so they never compete with its photo and mesh); stops
 * early once `alive()` is false. Answers the etags loaded. A model that fails keeps no thumbnail; the
 * gallery still names it, and choosing it shows the failure.
 */
export async function loadGalleryMeshes(renderer: Renderer, store: DataStore, cads: readonly CadModelInfo[], alive: () => boolean): Promise<string[]> {
  const etags: string[] = [];
  for (const cad of cads) {
    if (!alive()) break;
    if ((await ensureMesh(renderer, store, cad, 'low')).ok) etags.push(cad.etag);
  }
  return etags;
}
