// `export npz` and `export jsonl`: results in the formats training code already reads.
import { resolve } from 'node:path';
import { exportJsonl } from '../exchange/export-jsonl';
import { exportNpz } from '../exchange/export-npz';
import { progressBar } from '../exchange/progress-bar';
import { ExchangeError } from '../exchange/report';
import { type ExportSummary, formatExportSummary } from '../exchange/summary';
import { type CliContext, CliError, type Command } from './registry';

async function run(ctx: CliContext, json: boolean, work: (onProgress: (d: number, t: number, l: string) => void) => Promise<ExportSummary>) {
  const bar = progressBar();
  let summary: ExportSummary;
  try {
    summary = await work(json ? () => undefined : bar.update);
  } catch (e) {
    if (e instanceof ExchangeError) throw new CliError(e.message);
    throw e;
  } finally {
    bar.done();
  }
  if (json) ctx.out(JSON.stringify(summary, null, 2));
  else for (const line of formatExportSummary(summary)) ctx.out(line);
}

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
];
