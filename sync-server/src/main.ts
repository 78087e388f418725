// `npm start`: open (or create) the SQLite file under DATA_DIR, migrate, seed the demo on first start, serve.
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { migrateToLatest, openDatabase } from './db/connect';

const port = Number(process.env.PORT ?? 8080);
const dataDir = resolve(process.env.DATA_DIR ?? './data');
const staticDir = resolve(process.env.STATIC_DIR ?? './dist');

const { db } = openDatabase(resolve(dataDir, 'annotator.sqlite'));
await migrateToLatest(db);
const app = createApp({ db, dataDir, staticDir });
serve({ fetch: app.fetch, port }, (info) => {
  console.log(`ImageNet3D Annotator on http://localhost:${info.port} (data in ${dataDir})`);
});
