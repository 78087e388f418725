// Fills an empty database with the generated demo: CAD models, photos, questions, three tasks and
// three accounts, so a fresh install can be tried at once. The gold poses stay in source_json for
// later scoring. Photos are written first (atomically, by rename); the rows then go in one transaction.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import type { Role } from '@in3d/shared/types';
import { generatePassword, hashPassword } from '../auth/passwords';
import type { Db } from '../db/connect';
import {
  assignTask, contentEtag, countQuestions, setTaskQuestions, upsertCadModel, upsertCategory, upsertImage, upsertQuestion, upsertTask,
} from '../repositories/catalogue';
import { findUser, insertUser } from '../repositories/users';
import { DEMO_CATEGORY_PREFIX } from './category-ids';
import { type DemoOptions, generateDemoDataset } from './generate';

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
  | { seeded: true; accounts: DemoAccount[]; cads: number; images: number; questions: number; tasks: number };

const ACCOUNTS: { id: string; role: Role; qualified: boolean }[] = [
  { id: 'demo', role: 'annotator', qualified: true },
  { id: 'reviewer', role: 'reviewer', qualified: true },
  { id: 'admin', role: 'admin', qualified: true },
];

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
        source: { gold: q.gold, goldSubtype: q.goldSubtype },
      });
    for (const a of accounts)
      if (a.hash) await insertUser(trx, { id: a.id, role: a.role, passwordHash: a.hash, qualified: a.qualified });
    for (const task of data.tasks) {
      await upsertTask(trx, { id: task.id, name: task.name });
      await setTaskQuestions(trx, task.id, task.questionIds);
      await assignTask(trx, task.id, 'demo');
    }
  });

  return {
    seeded: true,
    accounts: accounts.map(({ id, role, password }) => ({ id, role, password })),
    cads: data.cads.length,
    images: data.images.length,
    questions: data.questions.length,
    tasks: data.tasks.length,
  };
}

/** The banner main.ts and the CLI print after seeding. */
export function formatCredentials(accounts: readonly DemoAccount[]): string {
  const rows = accounts.map((a) => `    ${a.id.padEnd(10)} ${a.role.padEnd(10)} ${a.password ?? '(existing account, password unchanged)'}`);
  return ['', '  Demo accounts (shown once; change them with `npm run cli -- user passwd <id>`):', ...rows, ''].join('\n');
}
