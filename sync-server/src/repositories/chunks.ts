// SQLite binds at most 32,766 variables in one statement (SQLITE_MAX_VARIABLE_NUMBER): a list of ids
// in `IN (...)` or of rows in one INSERT beyond that is a 500. Every such list goes through here.
export const MAX_VARIABLES = 32_766;

/** Room for the statement's other parameters, and statements of a sane size. */
const PER_STATEMENT = 10_000;

/** `items` cut into slices whose `perItem` variables each stay within one statement. */
export function chunks<T>(items: readonly T[], perItem = 1): T[][] {
  const size = Math.max(1, Math.floor(Math.min(PER_STATEMENT, MAX_VARIABLES - 100) / perItem));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `query` once per slice of `ids` (deduplicated) and concatenates the rows; callers sort if order matters. */
export async function selectIn<T, R>(ids: readonly T[], query: (slice: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (const slice of chunks([...new Set(ids)])) out.push(...(await query(slice)));
  return out;
}
