// `export npz`, `export jsonl`, `export release` and `export coco`: results in the formats training code already reads.
import { resolve } from 'node:path';
import { exportJsonl } from '../exchange/export-jsonl';
import { exportCocoFile } from '../exchange/export-coco';
import { exportNpz } from '../exchange/export-npz';
import { exportRelease } from '../exchange/export-release';
import { type ExportSummary, formatExportSummary } from '../exchange/summary';
import { type OnProgress, runExchange } from './exchange-run';
import type { CliContext, Command } from './registry';

const run = (ctx: CliContext, json: boolean, work: (onProgress: OnProgress) => Promise<ExportSummary>) => runExchange(ctx, json, work, formatExportSummary);

export const exportCommands: Command[] = [
  {
    name: 'export npz',
    summary: 'Writes annotations_new/<category>/<stem>.npz for every annotated question, as the original tool did.',
    args: ['outDir'],
    options: { json: { type: 'boolean', description: 'print the summary as JSON' } },
    async run({ args, options }, ctx) {
      const db = await ctx.db();
      await run(ctx, options.json === true, (onProgress) => exportNpz(db, { outDir: resolve(args.outDir!), onProgress }));
    },
  },
  {
    name: 'export jsonl',
    summary: 'Writes one JSON line per question: current annotation and full revision history.',
    args: ['file'],
    options: { json: { type: 'boolean', description: 'print the summary as JSON' } },
    async run({ args, options }, ctx) {
      const db = await ctx.db();
      await run(ctx, options.json === true, (onProgress) => exportJsonl(db, { file: resolve(args.file!), onProgress }));
    },
  },
  {
    name: 'export release',
    summary: 'Writes the ImageNet3D release layout: <category>/<image>.npz whose key `annotations` lists its objects.',
    args: ['outDir'],
    options: { json: { type: 'boolean', description: 'print the summary as JSON' } },
    async run({ args, options }, ctx) {
      const db = await ctx.db();
      await run(ctx, options.json === true, (onProgress) => exportRelease(db, { outDir: resolve(args.outDir!), onProgress }));
    },
  },
  {
    name: 'export coco',
    summary: 'Writes COCO-style JSON: images, categories, one annotation per object with 3D pose, cad_index and labels.',
    args: ['file'],
    options: { json: { type: 'boolean', description: 'print the summary as JSON' } },
    async run({ args, options }, ctx) {
      const db = await ctx.db();
      await run(ctx, options.json === true, (onProgress) => exportCocoFile(db, { file: resolve(args.file!), onProgress }));
    },
  },
];
