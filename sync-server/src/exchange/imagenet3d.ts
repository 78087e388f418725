// `import imagenet3d`: public release files, `<dir>/<category>/<stem>.npz`, whose `annotations` key is a
// pickled list of per-object dicts (radians, like the original tool's files). Each object becomes a
// question in the task `imagenet3d_<category>`: its pose is the initial pose, or with `asAnnotated` also
// a finished annotation (first revision) by `annotator`. Files, photos and categories are confined to
// the release folder (photos also to a sibling images/ folder) and DATA_DIR; see confine.ts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { Db } from '../db/connect';
import { isNdArray, stringOf } from '../formats/ndarray';
import { readNpz } from '../formats/npz';
import { recordOf } from '../formats/pickle';
import { listTaskQuestionIds } from '../repositories/exchange';
import { assignTask, setTaskQuestions, upsertTask } from '../repositories/catalogue';
import { planCategory, saveCadModels, targetCategory } from './cad';
import { confine, unsafeName } from './confine';
import { readFields, sourceRecord } from './fields';
import { initialValues, reportBadKeys } from './initial';
import { savedAnnotation } from './legacy';
import { firstExisting, type StoredPhoto, storeFailure, storePhoto } from './photos';
import { ExchangeError, type Progress, Reports } from './report';
import { type QuestionRow, writeQuestionRows } from './question-rows';
import type { ImportSummary } from './summary';
import { importAccounts } from './users';

export interface ReleaseImportOptions {
  source: string;
  cadDir?: string;
  dataDir: string;
  /** Also store each object's pose and labels as a finished annotation. */
  asAnnotated?: boolean;
  /** Who the annotations are attributed to with `asAnnotated` (created if new). Default 'imagenet3d'. */
  annotator?: string;
  /** Store the release's categories as `<prefix><category>` (when its CAD models differ from the server's). */
  categoryPrefix?: string;
  onProgress?: Progress;
}

const PHOTO_EXTENSIONS = ['.JPEG', '.jpeg', '.jpg', '.JPG', '.png', '.PNG'];

/** Every .npz under dir; a symlinked file is followed only when it stays inside dir (symlinked folders are not walked). */
function npzFiles(dir: string, reports: Reports): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.toLowerCase().endsWith('.npz')) continue;
      else if (e.isFile()) out.push(p);
      else if (e.isSymbolicLink()) {
        const c = confine(dir, relative(dir, p));
        if (!c.ok) reports.add(p, 'unsafe_path', `${c.why}; skipped`);
        else if (statSync(p).isFile()) out.push(p);
      }
    }
  };
  walk(dir);
  return out;
}

const pad2 = (k: number) => String(k).padStart(2, '0');

export async function importImagenet3d(db: Db, o: ReleaseImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const reports = new Reports();
  if (!existsSync(o.source) || !statSync(o.source).isDirectory()) throw new ExchangeError(`No folder ${o.source}`);
  if (o.cadDir !== undefined && !existsSync(o.cadDir)) throw new ExchangeError(`No CAD folder ${o.cadDir}`);
  const now = new Date().toISOString();
  const files = npzFiles(o.source, reports);
  const annotator = o.annotator ?? 'imagenet3d';
  const accounts = o.asAnnotated
    ? // The admin named the account (or accepted the default): an existing one is used, as asked.
      await db.transaction().execute((trx) => importAccounts(trx, [{ id: annotator, qualified: true, claimed: true }], reports, 'annotator', 'imagenet3d'))
    : { created: [], existing: [], ids: new Map<string, string>() };
  if (o.asAnnotated && !accounts.ids.has(annotator)) throw new ExchangeError(`Cannot attribute annotations to "${annotator}"`);

  // A category whose CAD models conflict with the server's is not imported (each object reported).
  const subtypes = new Map<string, Set<number> | null>();
  const cadCounts = { imported: 0, kept: 0 };
  const models = async (category: string) => {
    const known = subtypes.get(category);
    if (known !== undefined) return known;
    const { plan, subtypes: own, kept } = await planCategory(db, o.cadDir, category, targetCategory(category, o.categoryPrefix), reports);
    if (plan.conflicts.length) {
      for (const c of plan.conflicts) reports.add(c.path, c.reason, `${c.message}; the category's objects were not imported (choose a category prefix)`);
      subtypes.set(category, null);
      return null;
    }
    await db.transaction().execute((trx) => saveCadModels(trx, targetCategory(category, o.categoryPrefix), plan.models));
    cadCounts.imported += plan.models.length;
    cadCounts.kept += kept;
    subtypes.set(category, own);
    return own;
  };
  if (!o.cadDir) reports.add(o.source, 'missing_cad_models', 'no CAD folder given (--cad, or cad/ in an upload): CAD models not imported, cad_index not checked');

  const counts = { objects: 0, questions: 0, photosStored: 0, photosMissing: 0, annotationsFound: 0, imported: 0, present: 0 };
  const taskQuestions = new Map<string, string[]>();
  for (const [n, file] of files.entries()) {
    const relPath = relative(o.source, file).replace(/\\/g, '/');
    const stem = basename(file).replace(/\.npz$/i, '');
    const folder = dirname(file) === o.source ? undefined : basename(dirname(file));
    let objects: unknown[];
    try {
      const z = readNpz(new Uint8Array(readFileSync(file)), {
        objects: 'safe-unpickle',
        onUnsafeMember: (name, why) => reports.add(file, 'unsafe_path', `member ${JSON.stringify(name)} ${why}; skipped`),
      });
      const anns = z.get('annotations');
      if (!anns) {
        reports.add(file, 'missing_key', `no "annotations" key (keys: ${[...z.keys()].join(', ') || 'none'}); file skipped`);
        continue;
      }
      objects = isNdArray(anns) && anns.descr === '|O' ? (anns.data as unknown[]) : [];
      if (!(isNdArray(anns) && anns.descr === '|O')) {
        reports.add(file, 'bad_value', `"annotations" is a ${anns.descr} array, not a pickled list of dicts; file skipped`);
        continue;
      }
    } catch (e) {
      reports.add(file, 'unreadable_file', (e as Error).message);
      continue;
    }
    counts.objects += objects.length;
    const dicts = objects.map((x) => recordOf(x));
    const firstClass = dicts.map((d) => d && stringOf(d.class)).find((c) => c !== undefined);
    const sourceCategory = folder ?? firstClass ?? 'unknown';
    const badCategory = unsafeName(sourceCategory);
    if (badCategory) {
      reports.add(file, 'unsafe_path', `category ${JSON.stringify(sourceCategory)} ${badCategory}; file skipped`);
      continue;
    }
    const category = targetCategory(sourceCategory, o.categoryPrefix);
    const subs = await models(sourceCategory);
    if (!subs) continue;
    // Beside the file, in <source>/images/<category>/, or in an images/<category>/ folder beside the release folder.
    const fileDir = relative(o.source, dirname(file));
    const photoFile = firstExisting(
      [[o.source, fileDir], [o.source, `images/${sourceCategory}`], [join(o.source, '..', 'images'), sourceCategory]].flatMap(([root, d]) =>
        PHOTO_EXTENSIONS.map((ext) => [root!, join(d!, stem + ext)] as const),
      ),
    );
    let photo: StoredPhoto | undefined;
    if (!photoFile) {
      counts.photosMissing++;
      reports.add(join(dirname(file), `${stem}.JPEG`), 'missing_photo');
    } else if (!photoFile.ok) {
      counts.photosMissing++;
      reports.add(photoFile.path, 'unsafe_path', `${photoFile.why}; imported without its photo`);
    } else {
      try {
        photo = storePhoto(o.dataDir, category, photoFile.path);
        counts.photosStored++;
        if (photo.warning) reports.add(photoFile.path, 'damaged_photo', photo.warning);
      } catch (e) {
        counts.photosMissing++; // the question goes on without a photo, as when the file is absent
        reports.add(photoFile.path, storeFailure(e), (e as Error).message);
      }
    }
    const taskId = `imagenet3d_${category}`;
    const rows: QuestionRow[] = [];
    for (const [k, d] of dicts.entries()) {
      const path = `${file}#${k}`;
      if (!d) {
        reports.add(path, 'bad_value', 'the object is not a dict with string keys; skipped');
        continue;
      }
      const fields = readFields((key) => d[key]);
      reportBadKeys(fields, path, reports);
      const init = initialValues(fields, { path, photoSize: photo?.size, subtypes: o.cadDir ? subs : undefined, reports });
      if (!init) continue;
      const questionId = `imagenet3d_${category}_${stem}_${pad2(k)}`;
      const row: QuestionRow = {
        savedPath: path,
        image: { id: stem, category, filePath: photo?.filePath ?? null, width: init.width, height: init.height, etag: photo?.etag ?? null, bytes: photo?.bytes ?? null },
        question: {
          id: questionId,
          imageId: stem,
          category,
          bbox: init.bbox,
          viewport: init.viewport,
          initialPose: init.pose,
          initialSubtype: init.subtype,
          source: sourceRecord('imagenet3d', `${relPath}#${k}`, `${stem}_${pad2(k)}`, Object.entries(d)),
        },
      };
      if (o.asAnnotated) {
        counts.annotationsFound++;
        row.saved = savedAnnotation(
          { ...fields, annotator: undefined },
          {
            path,
            key: `imagenet3d:${relPath}#${k}`,
            questionId,
            taskId,
            fallbackUser: annotator,
            users: accounts.ids,
            subtypes: o.cadDir ? subs : undefined,
            savedAt: statSync(file).mtime.toISOString(),
            reports: new Reports(), // the attribution to `annotator` is what was asked for, not a problem
          },
        );
        if (!row.saved) reports.add(path, 'missing_key', 'the object lacks a pose key, object_status or dense; imported without an annotation');
      }
      rows.push(row);
    }
    const written = await db.transaction().execute((trx) => writeQuestionRows(trx, rows, now, reports));
    counts.imported += written.imported;
    counts.present += written.present;
    counts.questions += rows.length;
    taskQuestions.set(taskId, [...(taskQuestions.get(taskId) ?? []), ...rows.map((r) => r.question.id)]);
    o.onProgress?.(n + 1, files.length, 'files');
  }

  // Tasks keep questions from earlier imports; new ones are appended.
  await db.transaction().execute(async (trx) => {
    for (const [taskId, ids] of taskQuestions) {
      await upsertTask(trx, { id: taskId, name: `ImageNet3D ${taskId.slice('imagenet3d_'.length)}` });
      const existing = await listTaskQuestionIds(trx, taskId);
      const have = new Set(existing);
      const merged = [...existing, ...ids.filter((id) => !have.has(id))];
      if (merged.length !== existing.length) await setTaskQuestions(trx, taskId, merged);
      if (o.asAnnotated) await assignTask(trx, taskId, annotator);
    }
  });

  return {
    kind: 'imagenet3d',
    source: o.source,
    users: { created: accounts.created, existing: accounts.existing },
    tasks: { found: taskQuestions.size, imported: taskQuestions.size },
    questions: { found: counts.objects, imported: counts.questions, notImported: counts.objects - counts.questions },
    photos: { stored: counts.photosStored, missing: counts.photosMissing },
    annotations: { found: counts.annotationsFound, imported: counts.imported, alreadyPresent: counts.present },
    cadModels: { categories: subtypes.size, ...cadCounts },
    byReason: reports.byReason(),
    reports: reports.items,
    durationMs: Date.now() - started,
  };
}
