// Both importers gather a batch of questions (image, question, optional saved annotation) outside any
// transaction, then write the batch here in one transaction.
import type { DbOrTrx } from '../db/connect';
import { findImage, upsertImage, upsertQuestion } from '../repositories/catalogue';
import { ensureCategory } from './cad';
import type { Reports } from './report';
import { type ImportedAnnotation, importAnnotation } from './revisions';

export interface QuestionRow {
  image: Parameters<typeof upsertImage>[1];
  question: Parameters<typeof upsertQuestion>[1];
  saved?: ImportedAnnotation;
  /** Where `saved` came from: named in the report when it disagrees with what is stored. */
  savedPath?: string;
}

/** Counts of saved annotations: newly imported, and already present with the same values. */
export async function writeQuestionRows(db: DbOrTrx, rows: readonly QuestionRow[], now: string, reports: Reports): Promise<{ imported: number; present: number }> {
  const counts = { imported: 0, present: 0 };
  for (const c of new Set(rows.map((r) => r.image.category))) await ensureCategory(db, c);
  for (const r of rows) {
    const imageId = await imageIdOf(db, r.image);
    await upsertImage(db, { ...r.image, id: imageId });
    await upsertQuestion(db, { ...r.question, imageId });
  }
  for (const r of rows) {
    if (!r.saved) continue;
    const outcome = await importAnnotation(db, r.saved, now);
    if (outcome === 'changed') reports.add(r.savedPath ?? r.saved.key, 'saved_file_changed');
    else counts[outcome]++;
  }
  return counts;
}

/**
 * The id a photo is stored under: its file stem, unless a photo of another category holds that stem already
 * (cameras name files IMG_0001.JPG in every folder; upserting would give the first question the other photo).
 * Then `<category>/<stem>`, which no stem can be (neither holds a slash). The same folder imported again
 * gets the same ids.
 */
async function imageIdOf(db: DbOrTrx, image: QuestionRow['image']): Promise<string> {
  const held = await findImage(db, image.id);
  return !held || held.category_id === image.category ? image.id : `${image.category}/${image.id}`;
}
