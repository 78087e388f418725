// A small cache of promises by key, most recently used last: at most `size` of them, the oldest
// evicted first (`onEvict` may release what it holds). A rejected promise leaves the cache, so the
// next call retries; the caller that got it sees the error.
export function promiseLru<T>(size: number, onEvict?: (evicted: Promise<T>) => void): (key: string, make: () => Promise<T>) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key, make) => {
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const p = make();
    p.catch(() => {
      if (cache.get(key) === p) cache.delete(key);
    });
    cache.set(key, p);
    for (const [oldest, evicted] of cache) {
      if (cache.size <= size) break;
      cache.delete(oldest);
      onEvict?.(evicted);
    }
    return p;
  };
}
