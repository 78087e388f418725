// `demo`: seeds the generated demo dataset into DATA_DIR, as the server does on its first start.
import { formatCredentials, seedDemo } from '../demo/seed';
import { CliError, type Command } from './registry';

export const demoCommands: Command[] = [
  {
    name: 'demo',
    summary: 'Seeds the demo dataset and accounts (refuses when there are questions already, unless --force).',
    options: {
      password: { type: 'string', value: 'P', description: 'one password for all demo accounts (default: DEMO_PASSWORD, else random)' },
      force: { type: 'boolean', description: 'seed into a database that already has questions (existing accounts keep their passwords)' },
    },
    async run({ options }, ctx) {
      const password = typeof options.password === 'string' ? options.password : process.env.DEMO_PASSWORD || undefined;
      const result = await seedDemo(await ctx.db(), ctx.dataDir, { password, force: options.force === true });
      if (!result.seeded) throw new CliError(`Not seeding: ${result.reason} (use --force to seed anyway)`);
      ctx.out(`Seeded ${result.questions} questions in ${result.tasks} tasks, ${result.images} photos, ${result.cads} CAD models, ${result.gold} gold questions into ${ctx.dataDir}`);
      ctx.out(formatCredentials(result.accounts));
    },
  },
];
