// `import legacy`: the original Flask tool's data folder and database. Annotators become users, tasks
// keep their ids and assignments, each question row with a readable initial file becomes a question,
// and a saved annotation becomes the first revision attributed to its annotator. File work (reading npz,
// copying photos) happens outside transactions; each batch of rows is written in one transaction.
// Every path and category a row names is confined to the folder (confine.ts): one that leads out is
// reported as unsafe_path and that photo or question is skipped, the rest imports.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Db } from '../db/connect';
import type { NpzEntries } from '../formats/npz';
import { readNpz } from '../formats/npz';
import { assignTask, setTaskQuestions, upsertTask } from '../repositories/catalogue';
import { planCategory, saveCadModels, targetCategory } from './cad';
import { unsafeName } from './confine';
import { type FileFields, POSE_KEYS, readFields, sourceRecord } from './fields';
import { initialValues, reportBadKeys, resolveSubtype } from './initial';
import { readLegacyDatabase } from './legacy-db';
import { FileFinder, PHOTO_EXTENSIONS } from './locate';
import { type StoredPhoto, storeFailure, storePhoto } from './photos';
import { ExchangeError, ImportConflict, type Progress, type Report, Reports } from './report';
import { type QuestionRow, writeQuestionRows } from './question-rows';
import type { ImportedAnnotation } from './revisions';
import type { ImportSummary } from './summary';
import { type AccountsResult, type IdentityChoice, importAccounts } from './users';
import { normalizeUserId } from '../auth/user-id';

export interface LegacyImportOptions {
  /** The original's data folder (images/, annotations/, annotations_new/). */
  source: string;
  /** `<cadDir>/<category>/<NN>.off`; without it no models are imported (reported). */
  cadDir?: string;
  /** The original's database; default `<source>/database.sqlite`. */
  legacyDb?: string;
  /** Our DATA_DIR: photos are copied to images/<category>/ inside it. */
  dataDir: string;
  onProgress?: Progress;
  /** Question rows per transaction. */
  batchSize?: number;
  /** How imported annotators whose ids name other accounts are mapped; without it such an import stops. */
  identity?: IdentityChoice;
  /** Store the dataset's categories as `<prefix><category>` (when its CAD models differ from the server's). */
  categoryPrefix?: string;
  /**
   * What ties the dataset's people to their accounts on a re-import; default the database's real path.
   * An upload unpacks to a new folder each time, so it names its archive instead.
   */
  origin?: string;
}

const stemOf = (p: string) => basename(p, extname(p));
const rel = (p: string) => p.replace(/\\/g, '/').replace(/^\/+/, '');

/** annotations/<cat>/<stem>.npz → annotations_new/<cat>/<stem>.npz, as the original saves it. */
export function savedPathOf(annoPath: string): string {
  const p = rel(annoPath);
  return /(^|\/)annotations\//.test(p) ? p.replace(/(^|\/)annotations\//, '$1annotations_new/') : `annotations_new/${p}`;
}

function readNpzFile(path: string, reports: Reports): NpzEntries | undefined {
  try {
    return readNpz(new Uint8Array(readFileSync(path)), {
      onUnsafeMember: (name, why) => reports.add(path, 'unsafe_path', `member ${JSON.stringify(name)} ${why}; skipped`),
    });
  } catch (e) {
    reports.add(path, 'unreadable_file', (e as Error).message);
    return undefined;
  }
}

function isoOrUndefined(t: string | undefined): string | undefined {
  if (!t) return undefined;
  const d = new Date(t.includes('T') || t.endsWith('Z') ? t : `${t.replace(' ', 'T')}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export async function importLegacy(db: Db, o: LegacyImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const reports = new Reports();
  const source = o.source;
  if (!existsSync(source) || !statSync(source).isDirectory()) throw new ExchangeError(`No folder ${source}`);
  const legacyDbPath = o.legacyDb ?? join(source, 'database.sqlite');
  if (!existsSync(legacyDbPath)) throw new ExchangeError(`No database ${legacyDbPath} (pass --db <file>)`);
  if (o.cadDir !== undefined && !existsSync(o.cadDir)) throw new ExchangeError(`No CAD folder ${o.cadDir}`);
  let legacy;
  try {
    legacy = readLegacyDatabase(legacyDbPath);
  } catch (e) {
    throw new ExchangeError(`Cannot read ${legacyDbPath}: ${(e as Error).message}`);
  }
  const now = new Date().toISOString();
  const dbRef = (table: string, id: string) => `db:${table}/${id}`;

  // 1. Tasks and who they are assigned to (the original lists one row per task and annotator).
  const assignees = new Map<string, string[]>();
  for (const t of legacy.tasks) {
    const list = assignees.get(t.id) ?? [];
    if (t.annotatorId && !list.includes(t.annotatorId)) list.push(t.annotatorId);
    assignees.set(t.id, list);
  }
  for (const q of legacy.questions) {
    if (!assignees.has(q.taskId)) {
      reports.add(dbRef('questions', q.id), 'unknown_task', `task ${q.taskId} is not in the tasks table; created without an assignee`);
      assignees.set(q.taskId, []);
    }
  }

  // 2. Annotators → users, including anyone a task is assigned to whom the annotators table forgot.
  const listed = new Set(legacy.annotators.map((a) => a.id));
  const people = legacy.annotators.map((a) => ({ id: a.id, qualified: a.passedTest }));
  for (const [taskId, users] of assignees) {
    for (const u of users.filter((x) => !listed.has(x))) {
      listed.add(u);
      people.push({ id: u, qualified: false });
      reports.add(dbRef('tasks', taskId), 'unknown_annotator', `assigned to ${u}, who is not in the annotators table; created as an unqualified annotator`);
    }
  }
  // 3. Categories and CAD models: planned (read only) before anything is written, so a conflict stops
  // the import with nothing changed.
  const categoryOf = (q: (typeof legacy.questions)[number]) => q.cadPath || rel(q.imgPath).split('/').slice(-2, -1)[0] || 'unknown';
  const target = (c: string) => targetCategory(c, o.categoryPrefix);
  const categories = [...new Set(legacy.questions.map(categoryOf))].filter((c) => unsafeName(c) === undefined).sort();
  const subtypes = new Map<string, Set<number>>();
  const cadCounts = { imported: 0, kept: 0 };
  const plans: { category: string; models: Awaited<ReturnType<typeof planCategory>>['plan']['models'] }[] = [];
  const conflicts: Report[] = [];
  for (const c of categories) {
    const { plan, subtypes: own, kept } = await planCategory(db, o.cadDir, c, target(c), reports);
    conflicts.push(...plan.conflicts);
    plans.push({ category: target(c), models: plan.models });
    cadCounts.imported += plan.models.length;
    cadCounts.kept += kept;
    if (o.cadDir || own.size > 0) subtypes.set(c, own);
  }
  if (!o.cadDir) reports.add(source, 'missing_cad_models', 'no CAD folder given (--cad, or cad/ in an upload): CAD models not imported, cad_index checked only against the models the server holds');

  // Identities: this dataset's own earlier import, or what the admin chose; otherwise a conflict.
  const origin = `legacy:${o.origin ?? realpathSync(legacyDbPath)}`;
  const accounts = await db.transaction().execute(async (trx) => {
    let result: AccountsResult | undefined;
    try {
      result = await importAccounts(trx, people, reports, 'db:annotators', origin, o.identity);
    } catch (e) {
      if (!(e instanceof ImportConflict)) throw e;
      conflicts.unshift(...e.conflicts);
    }
    if (conflicts.length || !result) throw new ImportConflict(conflicts);
    return result;
  });
  const account = (u: string) => accounts.ids.get(u);
  await db.transaction().execute(async (trx) => {
    for (const [taskId, users] of assignees) {
      await upsertTask(trx, { id: taskId, name: taskId });
      for (const u of users) {
        const id = account(u);
        if (id) await assignTask(trx, taskId, id);
        // else: an invalid user id, already reported
      }
    }
  });
  for (const t of legacy.qualityTasks) reports.add(dbRef('quality_tasks', t.id), 'quality_task_skipped');
  for (const p of plans) await db.transaction().execute((trx) => saveCadModels(trx, p.category, p.models));

  // 4. Questions, photos and saved annotations, batch by batch.
  const taskQuestions = new Map<string, string[]>();
  const counts = { questionsImported: 0, photosStored: 0, photosMissing: 0, savedFound: 0, savedImported: 0, savedPresent: 0 };
  const batchSize = o.batchSize ?? 500;
  const total = legacy.questions.length;
  const seenQuestions = new Set<string>();
  const finder = new FileFinder(source);
  for (let start = 0; start < total; start += batchSize) {
    const batch = legacy.questions.slice(start, start + batchSize);
    const rows: QuestionRow[] = [];
    for (const q of batch) {
      const sourceCategory = categoryOf(q);
      const category = target(sourceCategory);
      const ref = dbRef('questions', q.id);
      if (seenQuestions.has(q.id)) {
        reports.add(ref, 'bad_value', 'duplicate question id; the first row was used');
        continue;
      }
      seenQuestions.add(q.id);
      const badCategory = unsafeName(category);
      if (badCategory) {
        reports.add(ref, 'unsafe_path', `category ${JSON.stringify(category)} ${badCategory}; question not imported`);
        continue;
      }
      const annoHit = q.annoPath ? finder.find(q.annoPath, ['.npz']) : undefined;
      if (annoHit && !annoHit.ok) {
        reports.add(ref, 'unsafe_path', `anno_path ${JSON.stringify(q.annoPath)} ${annoHit.why}; question not imported`);
        continue;
      }
      const imgHit = q.imgPath ? finder.find(q.imgPath, PHOTO_EXTENSIONS) : undefined;
      if (imgHit && !imgHit.ok) {
        counts.photosMissing++; // imported without its photo, as when the file is absent
        reports.add(ref, 'unsafe_path', `img_path ${JSON.stringify(q.imgPath)} ${imgHit.why}; imported without its photo`);
      }
      const photoRel = imgHit?.ok ? imgHit.rel : undefined;
      if (!imgHit) {
        counts.photosMissing++;
        reports.add(join(source, rel(q.imgPath)), 'missing_photo');
      }
      const found = annoHit?.ok ? annoHit.rel : undefined;
      const savedHit = q.annoPath ? finder.find(savedPathOf(found ?? q.annoPath), ['.npz']) : undefined;
      if (savedHit && !savedHit.ok) reports.add(ref, 'unsafe_path', `the saved file of ${JSON.stringify(q.annoPath)} ${savedHit.why}; not imported`);
      const savedRel = savedHit?.ok ? savedHit.rel : undefined;
      if (!found && !savedRel) {
        reports.add(join(source, rel(q.annoPath)), 'missing_annotation_file');
        continue;
      }
      // Without the initial file, the saved one (the same keys, pose adjusted) stands in for it.
      if (!found) reports.add(join(source, rel(q.annoPath)), 'initial_file_replaced');
      const annoRel = found ?? savedRel!;
      const annoPath = join(source, annoRel);
      const entries = readNpzFile(annoPath, reports);
      if (!entries) continue;
      if (!found) for (const k of ['annotator', 'object_status', 'dense']) entries.delete(k);
      let photo: StoredPhoto | undefined;
      if (photoRel) {
        try {
          photo = storePhoto(o.dataDir, category, join(source, photoRel));
          counts.photosStored++;
          if (photo.warning) reports.add(join(source, photoRel), 'damaged_photo', photo.warning);
        } catch (e) {
          counts.photosMissing++; // the question goes on without a photo, as when the file is absent
          reports.add(join(source, photoRel), storeFailure(e), (e as Error).message);
        }
      }
      const fields = readFields((k) => entries.get(k));
      reportBadKeys(fields, annoPath, reports);
      const init = initialValues(fields, { path: annoPath, photoSize: photo?.size, subtypes: subtypes.get(sourceCategory), reports });
      if (!init) continue;
      if (photo?.size && (photo.size.width !== init.width || photo.size.height !== init.height)) {
        reports.add(annoPath, 'bad_value', `height/width ${init.height}×${init.width} differ from the photo's ${photo.size.height}×${photo.size.width}; the file's values were kept`);
      }
      const imageId = stemOf(q.imgPath || q.annoPath);
      const row: QuestionRow = {
        image: { id: imageId, category, filePath: photo?.filePath ?? null, width: init.width, height: init.height, etag: photo?.etag ?? null, bytes: photo?.bytes ?? null },
        question: {
          id: q.id,
          imageId,
          category,
          bbox: init.bbox,
          viewport: init.viewport,
          initialPose: init.pose,
          initialSubtype: init.subtype,
          source: sourceRecord('npz', annoRel, stemOf(annoRel), entries),
        },
      };
      const list = taskQuestions.get(q.taskId) ?? [];
      list.push(q.id);
      taskQuestions.set(q.taskId, list);

      // The saved annotation, if any.
      const savedPath = join(source, savedRel ?? savedPathOf(annoRel));
      if (q.finished && !savedRel) reports.add(savedPath, 'finished_without_saved_file');
      if (savedRel) {
        counts.savedFound++;
        if (!q.finished) reports.add(savedPath, 'unfinished_with_saved_file');
        const saved = readNpzFile(savedPath, reports);
        const f = saved && readFields((k) => saved.get(k));
        if (f) {
          reportBadKeys(f, savedPath, reports);
          const a = savedAnnotation(f, {
            path: savedPath,
            key: `legacy:${savedRel}`,
            questionId: q.id,
            taskId: q.taskId,
            fallbackUser: assignees.get(q.taskId)?.map(account).find((u) => u !== undefined),
            users: accounts.ids,
            subtypes: subtypes.get(sourceCategory),
            savedAt: isoOrUndefined(legacy.saveTimes.get(q.id)) ?? statSync(savedPath).mtime.toISOString(),
            reports,
          });
          if (a) {
            row.saved = a;
            row.savedPath = savedPath;
          }
        }
      }
      rows.push(row);
    }
    const written = await db.transaction().execute((trx) => writeQuestionRows(trx, rows, now, reports));
    counts.savedImported += written.imported;
    counts.savedPresent += written.present;
    counts.questionsImported += rows.length;
    o.onProgress?.(Math.min(start + batchSize, total), total, 'questions');
  }
  await db.transaction().execute(async (trx) => {
    for (const [taskId, ids] of taskQuestions) await setTaskQuestions(trx, taskId, ids);
  });

  return {
    kind: 'legacy',
    source,
    database: legacyDbPath,
    users: { created: accounts.created, existing: accounts.existing },
    tasks: { found: assignees.size, imported: assignees.size, qualityTasksSkipped: legacy.qualityTasks.length },
    questions: { found: total, imported: counts.questionsImported, notImported: total - counts.questionsImported },
    photos: { stored: counts.photosStored, missing: counts.photosMissing },
    annotations: { found: counts.savedFound, imported: counts.savedImported, alreadyPresent: counts.savedPresent },
    cadModels: { categories: categories.length, ...cadCounts },
    byReason: reports.byReason(),
    reports: reports.items,
    durationMs: Date.now() - started,
  };
}

/** A saved file's annotation, or undefined (reported) when it lacks what a revision needs. */
export function savedAnnotation(
  f: FileFields,
  c: {
    path: string;
    key: string;
    questionId: string;
    taskId: string | null;
    /** The account the task's annotator became. */
    fallbackUser: string | undefined;
    /** Imported annotator id → account id. */
    users: ReadonlyMap<string, string>;
    subtypes: ReadonlySet<number> | undefined;
    savedAt: string;
    reports: Reports;
  },
): ImportedAnnotation | undefined {
  const missing = [...POSE_KEYS.filter((k) => f.pose[k] === undefined), ...(f.objectStatus ? [] : ['object_status']), ...(f.dense ? [] : ['dense'])];
  if (missing.length) {
    c.reports.add(c.path, 'missing_key', `missing ${missing.join(', ')}; the saved annotation was not imported`);
    return undefined;
  }
  let userId = f.annotator === undefined ? undefined : (c.users.get(f.annotator) ?? c.users.get(normalizeUserId(f.annotator)));
  if (userId === undefined) {
    const why = f.annotator === undefined ? 'no annotator key' : `annotator ${f.annotator} is not in the database`;
    if (!c.fallbackUser) {
      c.reports.add(c.path, 'unknown_annotator', `${why} and the task has no annotator; the saved annotation was not imported`);
      return undefined;
    }
    c.reports.add(c.path, 'unknown_annotator', `${why}; attributed to the task's annotator ${c.fallbackUser}`);
    userId = c.fallbackUser;
  }
  return {
    key: c.key,
    questionId: c.questionId,
    userId,
    taskId: c.taskId,
    pose: f.pose as ImportedAnnotation['pose'],
    subtype: resolveSubtype(f.cadIndex, c.subtypes, c.path, c.reports),
    objectStatus: f.objectStatus!,
    dense: f.dense!,
    savedAt: c.savedAt,
  };
}
