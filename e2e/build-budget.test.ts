// The build output as a first visit gets it: how much JavaScript the annotate page loads before it can
// draw, and what the service worker precaches. Runs after `vite build` (npm run test:e2e builds first).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness';

const DIST = join(ROOT, 'dist');
/** gzip KB of the JavaScript loaded before the first screen (entry + its static imports). Measured 103 KB. */
const INITIAL_JS_BUDGET_KB = 125;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const manifest = (): Record<string, ManifestChunk> => JSON.parse(readFileSync(join(DIST, '.vite/manifest.json'), 'utf8'));

/** The chunks a page load fetches at once: the entry and everything it imports statically. */
function initialFiles(m: Record<string, ManifestChunk>): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key) || !m[key]) return;
    seen.add(key);
    m[key].imports?.forEach(visit);
  };
  Object.entries(m).filter(([, c]) => c.isEntry).forEach(([k]) => visit(k));
  return [...seen].map((k) => m[k]!.file);
}

/** The URLs in the generated service worker's precache manifest. */
function precached(): string[] {
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  return [...sw.matchAll(/url:"([^"]+)"/g)].map((x) => x[1]!);
}

describe('build output', () => {
  it('is there (vite build ran)', () => {
    expect(existsSync(join(DIST, '.vite/manifest.json')), 'dist/.vite/manifest.json: run `vite build` first').toBe(true);
  });

  it(`loads at most ${INITIAL_JS_BUDGET_KB} KB (gzip) of JavaScript before the first screen; review, admin and charts load on demand`, () => {
    const m = manifest();
    const files = initialFiles(m);
    const kb = files.reduce((s, f) => s + gzipSync(readFileSync(join(DIST, f))).byteLength, 0) / 1024;
    expect(kb).toBeLessThanOrEqual(INITIAL_JS_BUDGET_KB);
    const quality = m['src/pages/review/QualityRoutes.tsx'];
    expect(quality, 'QualityRoutes is its own chunk').toBeDefined();
    expect(files).not.toContain(quality!.file);
    expect(files.some((f) => f.includes('render-fallback'))).toBe(false);
  });

  it('precaches one copy of each file, and not the main-thread render fallback', () => {
    const urls = precached();
    expect(urls.length).toBeGreaterThan(5);
    expect(urls.filter((u, i) => urls.indexOf(u) !== i), 'listed twice').toEqual([]);
    const byHash = new Map<string, string>();
    for (const url of urls) {
      const hash = createHash('sha256').update(readFileSync(join(DIST, url))).digest('hex');
      expect(byHash.get(hash), `${url} has the same bytes as ${byHash.get(hash)}`).toBeUndefined();
      byHash.set(hash, url);
    }
    expect(urls.filter((u) => u.includes('render-fallback'))).toEqual([]);
    expect(urls).toContain('sw-sync.js');
  });
});
