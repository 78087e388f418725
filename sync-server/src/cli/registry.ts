// A tiny command registry for `npm run cli -- <command>`. A command group is one file exporting a
// `Command[]`; register it by adding it to the list in sync-server/src/cli.ts.
import { parseArgs } from 'node:util';
import type { Db } from '../db/connect';

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  /** How the value is shown in the usage line, e.g. 'annotator|reviewer|admin'. */
  value?: string;
}

export interface CommandInput {
  /** Positional arguments by name; optional ones may be undefined. */
  args: Record<string, string | undefined>;
  options: Record<string, string | boolean | undefined>;
}

export interface CliContext {
  dataDir: string;
  out(line: string): void;
  /** Opens DATA_DIR's database (migrated) on first use; closed when the command ends. */
  db(): Promise<Db>;
}

export interface Command {
  /** The words that select it, e.g. 'user add'. */
  name: string;
  summary: string;
  /** Positional arguments in order; a trailing '?' makes one optional ('userId?'). */
  args?: readonly string[];
  options?: Record<string, OptionSpec>;
  run(input: CommandInput, ctx: CliContext): Promise<void>;
}

/** An expected failure: the message is shown without a stack trace and the exit code is 2. */
export class CliError extends Error {}

export function usageOf(cmd: Command): string {
  const args = (cmd.args ?? []).map((a) => (a.endsWith('?') ? `[${a.slice(0, -1)}]` : `<${a}>`));
  const opts = Object.entries(cmd.options ?? {}).map(([k, o]) => (o.type === 'boolean' ? `[--${k}]` : `[--${k} ${o.value ?? '<value>'}]`));
  return [cmd.name, ...args, ...opts].join(' ');
}

export function helpText(commands: readonly Command[]): string {
  const lines = ['Usage: npm run cli -- <command> [arguments] [options]', '', 'Commands:'];
  for (const cmd of commands) {
    lines.push(`  ${usageOf(cmd)}`, `      ${cmd.summary}`);
    for (const [k, o] of Object.entries(cmd.options ?? {})) lines.push(`      --${k}: ${o.description}`);
  }
  lines.push('', 'DATA_DIR (default ./data) selects the data folder, as for the server.');
  return lines.join('\n');
}

/** The command whose name words are the longest prefix of argv, and the rest of argv. */
export function findCommand(commands: readonly Command[], argv: readonly string[]): { cmd: Command; rest: string[] } | undefined {
  let best: { cmd: Command; rest: string[] } | undefined;
  for (const cmd of commands) {
    const words = cmd.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.cmd.name.split(' ').length))
      best = { cmd, rest: argv.slice(words.length) };
  }
  return best;
}

export function parseInput(cmd: Command, rest: string[]): CommandInput {
  const options = Object.fromEntries(Object.entries(cmd.options ?? {}).map(([k, o]) => [k, { type: o.type }]));
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${(e as Error).message}\nUsage: ${usageOf(cmd)}`);
  }
  const specs = cmd.args ?? [];
  const required = specs.filter((a) => !a.endsWith('?')).length;
  if (parsed.positionals.length < required || parsed.positionals.length > specs.length)
    throw new CliError(`${cmd.name} takes ${required === specs.length ? required : `${required} to ${specs.length}`} argument(s), got ${parsed.positionals.length}\nUsage: ${usageOf(cmd)}`);
  const args: Record<string, string | undefined> = {};
  specs.forEach((a, i) => (args[a.replace(/\?$/, '')] = parsed.positionals[i]));
  return { args, options: parsed.values as CommandInput['options'] };
}

/** Runs one command line; returns the exit code (0 ok, 2 usage or expected error, 1 crash). */
export async function runCli(
  argv: readonly string[],
  commands: readonly Command[],
  env: { dataDir: string; out?: (line: string) => void; err?: (line: string) => void; openDb: (dataDir: string) => Promise<{ db: Db; close(): Promise<void> }> },
): Promise<number> {
  const out = env.out ?? ((l: string) => console.log(l));
  const err = env.err ?? ((l: string) => console.error(l));
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? err : out)(helpText(commands));
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(commands, argv);
  if (!found) {
    err(`Unknown command: ${argv.join(' ')}\n\n${helpText(commands)}`);
    return 2;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    out(`Usage: ${usageOf(found.cmd)}\n${found.cmd.summary}`);
    return 0;
  }
  let opened: { db: Db; close(): Promise<void> } | undefined;
  const ctx: CliContext = {
    dataDir: env.dataDir,
    out,
    db: async () => (opened ??= await env.openDb(env.dataDir)).db,
  };
  try {
    await found.cmd.run(parseInput(found.cmd, found.rest), ctx);
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      err(`Error: ${e.message}`);
      return 2;
    }
    err(`Unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  } finally {
    await opened?.close();
  }
}
