// An imported annotation becomes the first revision of its (question, annotator): source 'import',
// device 'legacy-import', a stable id derived from the file, so importing the file again finds it and
// appends nothing (revisions are append-only; the head moves by the normal rules).
import type { Dense, ObjectStatus, PoseJson } from '@in3d/shared/types';
import type { DbOrTrx } from '../db/connect';
import { appendRevision, findRevision } from '../repositories/annotations';
import { stableUuid } from './ids';

export const IMPORT_CLIENT_ID = 'legacy-import';
export const IMPORT_SOURCE = 'import';

export interface ImportedAnnotation {
  /** What the id is derived from: the importer's name for the file and object. */
  key: string;
  questionId: string;
  userId: string;
  taskId: string | null;
  pose: PoseJson;
  subtype: number;
  objectStatus: ObjectStatus;
  dense: Dense;
  savedAt: string;
}

export const revisionIdOf = (key: string) => stableUuid(`import:${key}`);

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** 'imported', 'present' (same values already there) or 'changed' (already there with other values). */
export async function importAnnotation(db: DbOrTrx, a: ImportedAnnotation, now: string): Promise<'imported' | 'present' | 'changed'> {
  let id = revisionIdOf(a.key);
  let existing = await findRevision(db, id);
  // The file's name alone is not the annotation: another dataset (another lab on the same photos) has a
  // file of the same path for another question or person. That one gets an id of its own; the first
  // keeps the id it was imported under, so importing either again still finds its revision.
  if (existing && (existing.question_id !== a.questionId || existing.user_id !== a.userId)) {
    id = revisionIdOf(`${a.key}|${a.questionId}|${a.userId}`);
    existing = await findRevision(db, id);
  }
  if (existing) {
    const same =
      existing.subtype === a.subtype &&
      existing.object_status === a.objectStatus &&
      existing.dense === a.dense &&
      (['azimuth', 'elevation', 'theta', 'distance', 'px', 'py'] as const).every((k) => close(existing[k], a.pose[k]));
    return same ? 'present' : 'changed';
  }
  await appendRevision(db, {
    id,
    questionId: a.questionId,
    userId: a.userId,
    taskId: a.taskId,
    clientId: IMPORT_CLIENT_ID,
    clientSeq: null,
    baseRevisionId: null,
    pose: a.pose,
    subtype: a.subtype,
    objectStatus: a.objectStatus,
    dense: a.dense,
    activeMs: 0,
    source: IMPORT_SOURCE,
    clientSavedAt: a.savedAt,
    serverReceivedAt: now,
  });
  return 'imported';
}
