// `export npz`: for every question with a current annotation, annotations_new/<category>/<stem>.npz as
// the original tool wrote it: the initial file's keys in their order and dtypes, the pose replaced
// (radians, float64), cad_index (int64), then annotator, object_status and dense as unicode scalars.
// numpy.load reads the result without allow_pickle. Questions with no kept source get the same keys
// rebuilt from the database.
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { deg, toRadians } from '@in3d/shared/units';
import type { Db } from '../db/connect';
import type { AnnotationRow } from '../db/schema';
import { f8, type NdArray, str, u2 } from '../formats/ndarray';
import { writeNpz } from '../formats/npz';
import { pacer } from '../event-loop';
import { writeFileAtomic } from '../files/write-atomic';
import { confineForWrite, unsafeName } from './confine';
import { type ExportQuestion, headsOfQuestions, listQuestionsPage, revisionsOfQuestions } from '../repositories/exchange';
import { ambiguousOf } from '../repositories/annotations';
import { currentHead } from './current';
import { type PoseKey, parseSourceRecord, savedKeys, sourceArrays } from './fields';
import { type Progress, Reports } from './report';
import type { ExportSummary } from './summary';

const PAGE = 500;

/** The initial file's keys, from source_json when the import kept them, else rebuilt. */
function initialKeys(q: ExportQuestion): { stem: string; keys: Map<string, NdArray> } {
  const src = parseSourceRecord(q.sourceJson);
  if (src) return { stem: src.stem, keys: sourceArrays(src) };
  const p = q.initialPose;
  const rad = (d: number) => toRadians(deg(d));
  return {
    stem: q.id,
    keys: new Map<string, NdArray>([
      ['azimuth', f8(rad(p.azimuth))],
      ['elevation', f8(rad(p.elevation))],
      ['theta', f8(rad(p.theta))],
      ['distance', f8(p.distance)],
      ['px', f8(p.px)],
      ['py', f8(p.py)],
      ['cad_index', { descr: '<i8', shape: [], data: BigInt64Array.of(BigInt(q.initialSubtype)) }],
      ['viewport', f8(q.viewport)],
      ['height', u2(q.imageHeight)],
      ['width', u2(q.imageWidth)],
      ['bbox', f8([...q.bbox])],
      ['class', str(q.category)],
    ]),
  };
}

/** The saved file's keys for one annotation revision, in the order the original wrote them. */
export function savedFile(q: ExportQuestion, rev: AnnotationRow): { stem: string; entries: Map<string, NdArray> } {
  const { stem, keys } = initialKeys(q);
  const pose = { azimuth: rev.azimuth, elevation: rev.elevation, theta: rev.theta, distance: rev.distance, px: rev.px, py: rev.py } satisfies Record<PoseKey, number>;
  for (const [k, v] of savedKeys({ pose, subtype: rev.subtype })) keys.set(k, v);
  if (!keys.has('viewport')) keys.set('viewport', f8(q.viewport));
  keys.set('annotator', str(rev.user_id));
  keys.set('object_status', str(rev.object_status));
  keys.set('dense', str(rev.dense));
  // SPEC R40: only when there is something to say, so files without flags keep the original's keys.
  const ambiguous = ambiguousOf(rev.ambiguous_json);
  if (ambiguous.length > 0) keys.set('ambiguous', { descr: `<U${Math.max(...ambiguous.map((a) => a.length))}`, shape: [ambiguous.length], data: ambiguous });
  return { stem, entries: keys };
}

/**
 * Where an export writes `rel` inside its folder, or undefined (reported) when a symlink on the way leads
 * out of it: a folder planted in an existing export is not written through (confine.ts).
 */
export function exportFile(outDir: string, rel: string, reports: Reports): string | undefined {
  const c = confineForWrite(outDir, rel);
  if (c.ok) return c.path;
  reports.add(join(outDir, rel), 'unsafe_path', `${c.why}; not written`);
  return undefined;
}

/**
 * One path segment inside outDir, named as the dataset named it: the original tool's layout is
 * annotations_new/<category>/<stem>.npz, so a category 'Dining Table' or 'café' keeps its name (replaced
 * by '_' it no longer matched the original's database nor its own CAD folder on a re-import). What is no
 * single segment (".", "..", a slash, a control character) becomes "_".
 */
export const safeName = (s: string) => {
  const n = basename(s);
  return unsafeName(n) === undefined ? n : '_';
};

export async function exportNpz(db: Db, o: { outDir: string; onProgress?: Progress }): Promise<ExportSummary> {
  const started = Date.now();
  const reports = new Reports();
  let questions = 0, written = 0, after: string | null = null;
  const pace = pacer();
  for (;;) {
    const page = await listQuestionsPage(db, after, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    questions += page.length;
    const ids = page.map((q) => q.id);
    const heads = await headsOfQuestions(db, ids);
    const revs = new Map((await revisionsOfQuestions(db, ids)).map((r) => [r.id, r]));
    const headsBy = new Map<string, typeof heads>();
    for (const h of heads) headsBy.set(h.questionId, [...(headsBy.get(h.questionId) ?? []), h]); // a few per question at most
    for (const q of page) {
      await pace();
      const head = currentHead(headsBy.get(q.id) ?? [], `db:questions/${q.id}`, reports);
      const rev = head && revs.get(head.revisionId);
      if (!rev) continue;
      const { stem, entries } = savedFile(q, rev);
      const file = exportFile(o.outDir, join('annotations_new', safeName(q.category), `${safeName(stem)}.npz`), reports);
      if (!file) continue;
      try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileAtomic(file, writeNpz(entries));
        written++;
      } catch (e) {
        reports.add(file, 'write_failed', (e as Error).message);
      }
    }
    o.onProgress?.(questions, questions, 'questions');
  }
  return { kind: 'npz', target: o.outDir, questions, written, byReason: reports.byReason(), reports: reports.items, durationMs: Date.now() - started };
}
