// Photos and meshes for the annotate page: small in-memory caches in front of the DataStore (which
// keeps everything on disk), so moving to the next question does not wait on IndexedDB twice.
import type { CadModelInfo, QuestionInfo } from '@in3d/shared/types';
import type { DataStore } from '../data/contract';
import type { Renderer } from '../render/contract';

const PHOTO_CACHE = 8;
const photos = new Map<string, Promise<Blob>>();

export function getPhoto(store: DataStore, q: QuestionInfo): Promise<Blob> {
  let p = photos.get(q.id);
  if (p) {
    photos.delete(q.id);
    photos.set(q.id, p);
    return p;
  }
  p = store.getImage(q);
  // Only un-caches the failure (so the next call retries); the caller of `p` gets and shows the error.
  p.catch(() => photos.delete(q.id));
  photos.set(q.id, p);
  while (photos.size > PHOTO_CACHE) photos.delete(photos.keys().next().value as string);
  return p;
}

const BITMAP_CACHE = 5;
const bitmaps = new Map<string, Promise<ImageBitmap>>();

/**
 * The photo decoded, cached for the current and the next questions: decoding a JPEG is most of the
 * time between "next question" and its first frame. The renderer copies the bitmap, so the cache
 * keeps it; evicted bitmaps are closed.
 */
export function getPhotoBitmap(store: DataStore, q: QuestionInfo): Promise<ImageBitmap> {
  let p = bitmaps.get(q.id);
  if (p) {
    bitmaps.delete(q.id);
    bitmaps.set(q.id, p);
    return p;
  }
  p = getPhoto(store, q).then((blob) => createImageBitmap(blob));
  // As above: un-caching only; the caller gets the error.
  p.catch(() => bitmaps.delete(q.id));
  bitmaps.set(q.id, p);
  while (bitmaps.size > BITMAP_CACHE) {
    const oldest = bitmaps.keys().next().value as string;
    // A photo that failed to decode has nothing to close; its failure went to its own caller.
    void bitmaps.get(oldest)?.then((b) => b.close(), () => undefined);
    bitmaps.delete(oldest);
  }
  return p;
}

/** Warms (downloads and decodes) the photos of the next few questions in the background. */
export function prefetchPhotos(store: DataStore, qs: QuestionInfo[]): void {
  // Read-ahead only: offline or a missing photo is expected here, and opening that question shows the error.
  for (const q of qs) getPhotoBitmap(store, q).catch(() => undefined);
}

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

/** Loads a CAD mesh into the renderer once (keyed by its etag). */
export function ensureMesh(renderer: Renderer, store: DataStore, cad: CadModelInfo): Promise<MeshLoad> {
  let m = loaded.get(renderer);
  if (!m) loaded.set(renderer, (m = new Map()));
  let p = m.get(cad.etag);
  if (!p) {
    p = (async (): Promise<MeshLoad> => {
      if (await renderer.hasMesh(cad.etag)) return { ok: true };
      const bytes = await store.getMesh(cad);
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
