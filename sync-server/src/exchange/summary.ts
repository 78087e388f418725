// The result of an import or export: counts for people, every problem for scripts (`--json`), and a
// short human rendering for the terminal.
import { formatReports, type Reason, type Report } from './report';
import type { NewAccount } from './users';

export interface ImportSummary {
  /** What was imported: the original tool's folder, release files, or CAD models alone (an upload only). */
  kind: 'legacy' | 'imagenet3d' | 'cad';
  source: string;
  database?: string;
  users: { created: NewAccount[]; existing: string[] };
  tasks: { found: number; imported: number; qualityTasksSkipped?: number };
  questions: { found: number; imported: number; notImported: number };
  photos: { stored: number; missing: number };
  annotations: { found: number; imported: number; alreadyPresent: number };
  /** Models encoded in this run, and models already in the database (kept as they are). */
  cadModels: { categories: number; imported: number; kept: number };
  byReason: Partial<Record<Reason, number>>;
  reports: Report[];
  durationMs: number;
}

export interface ExportSummary {
  kind: 'npz' | 'jsonl' | 'release' | 'coco';
  target: string;
  questions: number;
  written: number;
  byReason: Partial<Record<Reason, number>>;
  reports: Report[];
  durationMs: number;
}

const IMPORTED: Record<ImportSummary['kind'], string> = { legacy: "the original tool's data", imagenet3d: 'ImageNet3D release files', cad: 'CAD models' };

export function formatImportSummary(s: ImportSummary, limit = 5): string[] {
  const lines = [
    `Imported ${IMPORTED[s.kind]} from ${s.source} in ${(s.durationMs / 1000).toFixed(1)} s`,
    `  questions: ${s.questions.imported} imported of ${s.questions.found}${s.questions.notImported ? ` (${s.questions.notImported} not imported, see below)` : ''}`,
    `  tasks: ${s.tasks.imported}${s.tasks.qualityTasksSkipped ? ` (+${s.tasks.qualityTasksSkipped} quality-check tasks skipped)` : ''}`,
    `  annotations: ${s.annotations.imported} imported, ${s.annotations.alreadyPresent} already present, of ${s.annotations.found} saved files`,
    `  photos: ${s.photos.stored} stored, ${s.photos.missing} missing`,
    `  CAD models: ${s.cadModels.imported} imported, ${s.cadModels.kept} already present, for ${s.cadModels.categories} categories`,
  ];
  if (s.users.existing.length) lines.push(`  users already present (unchanged): ${s.users.existing.join(', ')}`);
  if (s.users.created.length) {
    lines.push(`  new users and their one-time passwords (shown only now; change with "user passwd"):`);
    for (const u of s.users.created) lines.push(`    ${u.id}\t${u.password}${u.qualified ? '\t(qualified)' : ''}`);
  }
  if (s.reports.length) lines.push(`Problems (${s.reports.length}):`, ...formatReports(s.reports, limit));
  else lines.push('No problems.');
  return lines;
}

export function formatExportSummary(s: ExportSummary, limit = 5): string[] {
  const lines = [`Exported ${s.written} ${s.kind === 'npz' ? 'files' : 'lines'} of ${s.questions} questions to ${s.target} in ${(s.durationMs / 1000).toFixed(1)} s`];
  if (s.reports.length) lines.push(`Notes (${s.reports.length}):`, ...formatReports(s.reports, limit));
  return lines;
}
