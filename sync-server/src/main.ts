// `npm start`: open (or create) the SQLite file under DATA_DIR, migrate, seed the demo on first start, serve.
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { meshCopies } from './files/mesh-copies';
import { dataDirFromEnv, openDataDir } from './cli/context';
import { formatCredentials, seedDemo } from './demo/seed';
import { countQuestions } from './repositories/catalogue';
import { deleteExpiredSessions } from './repositories/sessions';
import { countUsers } from './repositories/users';
import { log } from './log';
import { parseTrustProxy } from './middleware/client-ip';

const port = Number(process.env.PORT ?? 8080);
/** The listening address: all interfaces by default (a lab LAN); HOST=127.0.0.1 keeps it to this machine. */
const hostname = process.env.HOST || undefined;
const trustProxy = parseTrustProxy(process.env.TRUST_PROXY);
const allowedOrigins = (process.env.ALLOWED_ORIGINS ?? '')
  .split(',')
  .map((o) => o.trim())
  .filter(Boolean);
/** Expired sessions are deleted at start and then this often while running. */
const SESSION_PRUNE_MS = 60 * 60_000;
const dataDir = dataDirFromEnv();
const staticDir = resolve(process.env.STATIC_DIR ?? './dist');

const opened = await openDataDir(dataDir);
const { db } = opened;

// First start only: an empty database gets the demo, so there is something to try at once.
if ((await countUsers(db)) === 0 && (await countQuestions(db)) === 0) {
  log.info({ dataDir }, 'empty database: seeding the demo dataset');
  const result = await seedDemo(db, dataDir, { password: process.env.DEMO_PASSWORD || undefined });
  if (result.seeded) {
    log.info({ questions: result.questions, tasks: result.tasks, images: result.images, cads: result.cads, gold: result.gold }, 'demo seeded');
    // Printed, not logged: the passwords belong on the operator's terminal, not in a log pipeline.
    process.stdout.write(`${formatCredentials(result.accounts)}\n`);
  }
}
await deleteExpiredSessions(db);
const pruning = setInterval(() => {
  deleteExpiredSessions(db).then(
    (n) => log.info({ deleted: n }, 'expired sessions pruned'),
    (err: unknown) => log.error({ err }, 'pruning expired sessions failed'),
  );
}, SESSION_PRUNE_MS);
pruning.unref();

const copies = meshCopies(db, dataDir);
const app = createApp({ db, dataDir, staticDir, trustProxy, allowedOrigins, log, meshCopies: copies });
const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
  log.info({ port: info.port, address: info.address, dataDir, staticDir, trustProxy, allowedOrigins }, `ImageNet3D Annotator on http://localhost:${info.port}`);
  // Meshes imported by the CLI or before an upgrade get their brotli copies now, behind any request.
  copies.fillMissing();
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  // Stop accepting, let in-flight requests finish, then close SQLite so the WAL is checkpointed.
  server.close(async (err) => {
    if (err) log.error({ err }, 'closing the HTTP server failed');
    await opened.close();
    log.info('bye');
    process.exit(err ? 1 : 0);
  });
  // Keep-alive connections can hold close() open; do not hang forever.
  setTimeout(() => {
    log.warn('forcing exit after 10 s');
    process.exit(1);
  }, 10_000).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
