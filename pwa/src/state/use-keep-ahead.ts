// The review queue's and A/B's offline copy: the photos and meshes of the next items kept on the device
// through the annotate page's read-ahead (assets.ts keepAhead), a bounded window that moves with the
// reviewer, started once the item on screen is drawn; and how many of the list are on the device.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DataStore } from '../data/contract';
import { type AheadItem, keepAhead } from './assets';

/** Items kept ahead of the one shown: a queue of 200 full photos is not pulled over a tablet's link at once. */
const KEEP_AHEAD = 40;
/** The next few are decoded too, as on the annotate page (its PREFETCH). */
const DECODE = 3;
const PARALLEL = 2;
/** No frame came (the photo is missing, a hidden tab): the window starts anyway after this. */
const LATEST_MS = 2000;

const keyOf = (i: AheadItem) => `${i.question.id}:${[...i.subtypes].sort().join(',')}`;

/**
 * Keeps `items[from … from + KEEP_AHEAD)` on the device once `drawn` (the item at `from` is on screen)
 * or LATEST_MS later; answers how many of `items` are on the device as far as this page knows.
 */
export function useKeepAhead(store: DataStore, items: readonly AheadItem[] | null, from: number, drawn: boolean): number {
  // Refs, not state: a window started before a re-render must see what the last one kept.
  const kept = useRef(new Set<string>());
  const asked = useRef(new Set<string>());
  const [, setKeptCount] = useState(0);
  useEffect(() => {
    if (!items) return;
    let alive = true;
    const start = () => {
      const window = items.slice(from, from + KEEP_AHEAD).filter((i) => !kept.current.has(keyOf(i)) && !asked.current.has(keyOf(i)));
      for (const i of window) asked.current.add(keyOf(i));
      void keepAhead(store, window, {
        decode: DECODE,
        parallel: PARALLEL,
        alive: () => alive,
        onKept: (i) => {
          kept.current.add(keyOf(i));
          setKeptCount(kept.current.size);
        },
      }).finally(() => {
        // What was not kept (offline, stopped) is asked again by the next window.
        for (const i of window) asked.current.delete(keyOf(i));
      });
    };
    if (drawn) {
      start();
      return () => void (alive = false);
    }
    const timer = setTimeout(start, LATEST_MS);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [items, from, drawn]);
  return items ? items.filter((i) => kept.current.has(keyOf(i))).length : 0;
}
