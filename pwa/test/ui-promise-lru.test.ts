// The photo and bitmap caches' rules: most recently used kept, the oldest evicted (and released), a
// failure un-cached so the next call retries.
import { describe, expect, it } from 'vitest';
import { promiseLru } from '../src/state/promise-lru';

describe('promiseLru', () => {
  it('keeps the most recently used, evicts the oldest and hands it over', async () => {
    const evicted: string[] = [];
    const get = promiseLru<string>(2, (p) => void p.then((v) => evicted.push(v)));
    let made = 0;
    const make = (v: string) => () => (made++, Promise.resolve(v));
    await get('a', make('a'));
    await get('b', make('b'));
    await get('a', make('a!')); // a hit: no new promise, and 'a' is now the newest
    await get('c', make('c'));
    await Promise.resolve();
    expect(made).toBe(3);
    expect(evicted).toEqual(['b']);
    expect(await get('a', make('a again'))).toBe('a');
    expect(await get('b', make('b again'))).toBe('b again');
  });

  it('forgets a failure, so the next call makes it again', async () => {
    const get = promiseLru<number>(4);
    await expect(get('k', () => Promise.reject(new Error('offline')))).rejects.toThrow('offline');
    expect(await get('k', () => Promise.resolve(7))).toBe(7);
  });

  it('a late failure of an evicted promise leaves the newer one for its key alone', async () => {
    const get = promiseLru<number>(1);
    let fail!: (e: Error) => void;
    const first = get('k', () => new Promise<number>((_, reject) => (fail = reject)));
    get('other', () => Promise.resolve(1)); // evicts 'k'
    const second = get('k', () => Promise.resolve(2));
    fail(new Error('late'));
    await expect(first).rejects.toThrow('late');
    expect(get('k', () => Promise.resolve(3))).toBe(second);
  });
});
