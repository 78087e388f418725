// Which annotation of a question an export writes: the head moved most recently. A question saved by
// several annotators, or with two devices in conflict, is exported all the same and noted.
import type { AnnotationRow } from '../db/schema';
import type { ExportHead } from '../repositories/exchange';
import type { Reports } from './report';

export function currentHead(heads: readonly ExportHead[], where: string, reports: Reports): ExportHead | undefined {
  if (heads.length === 0) return undefined;
  const latest = heads.reduce((a, b) => (b.updatedSeq > a.updatedSeq ? b : a));
  if (heads.length > 1) reports.add(where, 'several_annotators', `${heads.map((h) => h.userId).join(', ')} saved it; ${latest.userId}'s latest save was exported`);
  if (latest.conflictRevisionId) reports.add(where, 'conflict_open', `revisions ${latest.revisionId} and ${latest.conflictRevisionId} disagree; ${latest.revisionId} exported`);
  return latest;
}

/** Revisions grouped by question, in server order. */
export function byQuestion(rows: readonly AnnotationRow[]): Map<string, AnnotationRow[]> {
  const out = new Map<string, AnnotationRow[]>();
  for (const r of rows) {
    const list = out.get(r.question_id);
    if (list) list.push(r);
    else out.set(r.question_id, [r]);
  }
  return out;
}
