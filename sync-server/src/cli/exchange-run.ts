// Shared by the import and export commands: a progress bar on a terminal, a summary (or --json) at the end.
import { progressBar } from '../exchange/progress-bar';
import { ExchangeError } from '../exchange/report';
import { type CliContext, CliError } from './registry';

export type OnProgress = (done: number, total: number, label: string) => void;

export async function runExchange<S>(ctx: CliContext, json: boolean, work: (onProgress: OnProgress) => Promise<S>, format: (summary: S) => Iterable<string>): Promise<void> {
  const bar = progressBar();
  let summary: S;
  try {
    summary = await work(json ? () => undefined : bar.update);
  } catch (e) {
    if (e instanceof ExchangeError) throw new CliError(e.message);
    throw e;
  } finally {
    bar.done();
  }
  if (json) ctx.out(JSON.stringify(summary, null, 2));
  else for (const line of format(summary)) ctx.out(line);
}
