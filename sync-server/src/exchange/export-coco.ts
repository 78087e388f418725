// `export coco`: COCO-style JSON. images (integer id, file_name inside DATA_DIR, width, height),
// categories (integer id, name), and one annotation per annotated object with bbox [x, y, w, h] in
// pixels plus the 3D fields COCO lacks: pose (radians, object units, pixels, as the release), cad_index
// (1-based subtype), viewport, object_status, dense, annotator, and our question_id / image_key.
import { deg, toRadians } from '@in3d/shared/units';
import type { Db } from '../db/connect';
import { writeFileAtomic } from '../files/write-atomic';
import { annotatedQuestions } from './annotated';
import { ExchangeError, type Progress, Reports } from './report';
import type { ExportSummary } from './summary';

export interface CocoDataset {
  info: { description: string; date_created: string };
  images: { id: number; image_key: string; file_name: string | null; width: number; height: number }[];
  categories: { id: number; name: string }[];
  annotations: {
    id: number; image_id: number; category_id: number; question_id: string;
    bbox: [number, number, number, number]; area: number; iscrowd: 0;
    pose: { azimuth: number; elevation: number; theta: number; distance: number; px: number; py: number };
    cad_index: number; viewport: number; object_status: string; dense: string; annotator: string;
  }[];
}

export async function exportCoco(db: Db, o: { onProgress?: Progress } = {}): Promise<{ coco: CocoDataset; reports: Reports }> {
  const reports = new Reports();
  const coco: CocoDataset = { info: { description: 'ImageNet3D Annotator export', date_created: new Date().toISOString() }, images: [], categories: [], annotations: [] };
  const imageIds = new Map<string, number>(), categoryIds = new Map<string, number>();
  for await (const { q, rev } of annotatedQuestions(db, reports, o.onProgress)) {
    let imageId = imageIds.get(q.imageId);
    if (imageId === undefined) {
      imageIds.set(q.imageId, (imageId = imageIds.size + 1));
      coco.images.push({ id: imageId, image_key: q.imageId, file_name: q.imageFile, width: q.imageWidth, height: q.imageHeight });
    }
    let categoryId = categoryIds.get(q.category);
    if (categoryId === undefined) {
      categoryIds.set(q.category, (categoryId = categoryIds.size + 1));
      coco.categories.push({ id: categoryId, name: q.category });
    }
    const [x1, y1, x2, y2] = q.bbox;
    const rad = (d: number) => toRadians(deg(d));
    coco.annotations.push({
      id: coco.annotations.length + 1, image_id: imageId, category_id: categoryId, question_id: q.id,
      bbox: [x1, y1, x2 - x1, y2 - y1], area: (x2 - x1) * (y2 - y1), iscrowd: 0,
      pose: { azimuth: rad(rev.azimuth), elevation: rad(rev.elevation), theta: rad(rev.theta), distance: rev.distance, px: rev.px, py: rev.py },
      cad_index: rev.subtype, viewport: q.viewport, object_status: rev.object_status, dense: rev.dense, annotator: rev.user_id,
    });
  }
  return { coco, reports };
}

/** Writes the COCO JSON to `file` (through a temporary file: a reader never sees half of it). */
export async function exportCocoFile(db: Db, o: { file: string; onProgress?: Progress }): Promise<ExportSummary> {
  const started = Date.now();
  const { coco, reports } = await exportCoco(db, o);
  try {
    writeFileAtomic(o.file, JSON.stringify(coco));
  } catch (e) {
    throw new ExchangeError(`Cannot write ${o.file}: ${(e as Error).message}`);
  }
  const n = coco.annotations.length;
  return { kind: 'coco', target: o.file, questions: n, written: n, byReason: reports.byReason(), reports: reports.items, durationMs: Date.now() - started };
}
