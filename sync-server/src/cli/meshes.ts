// `meshes upgrade`: re-encodes the CAD meshes still stored in format 1 as format 2 (exchange/upgrade-meshes.ts).
import { upgradeV1Meshes } from '../exchange/upgrade-meshes';
import { CliError, type Command } from './registry';

export const meshCommands: Command[] = [
  {
    name: 'meshes upgrade',
    summary: 'Re-encodes CAD meshes stored in mesh format 1 as format 2 (smaller on the wire, faster to open); safe to run again.',
    options: { json: { type: 'boolean', description: 'print what was re-encoded (and what failed) as JSON' } },
    async run({ options }, ctx) {
      const db = await ctx.db();
      const { upgraded, failed } = await db.transaction().execute((trx) => upgradeV1Meshes(trx));
      const from = upgraded.reduce((n, u) => n + u.fromBytes, 0), to = upgraded.reduce((n, u) => n + u.toBytes, 0);
      if (options.json === true) ctx.out(JSON.stringify({ upgraded, failed }, null, 2));
      else ctx.out(upgraded.length === 0 ? 'No mesh in format 1: nothing to do.' : `Re-encoded ${upgraded.length} mesh(es) from format 1 to format 2 (${from} → ${to} bytes).`);
      if (failed.length > 0)
        throw new CliError(`${failed.length} format-1 mesh(es) do not decode and were left as they are:\n${failed.map((f) => `  ${f.category} subtype ${f.subtype}: ${f.error}`).join('\n')}`);
    },
  },
];
