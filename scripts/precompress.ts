// A Vite plugin: after the build (and after vite-plugin-pwa wrote sw.js), write `.br` and `.gz` beside
// every compressible file of at least 1 KB in the output folder, once, at build time. The server
// (middleware/static.ts) serves them to browsers that accept them; compressing on each request would
// cost CPU on every load of a 1.5 MB app. Brotli at its best quality is slow but runs only here.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

// Source maps are left out: rarely fetched, and the largest files to compress.
const COMPRESSIBLE = /\.(html|js|mjs|css|json|webmanifest|svg|txt|wasm)$/i;
const MIN_BYTES = 1024;

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

/** Writes .br and .gz for each compressible file in `dir`; returns [files, bytes before, brotli bytes]. */
export function precompressDir(dir: string): { files: number; bytes: number; brotli: number; gzip: number } {
  const total = { files: 0, bytes: 0, brotli: 0, gzip: 0 };
  for (const file of files(dir)) {
    if (!COMPRESSIBLE.test(file) || statSync(file).size < MIN_BYTES) continue;
    const body = readFileSync(file);
    const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
    const gz = gzipSync(body, { level: 9 });
    writeFileSync(`${file}.br`, br);
    writeFileSync(`${file}.gz`, gz);
    total.files++;
    total.bytes += body.length;
    total.brotli += br.length;
    total.gzip += gz.length;
  }
  return total;
}

export function precompress(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'in3d-precompress',
    apply: 'build',
    configResolved(c) {
      config = c;
    },
    closeBundle: {
      sequential: true,
      order: 'post',
      handler() {
        const t = precompressDir(resolve(config.root, config.build.outDir));
        config.logger.info(
          `precompressed ${t.files} files: ${(t.bytes / 1024).toFixed(0)} KB -> brotli ${(t.brotli / 1024).toFixed(0)} KB, gzip ${(t.gzip / 1024).toFixed(0)} KB`,
        );
      },
    },
  };
}
