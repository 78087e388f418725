// What an import or export could not do, file by file. Every problem is named by path and reason so
// a person can fix the source and re-run; the human summary shows counts and the first few paths,
// `--json` carries everything.

export const REASONS = {
  missing_photo: 'photo not found (question imported without it)',
  damaged_photo: 'damaged photo: not a JPEG/PNG or too many pixels (question imported without it), or cut off before its end (stored as it is)',
  missing_annotation_file: 'initial annotation file not found (question not imported)',
  initial_file_replaced: "initial annotation file not found; the saved annotation's keys were used as the initial values",
  missing_key: 'a key is missing from the file (a default was used, or the item skipped)',
  bad_value: 'a value has the wrong type or is out of range',
  cad_index_missing: 'no cad_index (subtype 1 used)',
  cad_index_out_of_range: 'cad_index names no CAD model of the category (subtype 1 used)',
  missing_cad_models: 'no CAD models for the category in the --cad folder',
  unreadable_file: 'file could not be read or parsed',
  unsafe_path: 'a path or name from the dataset leads outside it (.., absolute, a symlink out, a NUL byte): skipped',
  unfinished_with_saved_file: 'the database calls the question unfinished but a saved annotation exists (imported)',
  finished_without_saved_file: 'the database calls the question finished but no saved annotation exists',
  unknown_annotator: 'the saved file names an annotator who is not in the database',
  unknown_task: 'the question belongs to a task the database does not list',
  image_size_unknown: 'no height/width in the file and no readable photo (question not imported)',
  saved_file_changed: 'the saved annotation differs from the one imported earlier (earlier import kept)',
  quality_task_skipped: "the original's quality-check tasks are not imported",
  existing_user: 'the user already exists (left unchanged, no new password)',
  user_id_collision: 'an imported user id belongs to an existing account of another origin (not merged; choose a prefix or the same person)',
  user_renamed: 'an imported user id existed already; the imported person got the prefixed id',
  same_person: 'an imported user is an existing account, as the admin said',
  cad_model_conflict: 'a subtype number already holds a different mesh (not reused; choose a category prefix)',
  conflict_open: 'two devices disagree on this annotation; the current head was exported',
  several_annotators: 'several annotators saved this question; the latest save was exported',
  write_failed: 'the output file could not be written',
  prefix_not_used: "a prefix the upload named has no use in this archive's layout (ignored)",
} as const;

export type Reason = keyof typeof REASONS;

export interface Report {
  /** The file (or database row, as `db:<table>/<id>`) concerned. */
  path: string;
  reason: Reason;
  message: string;
}

export class Reports {
  readonly items: Report[] = [];
  add(path: string, reason: Reason, message: string = REASONS[reason]): void {
    this.items.push({ path, reason, message });
  }
  count(reason?: Reason): number {
    return reason ? this.items.filter((r) => r.reason === reason).length : this.items.length;
  }
  byReason(): Partial<Record<Reason, number>> {
    const out: Partial<Record<Reason, number>> = {};
    for (const r of this.items) out[r.reason] = (out[r.reason] ?? 0) + 1;
    return out;
  }
}

/** Lines for a terminal: one block per reason with its count and the first `limit` paths. */
export function formatReports(reports: readonly Report[], limit = 5): string[] {
  const groups = new Map<Reason, Report[]>();
  for (const r of reports) {
    const list = groups.get(r.reason);
    if (list) list.push(r);
    else groups.set(r.reason, [r]);
  }
  const lines: string[] = [];
  for (const [reason, items] of groups) {
    lines.push(`  ${reason} (${items.length}): ${REASONS[reason]}`);
    for (const r of items.slice(0, limit)) lines.push(`    ${r.path}${r.message === REASONS[reason] ? '' : ` — ${r.message}`}`);
    if (items.length > limit) lines.push(`    … and ${items.length - limit} more (see --json)`);
  }
  return lines;
}

/** Progress of a long run; the CLI draws it as a bar, the admin endpoint ignores it. */
export type Progress = (done: number, total: number, label: string) => void;

/** A run that cannot start (no such folder, not a database): the CLI shows it, the endpoint answers 400. */
export class ExchangeError extends Error {
  override name = 'ExchangeError';
}

/**
 * The import would merge identities (a user id, a CAD subtype) that the admin has not said are the same;
 * it stopped before writing anything. The CLI prints the message, the endpoint answers 409 with the list.
 */
export class ImportConflict extends ExchangeError {
  override name = 'ImportConflict';
  constructor(readonly conflicts: Report[]) {
    const users = conflicts.some((c) => c.reason === 'user_id_collision');
    const cads = conflicts.some((c) => c.reason === 'cad_model_conflict');
    super(
      [
        `Nothing was imported: ${conflicts.length} conflict(s) with what the server holds already.`,
        ...conflicts.map((c) => `  ${c.path}: ${c.message}`),
        ...(users ? ['For users choose a prefix for the imported people (--user-prefix legacy-, or the Import page\'s prefix field) or say who is the same person (--same-person alice or alice=account-id).'] : []),
        ...(cads ? ['For CAD models choose a prefix for the imported categories (--category-prefix legacy-, or the Import page\'s field), so each keeps the meshes its dataset meant.'] : []),
      ].join('\n'),
    );
  }
}
