// `assign <taskId> <userId>`: gives a user a task (idempotent).
import { assignTask } from '../repositories/catalogue';
import { taskExists } from '../repositories/tasks';
import { findUser } from '../repositories/users';
import { CliError, type Command } from './registry';

export const assignCommands: Command[] = [
  {
    name: 'assign',
    summary: 'Assigns a task to a user.',
    args: ['taskId', 'userId'],
    async run({ args }, ctx) {
      const taskId = args.taskId!, userId = args.userId!;
      const db = await ctx.db();
      if (!(await taskExists(db, taskId))) throw new CliError(`No task ${taskId}`);
      if (!(await findUser(db, userId))) throw new CliError(`No user ${userId}`);
      await assignTask(db, taskId, userId);
      ctx.out(`Task ${taskId} is assigned to ${userId}`);
    },
  },
];
