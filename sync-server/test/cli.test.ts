import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import argon2 from 'argon2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../src/cli/commands';
import { openDataDir } from '../src/cli/context';
import { findCommand, runCli } from '../src/cli/registry';
import { decodeMesh } from '@in3d/shared/mesh/codec';
import { encodeMesh } from '@in3d/shared/mesh/encode';
import { encodeMeshV1 } from '@in3d/shared/mesh/v1';
import { demoCategories } from '../src/demo/meshes';
import { cadModelsInMeshFormat, contentEtag, listCadModels, upsertCadModel, upsertCategory, upsertTask } from '../src/repositories/catalogue';
import { isAssigned } from '../src/repositories/tasks';
import { findUser } from '../src/repositories/users';

let dataDir: string;
let out: string[];
let err: string[];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'in3d-cli-'));
  out = [];
  err = [];
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const cli = (...argv: string[]) =>
  runCli(argv, commands, { dataDir, openDb: openDataDir, out: (l) => out.push(l), err: (l) => err.push(l) });

async function withDb<T>(f: (db: Awaited<ReturnType<typeof openDataDir>>['db']) => Promise<T>): Promise<T> {
  const opened = await openDataDir(dataDir);
  try {
    return await f(opened.db);
  } finally {
    await opened.close();
  }
}

describe('user add', () => {
  it('creates an account with a generated password that verifies', async () => {
    expect(await cli('user', 'add', 'alice')).toBe(0);
    expect(out[0]).toBe('Created annotator alice');
    const password = /^Password: (\S{16})$/.exec(out[1]!)?.[1];
    expect(password).toBeDefined();
    const row = await withDb((db) => findUser(db, 'alice'));
    expect(row).toMatchObject({ role: 'annotator', qualified: 0 });
    expect(await argon2.verify(row!.password_hash, password!)).toBe(true);
  });

  it('takes --role and --password and does not print a given password', async () => {
    expect(await cli('user', 'add', 'rita', '--role', 'reviewer', '--password', 'rita-password')).toBe(0);
    expect(out.join('\n')).not.toContain('rita-password');
    const row = await withDb((db) => findUser(db, 'rita'));
    expect(row?.role).toBe('reviewer');
    expect(await argon2.verify(row!.password_hash, 'rita-password')).toBe(true);
  });

  it.each([
    [['user', 'add', 'bob', '--role', 'boss'], /--role must be one of/],
    [['user', 'add', 'bob', '--password', 'short'], /at least 8/],
    [['user', 'add'], /takes 1 argument/],
    [['user', 'add', 'bob', '--nope'], /Unknown option '--nope'/],
    [['user', 'add', 'bad id!'], /not a valid user id/],
    [['frobnicate'], /Unknown command: frobnicate/],
  ])('%j exits 2 with a clear message', async (argv, message) => {
    expect(await cli(...argv)).toBe(2);
    expect(err.join('\n')).toMatch(message);
  });

  it('refuses to overwrite an existing user', async () => {
    expect(await cli('user', 'add', 'alice', '--password', 'first-password')).toBe(0);
    expect(await cli('user', 'add', 'alice', '--password', 'second-password')).toBe(2);
    expect(err.join('\n')).toMatch(/already exists/);
  });
});

describe('user passwd, user list, assign', () => {
  it('changes a password, lists users, assigns a task', async () => {
    await cli('user', 'add', 'alice', '--password', 'first-password');
    expect(await cli('user', 'passwd', 'alice', '--password', 'second-password')).toBe(0);
    expect(await argon2.verify((await withDb((db) => findUser(db, 'alice')))!.password_hash, 'second-password')).toBe(true);
    expect(await cli('user', 'passwd', 'nobody')).toBe(2);

    out = [];
    expect(await cli('user', 'list')).toBe(0);
    expect(out).toEqual(['alice\tannotator\tnot-qualified\tactive\talice']);

    expect(await cli('assign', 't1', 'alice')).toBe(2);
    expect(err.join('\n')).toMatch(/No task t1/);
    await withDb((db) => upsertTask(db, { id: 't1', name: 'Task 1' }));
    expect(await cli('assign', 't1', 'alice')).toBe(0);
    expect(await cli('assign', 't1', 'alice')).toBe(0);
    expect(await withDb((db) => isAssigned(db, 't1', 'alice'))).toBe(true);
    expect(await cli('assign', 't1', 'nobody')).toBe(2);
  });
});

describe('registry', () => {
  it('picks the longest matching command name', () => {
    expect(findCommand(commands, ['user', 'list'])?.cmd.name).toBe('user list');
    expect(findCommand(commands, ['user'])).toBeUndefined();
  });

  it('runs as a program: --help exits 0, a bad command exits 2 (npm run cli)', async () => {
    const run = promisify(execFile);
    const root = resolve(__dirname, '../..');
    const tsx = join(root, 'node_modules/.bin/tsx');
    const help = await run(tsx, ['sync-server/src/cli.ts', '--help'], { cwd: root, env: { ...process.env, DATA_DIR: dataDir } });
    expect(help.stdout).toContain('user add <id> [--role annotator|reviewer|admin] [--password P]');
    const bad = await run(tsx, ['sync-server/src/cli.ts', 'user', 'add'], { cwd: root, env: { ...process.env, DATA_DIR: dataDir } }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect('code' in bad && bad.code).toBe(2);
    expect((bad as { stderr: string }).stderr).toMatch(/takes 1 argument/);
  });
});

// `meshes upgrade` (exchange/upgrade-meshes.ts): format-1 meshes re-encoded as format 2 under their new
// content etag, the same geometry; a second run does nothing; one that does not decode is reported and left.
const [chair] = demoCategories();
const [a, b] = chair!.subtypes;

describe('meshes upgrade', () => {
  it('re-encodes format-1 meshes as format 2 with the same geometry, keeps format 2, and is idempotent', async () => {
    const old = encodeMeshV1(a!.mesh), current = encodeMesh(b!.mesh);
    await withDb(async (db) => {
      await upsertCategory(db, { id: 'chair' });
      await upsertCadModel(db, { category: 'chair', subtype: 1, name: 'old', mesh: old, vertexCount: 8, triangleCount: 12, sourceSha256: 'abc' });
      await upsertCadModel(db, { category: 'chair', subtype: 2, name: 'current', mesh: current, vertexCount: 8, triangleCount: 12 });
    });
    expect(await cli('meshes', 'upgrade')).toBe(0);
    expect(out).toEqual([`Re-encoded 1 mesh(es) from format 1 to format 2 (${old.length} → ${encodeMesh(await v1Geometry(old)).length} bytes).`]);

    await withDb(async (db) => {
      expect(await cadModelsInMeshFormat(db, 1)).toEqual([]);
      const upgraded = await cadModelsInMeshFormat(db, 2);
      expect(upgraded.map((c) => [c.subtype, c.name, c.sourceSha256])).toEqual([[1, 'old', 'abc'], [2, 'current', undefined]]);
      const cads = await listCadModels(db, 'chair');
      expect(cads[0]!.etag).toBe(contentEtag(upgraded[0]!.mesh));
      expect(cads[0]!.etag).not.toBe(contentEtag(old));
      expect(cads[1]!.etag).toBe(contentEtag(current));
      // The same triangles over the same positions (format 2 reorders them: compare the sets of corner triples).
      const [was, now] = [await decodeMesh(old), await decodeMesh(upgraded[0]!.mesh)];
      if (!was.ok || !now.ok) throw new Error('does not decode');
      expect(now.mesh.vertexCount).toBe(was.mesh.vertexCount);
      expect(now.mesh.edgeCount).toBe(was.mesh.edgeCount);
      expect(shapes(now.mesh)).toEqual(shapes(was.mesh));
    });

    out = [];
    expect(await cli('meshes', 'upgrade')).toBe(0);
    expect(out).toEqual(['No mesh in format 1: nothing to do.']);
    out = [];
    expect(await cli('meshes', 'upgrade', '--json')).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual({ upgraded: [], failed: [] });
  });

  it('reports a format-1 mesh that does not decode, leaves it, and exits non-zero', async () => {
    const broken = encodeMeshV1(a!.mesh);
    broken[broken.length - 1]! ^= 0xff;
    await withDb(async (db) => {
      await upsertCategory(db, { id: 'chair' });
      await upsertCadModel(db, { category: 'chair', subtype: 1, name: 'broken', mesh: broken, vertexCount: 8, triangleCount: 12 });
    });
    expect(await cli('meshes', 'upgrade')).toBe(2);
    expect(err.join('\n')).toMatch(/1 format-1 mesh\(es\) do not decode and were left as they are:\n {2}chair subtype 1: corrupt/);
    await withDb(async (db) => expect((await cadModelsInMeshFormat(db, 1)).map((c) => new Uint8Array(c.mesh))).toEqual([broken]));
  });
});

async function v1Geometry(bytes: Uint8Array) {
  const d = await decodeMesh(bytes);
  if (!d.ok) throw new Error(d.error);
  return { positions: d.mesh.positions, triangles: d.mesh.triangles };
}

/** Each triangle as its three corners' positions, rotated to start at the smallest, sorted: order-free. */
function shapes(m: { positions: Float32Array; triangles: Uint32Array }): string[] {
  const p = (i: number) => Array.from(m.positions.subarray(3 * i, 3 * i + 3), (x) => x.toFixed(4)).join(',');
  const out: string[] = [];
  for (let t = 0; t < m.triangles.length; t += 3) {
    const c = [p(m.triangles[t]!), p(m.triangles[t + 1]!), p(m.triangles[t + 2]!)];
    const k = c.indexOf([...c].sort()[0]!);
    out.push([...c.slice(k), ...c.slice(0, k)].join(' '));
  }
  return out.sort();
}
