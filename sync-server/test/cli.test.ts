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
import { upsertTask } from '../src/repositories/catalogue';
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
