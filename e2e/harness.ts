// Browser tests run the real server (child process, temp DATA_DIR, the built app from dist/) and
// Debian's Chromium through playwright-core. Nothing here is mocked: what passes here works for users.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
/** The demo seed uses this password for `demo`, `trainee`, `reviewer` and `admin` in tests. */
export const DEMO_PASSWORD = 'demo-password-e2e';
export const DEMO_USER = 'demo';

export interface RunningServer {
  url: string;
  dataDir: string;
  /** Output of the server so far, for failure messages. */
  log(): string;
  stop(): Promise<void>;
  /** Stops and starts again on the same port and DATA_DIR (a server crash or deploy, as seen by clients). */
  restart(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server did not answer /api/health within ${timeoutMs} ms:\n${log()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** Runs `tsx sync-server/src/main.ts` with PORT, DATA_DIR, DEMO_PASSWORD and STATIC_DIR=dist, and waits for /api/health. */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'in3d-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let output = '';
  let child: ChildProcess;

  const launch = async () => {
    child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'sync-server/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        DEMO_PASSWORD,
        STATIC_DIR: join(ROOT, 'dist'),
        NODE_ENV: 'test',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitForHealth(url, child, timeoutMs, () => output);
  };
  await launch();

  return {
    url,
    dataDir,
    log: () => output,
    stop: () => stopChild(child),
    async restart() {
      await stopChild(child);
      await launch();
    },
  };
}

export { launchChromium as launchBrowser } from './chromium';

export interface SignInOptions {
  /** Opened first when given; otherwise the page must already show the login form. */
  url?: string;
  user?: string;
  password?: string;
  /** 'tasks' waits for "My tasks" (annotators, reviewers); 'signed-in' only for the login form to go (admins). */
  until?: 'tasks' | 'signed-in';
}

/** Signs in through the login form, as a user would. */
export async function signIn(page: Page, opts: SignInOptions = {}): Promise<void> {
  if (opts.url) await page.goto(opts.url);
  await page.getByLabel('Annotator ID').fill(opts.user ?? DEMO_USER);
  await page.getByLabel('Password').fill(opts.password ?? DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if ((opts.until ?? 'tasks') === 'tasks') await page.getByRole('heading', { name: 'My tasks' }).waitFor({ timeout: 30_000 });
  // The form goes as soon as the user is known; the app leaves #/login right after, and a test that
  // navigates before that would be sent on by it.
  else await page.waitForFunction(() => !document.querySelector('input[type=password]') && location.hash !== '#/login', undefined, { timeout: 30_000 });
}
