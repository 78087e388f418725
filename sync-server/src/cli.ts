// `npm run cli -- <command>` (tsx sync-server/src/cli.ts). Commands are listed in cli/commands.ts.
import { commands } from './cli/commands';
import { dataDirFromEnv, openDataDir } from './cli/context';
import { CLI_BUSY_TIMEOUT_MS } from './db/connect';
import { runCli } from './cli/registry';

process.exitCode = await runCli(process.argv.slice(2), commands, { dataDir: dataDirFromEnv(), openDb: (dir) => openDataDir(dir, { busyTimeoutMs: CLI_BUSY_TIMEOUT_MS }) });
