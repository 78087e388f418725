// Exports as one zip the browser downloads: the files an export writes to a folder, streamed through
// fflate's Zip as they are read (npz files are already compressed: stored, not deflated again).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Db } from '../db/connect';
import { pacer } from '../event-loop';
import { jsonlLines } from './export-jsonl';
import { exportCoco } from './export-coco';
import { exportNpz } from './export-npz';
import { exportRelease } from './export-release';

export const ZIP_LAYOUTS = ['npz', 'release', 'coco', 'jsonl'] as const;
export type ZipLayout = (typeof ZIP_LAYOUTS)[number];

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The zip's bytes, chunk by chunk; the temporary folder of a folder export is removed at the end. */
export async function* exportZip(db: Db, layout: ZipLayout): AsyncGenerator<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let failed: Error | undefined;
  const zip = new Zip((err, chunk) => {
    if (err) failed = err;
    else chunks.push(chunk);
  });
  const drain = function* () {
    if (failed) throw failed;
    yield* chunks.splice(0);
  };
  if (layout === 'jsonl') {
    const f = new ZipDeflate('annotations.jsonl', { level: 6 });
    zip.add(f);
    for await (const line of jsonlLines(db)) {
      f.push(new TextEncoder().encode(line));
      yield* drain();
    }
    f.push(new Uint8Array(0), true);
  } else if (layout === 'coco') {
    const f = new ZipDeflate('annotations.coco.json', { level: 6 });
    zip.add(f);
    f.push(new TextEncoder().encode(JSON.stringify((await exportCoco(db)).coco)), true);
  } else {
    const tmp = mkdtempSync(join(tmpdir(), `in3d-export-${layout}-`));
    try {
      await (layout === 'npz' ? exportNpz : exportRelease)(db, { outDir: tmp });
      const pace = pacer();
      for (const file of filesUnder(tmp)) {
        await pace();
        const f = new ZipPassThrough(relative(tmp, file).split('\\').join('/'));
        zip.add(f);
        f.push(new Uint8Array(readFileSync(file)), true);
        yield* drain();
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  zip.end();
  yield* drain();
}
