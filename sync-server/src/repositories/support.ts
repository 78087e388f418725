// The support/contact link the admin sets (the original tool had one): one row of the settings table.
import type { DbOrTrx } from '../db/connect';

const KEY = 'support';

export interface SupportSettings {
  /** An http(s) or mailto: link; null when none is set. */
  url: string | null;
}

export async function getSupportSettings(db: DbOrTrx): Promise<SupportSettings> {
  const row = await db.selectFrom('settings').select('value_json').where('key', '=', KEY).executeTakeFirst();
  if (!row) return { url: null };
  const v = JSON.parse(row.value_json) as Partial<SupportSettings>;
  return { url: typeof v.url === 'string' ? v.url : null };
}

export async function saveSupportSettings(db: DbOrTrx, value: SupportSettings, by: string): Promise<void> {
  const row = { value_json: JSON.stringify(value), updated_at: new Date().toISOString(), updated_by: by };
  await db.insertInto('settings').values({ key: KEY, ...row }).onConflict((oc) => oc.column('key').doUpdateSet(row)).execute();
}
