// Every CLI command. To add a group: write sync-server/src/cli/<group>.ts exporting a `Command[]`
// (see registry.ts), import it here and spread it into the list.
import { assignCommands } from './assign';
import { backupCommands } from './backup';
import { demoCommands } from './demo';
import { exportCommands } from './export';
import { importCommands } from './import';
import { meshCommands } from './meshes';
import type { Command } from './registry';
import { userCommands } from './users';

export const commands: Command[] = [
  ...userCommands,
  ...assignCommands,
  ...demoCommands,
  ...importCommands,
  ...exportCommands,
  ...backupCommands,
  ...meshCommands,
];
