// `export release`: the ImageNet3D release layout, <category>/<image>.npz with one key `annotations`,
// an object array of one dict per annotated object (the keys the original tool saved: pose in radians,
// cad_index, viewport, height/width as numpy uint16, bbox as a float64 array, class, object_status,
// dense, annotator). Read with numpy.load(f, allow_pickle=True)['annotations'].
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from '../db/connect';
import { type NdArray, scalarOf } from '../formats/ndarray';
import { writeNpz } from '../formats/npz';
import { pacer } from '../event-loop';
import { writeFileAtomic } from '../files/write-atomic';
import { annotatedQuestions } from './annotated';
import { exportFile, safeName, savedFile } from './export-npz';
import { type Progress, Reports } from './report';
import type { ExportSummary } from './summary';

/** One saved key as a plain Python value: 0-d floats → float, integers → int, strings → str; arrays and uint16 stay numpy. */
function plain(key: string, a: NdArray): unknown {
  if (a.shape.length > 0 || a.descr === '<u2') return a;
  const v = scalarOf(a);
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && (key === 'viewport' || key === 'cad_index') && Number.isInteger(v)) return BigInt(v);
  return v;
}

export async function exportRelease(db: Db, o: { outDir: string; onProgress?: Progress }): Promise<ExportSummary> {
  const started = Date.now();
  const reports = new Reports();
  const images = new Map<string, { category: string; objects: Map<string, unknown>[] }>();
  let questions = 0;
  for await (const { q, rev } of annotatedQuestions(db, reports, o.onProgress)) {
    questions++;
    const { entries } = savedFile(q, rev);
    const obj = new Map([...entries].map(([k, v]) => [k, plain(k, v)] as const));
    const image = images.get(q.imageId) ?? { category: q.category, objects: [] };
    image.objects.push(obj);
    images.set(q.imageId, image);
  }
  let written = 0;
  const pace = pacer();
  for (const [imageId, { category, objects }] of images) {
    await pace();
    const file = exportFile(o.outDir, join(safeName(category), `${safeName(imageId)}.npz`), reports);
    if (!file) continue;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomic(file, writeNpz([['annotations', { descr: '|O', shape: [objects.length], data: objects }]]));
      written++;
    } catch (e) {
      reports.add(file, 'write_failed', (e as Error).message);
    }
  }
  return { kind: 'release', target: o.outDir, questions, written, byReason: reports.byReason(), reports: reports.items, durationMs: Date.now() - started };
}
