// `import legacy` and `import imagenet3d`: bring the original tool's data or ImageNet3D release files
// into DATA_DIR. A progress bar on a terminal; `--json` prints the whole summary for scripts.
import { resolve } from 'node:path';
import { importImagenet3d } from '../exchange/imagenet3d';
import { importLegacy } from '../exchange/legacy';
import { formatImportSummary, type ImportSummary } from '../exchange/summary';
import { cadFolderOf } from '../exchange/upload-import';
import { parseSamePerson } from '../exchange/users';
import { type OnProgress, runExchange } from './exchange-run';
import type { CliContext, Command } from './registry';

const run = (ctx: CliContext, json: boolean, work: (onProgress: OnProgress) => Promise<ImportSummary>) => runExchange(ctx, json, work, formatImportSummary);

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

export const importCommands: Command[] = [
  {
    name: 'import legacy',
    summary: "Imports the original Flask tool's data folder: annotators, tasks, questions, photos, saved annotations.",
    args: ['dataDir'],
    options: {
      cad: { type: 'string', description: 'the CAD folder, <cad>/<category>/<NN>.off (default: cad/ inside the folder, if there is one)' },
      db: { type: 'string', description: "the original's database (default <dataDir>/database.sqlite)" },
      'user-prefix': { type: 'string', value: '<prefix>', description: 'an imported annotator whose id names an existing account becomes <prefix><id> (without it such an import stops)' },
      'same-person': { type: 'string', value: 'alice[=account],…', description: 'imported annotators who ARE the existing account (alice, or alice=account-id)' },
      'category-prefix': { type: 'string', value: '<prefix>', description: "store the dataset's categories as <prefix><category> (when its CAD models differ from the server's)" },
      json: { type: 'boolean', description: 'print the whole summary as JSON (every problem, by path and reason)' },
    },
    async run({ args, options }, ctx) {
      const db = await ctx.db();
      const cad = str(options.cad), legacyDb = str(options.db), source = resolve(args.dataDir!);
      await run(ctx, options.json === true, (onProgress) =>
        importLegacy(db, {
          source,
          cadDir: cad ? resolve(cad) : cadFolderOf(source),
          legacyDb: legacyDb && resolve(legacyDb),
          dataDir: ctx.dataDir,
          identity: { userPrefix: str(options['user-prefix']), samePerson: parseSamePerson(str(options['same-person'])) },
          categoryPrefix: str(options['category-prefix']),
          onProgress,
        }),
      );
    },
  },
  {
    name: 'import imagenet3d',
    summary: 'Imports ImageNet3D release files (<dir>/<category>/<stem>.npz, a pickled list of objects): one question per object.',
    args: ['dir'],
    options: {
      cad: { type: 'string', description: 'the CAD folder, <cad>/<category>/<NN>.off (default: cad/ inside the folder, if there is one)' },
      'as-annotated': { type: 'boolean', description: "also store each object's pose and labels as a finished annotation" },
      annotator: { type: 'string', description: 'who those annotations are attributed to (default imagenet3d; created if new)' },
      'category-prefix': { type: 'string', value: '<prefix>', description: "store the release's categories as <prefix><category> (when its CAD models differ from the server's)" },
      json: { type: 'boolean', description: 'print the whole summary as JSON' },
    },
    async run({ args, options }, ctx) {
      const db = await ctx.db();
      const cad = str(options.cad), source = resolve(args.dir!);
      await run(ctx, options.json === true, (onProgress) =>
        importImagenet3d(db, {
          source,
          cadDir: cad ? resolve(cad) : cadFolderOf(source),
          dataDir: ctx.dataDir,
          asAnnotated: options['as-annotated'] === true,
          annotator: str(options.annotator),
          categoryPrefix: str(options['category-prefix']),
          onProgress,
        }),
      );
    },
  },
];
