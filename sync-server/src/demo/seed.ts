// Fills an empty database with the generated demo: CAD models, photos, questions, three tasks, four
// accounts and a ready qualification test (gold questions with labels, a few per attempt), so a fresh
// install can be tried at once, a new annotator included. Every question keeps its true pose and labels
// in source_json, so an admin can mark more gold. Photos are written first (atomically, by rename); the
// rows then go in one transaction.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import type { Role } from '@in3d/shared/types';
import type { ReferenceAnswer } from '@in3d/shared/quality';
import { generatePassword, hashPassword } from '../auth/passwords';
import type { Db } from '../db/connect';
import {
  assignTask, contentEtag, countQuestions, setTaskQuestions, upsertCadModel, upsertCategory, upsertImage, upsertQuestion, upsertTask,
} from '../repositories/catalogue';
import { goldIds, upsertGold } from '../repositories/gold';
import { DEFAULT_QUALIFICATION, hasQualificationSettings, saveQualificationSettings } from '../repositories/quality';
import { findUser, insertUser } from '../repositories/users';
import { DEMO_CATEGORY_PREFIX } from './category-ids';
import { type DemoOptions, type DemoQuestion, generateDemoDataset } from './generate';

export const DEMO_IMAGE_DIR = 'images/demo';

export interface SeedOptions {
  /** The same password for every demo account (DEMO_PASSWORD); otherwise one random per account. */
  password?: string;
  /** Seed even though the database already has questions (rows are upserted, accounts kept). */
  force?: boolean;
  /** Fewer photos for tests; the default is the generator's. */
  photosPerCategory?: DemoOptions['photosPerCategory'];
}

export interface DemoAccount {
  id: string;
  role: Role;
  /** Null when the account existed already and kept its password. */
  password: string | null;
}

export type SeedResult =
  | { seeded: false; reason: string }
  | { seeded: true; accounts: DemoAccount[]; cads: number; images: number; questions: number; tasks: number; gold: number };

/** The demo annotator who must still pass the qualification test; every demo task unlocks when they do. */
export const DEMO_TRAINEE = 'trainee';

const ACCOUNTS: { id: string; role: Role; qualified: boolean }[] = [
  { id: 'demo', role: 'annotator', qualified: true },
  { id: DEMO_TRAINEE, role: 'annotator', qualified: false },
  { id: 'reviewer', role: 'reviewer', qualified: true },
  { id: 'admin', role: 'admin', qualified: true },
];

/** Gold per category, and questions per attempt: a failed attempt leaves unseen gold for the retry. */
const GOLD_PER_CATEGORY = 3;
export const DEMO_QUESTIONS_PER_ATTEMPT = 3;

/** The first GOLD_PER_CATEGORY questions of each category whose photo shows one object (the easiest to judge). */
export function demoGoldQuestions(questions: readonly DemoQuestion[]): DemoQuestion[] {
  const perImage = new Map<string, number>();
  for (const q of questions) perImage.set(q.imageId, (perImage.get(q.imageId) ?? 0) + 1);
  const taken = new Map<string, number>();
  return questions.filter((q) => {
    if (perImage.get(q.imageId) !== 1 || (taken.get(q.category) ?? 0) >= GOLD_PER_CATEGORY) return false;
    taken.set(q.category, (taken.get(q.category) ?? 0) + 1);
    return true;
  });
}

const referenceOf = (q: DemoQuestion): ReferenceAnswer => ({ pose: q.gold, subtype: q.goldSubtype, objectStatus: q.goldObjectStatus, dense: q.goldDense });

export async function seedDemo(db: Db, dataDir: string, options: SeedOptions = {}): Promise<SeedResult> {
  const existing = await countQuestions(db);
  if (existing > 0 && !options.force)
    return { seeded: false, reason: `the database already has ${existing} questions` };

  const data = generateDemoDataset(options.photosPerCategory === undefined ? {} : { photosPerCategory: options.photosPerCategory });

  const imageDir = join(dataDir, DEMO_IMAGE_DIR);
  mkdirSync(imageDir, { recursive: true });
  for (const image of data.images) {
    const file = join(imageDir, image.fileName);
    writeFileSync(`${file}.tmp`, image.jpeg);
    renameSync(`${file}.tmp`, file);
  }

  // Hash outside the transaction: argon2 is slow on purpose and SQLite has one writer.
  const accounts: (DemoAccount & { hash: string | null; qualified: boolean })[] = [];
  for (const a of ACCOUNTS) {
    if (await findUser(db, a.id)) {
      accounts.push({ ...a, password: null, hash: null });
      continue;
    }
    const password = options.password ?? generatePassword();
    accounts.push({ ...a, password, hash: await hashPassword(password) });
  }
  const meshes = data.cads.map((cad) => ({ cad, bytes: encodeMesh(cad.mesh) }));
  const gold = demoGoldQuestions(data.questions);
  let goldAdded = 0;

  await db.transaction().execute(async (trx) => {
    for (const category of new Set([...data.cads.map((c) => c.category), ...data.images.map((i) => i.category)]))
      await upsertCategory(trx, { id: category, name: `Demo ${category.slice(DEMO_CATEGORY_PREFIX.length)}` });
    for (const { cad, bytes } of meshes)
      await upsertCadModel(trx, {
        category: cad.category,
        subtype: cad.subtype,
        name: cad.name,
        mesh: bytes,
        vertexCount: cad.mesh.positions.length / 3,
        triangleCount: cad.mesh.triangles.length / 3,
      });
    for (const image of data.images)
      await upsertImage(trx, {
        id: image.id,
        category: image.category,
        filePath: `${DEMO_IMAGE_DIR}/${image.fileName}`,
        width: image.width,
        height: image.height,
        etag: contentEtag(image.jpeg),
        bytes: image.jpeg.byteLength,
      });
    for (const q of data.questions)
      await upsertQuestion(trx, {
        id: q.id,
        imageId: q.imageId,
        category: q.category,
        bbox: q.bbox,
        viewport: q.viewport,
        initialPose: q.initial,
        initialSubtype: q.initialSubtype,
        source: { gold: q.gold, goldSubtype: q.goldSubtype, goldObjectStatus: q.goldObjectStatus, goldDense: q.goldDense },
      });
    for (const a of accounts)
      if (a.hash) await insertUser(trx, { id: a.id, role: a.role, passwordHash: a.hash, qualified: a.qualified });
    for (const task of data.tasks) {
      await upsertTask(trx, { id: task.id, name: task.name });
      await setTaskQuestions(trx, task.id, task.questionIds);
      await assignTask(trx, task.id, 'demo');
      await assignTask(trx, task.id, DEMO_TRAINEE);
    }
    // The qualification test, unless an admin already set one up (a --force reseed keeps their choice).
    if ((await goldIds(trx)).length === 0) {
      for (const q of gold) await upsertGold(trx, q.id, referenceOf(q), null);
      goldAdded = gold.length;
    }
    if (!(await hasQualificationSettings(trx)))
      await saveQualificationSettings(trx, { ...DEFAULT_QUALIFICATION, questionsPerAttempt: DEMO_QUESTIONS_PER_ATTEMPT }, null);
  });

  return {
    seeded: true,
    accounts: accounts.map(({ id, role, password }) => ({ id, role, password })),
    cads: data.cads.length,
    images: data.images.length,
    questions: data.questions.length,
    tasks: data.tasks.length,
    gold: goldAdded,
  };
}

/** The banner main.ts and the CLI print after seeding. */
export function formatCredentials(accounts: readonly DemoAccount[]): string {
  const rows = accounts.map((a) => {
    const note = a.id === DEMO_TRAINEE ? '  (a new annotator: must pass the qualification test first)' : '';
    return `    ${a.id.padEnd(10)} ${a.role.padEnd(10)} ${a.password ?? '(existing account, password unchanged)'}${note}`;
  });
  return ['', '  Demo accounts (shown once; change them with `npm run cli -- user passwd <id>`):', ...rows, ''].join('\n');
}
