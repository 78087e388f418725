// The server's runtime dependencies are exactly the packages its source imports: a package only tests or
// benches use belongs in devDependencies (an `npm ci --omit=dev` install would otherwise carry it, and
// a missing one would break only there).
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The package a bare specifier names ('@scope/name/sub' → '@scope/name', 'hono/cookie' → 'hono'). */
const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

function importedPackages(): Set<string> {
  const out = new Set<string>();
  for (const file of sources(join(ROOT, 'src'))) {
    // Static imports, re-exports and import() calls; type-only `import('x').T` names count too (tsc needs them).
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'([^']+)'/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      out.add(packageOf(spec));
    }
  }
  return out;
}

describe('sync-server package.json', () => {
  it('lists as runtime dependencies exactly the packages sync-server/src imports (our own @in3d/shared is a workspace)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const imported = [...importedPackages()].filter((p) => !p.startsWith('@in3d/')).sort();
    expect(imported.length).toBeGreaterThan(5); // the scan found the imports at all
    expect(Object.keys(pkg.dependencies).sort()).toEqual(imported);
  });
});
