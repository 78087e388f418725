// `export jsonl`: one JSON line per question with its current annotation and the full revision history
// (who, when, which device, active time). Poses are in degrees, object units and pixels, as in the API.
import { createWriteStream, openSync } from 'node:fs';
import { once } from 'node:events';
import type { Db } from '../db/connect';
import type { AnnotationRow } from '../db/schema';
import { headsOfQuestions, revisionsOfQuestions, tasksOfQuestions } from '../repositories/exchange';
import { pacer } from '../event-loop';
import { questionPages } from './annotated';
import { ambiguousOf } from '../repositories/annotations';
import { reportsOfQuestions } from '../repositories/question-reports';
import { byQuestion, currentHead } from './current';
import { ExchangeError, type Progress, Reports } from './report';
import type { ExportSummary } from './summary';

function revisionJson(r: AnnotationRow) {
  return {
    id: r.id,
    seq: r.seq,
    userId: r.user_id,
    taskId: r.task_id,
    clientId: r.client_id,
    clientSeq: r.client_seq,
    baseRevisionId: r.base_revision_id,
    source: r.source,
    pose: { azimuth: r.azimuth, elevation: r.elevation, theta: r.theta, distance: r.distance, px: r.px, py: r.py },
    subtype: r.subtype,
    objectStatus: r.object_status,
    dense: r.dense,
    activeMs: r.active_ms,
    ambiguous: ambiguousOf(r.ambiguous_json),
    // R51: a "Clear annotation" revision; its values are the ones cleared.
    cleared: r.cleared === 1,
    clientSavedAt: r.client_saved_at,
    serverReceivedAt: r.server_received_at,
  };
}

/** The lines, page by page, so a large database streams without being held in memory. */
export async function* jsonlLines(db: Db, reports = new Reports(), onProgress?: Progress): AsyncGenerator<string> {
  const pace = pacer();
  for await (const page of questionPages(db, onProgress)) {
    const ids = page.map((q) => q.id);
    const [heads, revisions, tasks, flagged] = [await headsOfQuestions(db, ids), byQuestion(await revisionsOfQuestions(db, ids)), await tasksOfQuestions(db, ids), await reportsOfQuestions(db, ids)];
    for (const q of page) {
      await pace();
      const qHeads = heads.filter((h) => h.questionId === q.id);
      const history = revisions.get(q.id) ?? [];
      const head = currentHead(qHeads, `db:questions/${q.id}`, reports);
      const current = head ? history.find((r) => r.id === head.revisionId) : undefined;
      yield `${JSON.stringify({
        questionId: q.id,
        category: q.category,
        imageId: q.imageId,
        taskIds: tasks.get(q.id) ?? [],
        initial: { pose: q.initialPose, subtype: q.initialSubtype, bbox: q.bbox, viewport: q.viewport },
        current: current ? revisionJson(current) : null,
        heads: qHeads.map((h) => ({ userId: h.userId, revisionId: h.revisionId, conflictRevisionId: h.conflictRevisionId })),
        revisions: history.map(revisionJson),
        // R50: annotators' notes and problem flags on the question itself.
        reports: (flagged.get(q.id) ?? []).map((r) => ({ id: r.id, userId: r.userId, taskId: r.taskId, problem: r.problem, note: r.note, createdAt: r.createdAt, resolvedAt: r.resolvedAt })),
      })}\n`;
    }
  }
}

export async function exportJsonl(db: Db, o: { file: string; onProgress?: Progress }): Promise<ExportSummary> {
  const started = Date.now();
  const reports = new Reports();
  let fd: number;
  try {
    fd = openSync(o.file, 'w');
  } catch (e) {
    throw new ExchangeError(`Cannot write ${o.file}: ${(e as Error).message}`);
  }
  const out = createWriteStream('', { fd });
  let written = 0;
  try {
    for await (const line of jsonlLines(db, reports, o.onProgress)) {
      if (!out.write(line)) await once(out, 'drain');
      written++;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { kind: 'jsonl', target: o.file, questions: written, written, byReason: reports.byReason(), reports: reports.items, durationMs: Date.now() - started };
}
