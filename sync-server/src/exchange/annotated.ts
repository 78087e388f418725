// The current annotation of every question that has one, page by page (the walk the release and
// COCO exports share): the question, its current revision, and the file keys the original tool saved.
import type { Db } from '../db/connect';
import type { AnnotationRow } from '../db/schema';
import { pacer } from '../event-loop';
import { type ExportQuestion, headsOfQuestions, listQuestionsPage, revisionsOfQuestions } from '../repositories/exchange';
import { byQuestion, currentHead } from './current';
import type { Progress, Reports } from './report';

const PAGE = 500;

export interface Annotated {
  q: ExportQuestion;
  rev: AnnotationRow;
}

/** Every question, PAGE at a time in id order (a large database streams), with progress after each page. */
export async function* questionPages(db: Db, onProgress?: Progress): AsyncGenerator<ExportQuestion[]> {
  let after: string | null = null, done = 0;
  const pace = pacer();
  for (;;) {
    await pace();
    const page = await listQuestionsPage(db, after, PAGE);
    if (page.length === 0) return;
    after = page[page.length - 1]!.id;
    yield page;
    done += page.length;
    onProgress?.(done, done, 'questions');
  }
}

export async function* annotatedQuestions(db: Db, reports: Reports, onProgress?: Progress): AsyncGenerator<Annotated> {
  const pace = pacer();
  for await (const page of questionPages(db, onProgress)) {
    const ids = page.map((q) => q.id);
    const heads = await headsOfQuestions(db, ids);
    const revs = byQuestion(await revisionsOfQuestions(db, ids));
    for (const q of page) {
      await pace();
      const head = currentHead(heads.filter((h) => h.questionId === q.id), `db:questions/${q.id}`, reports);
      const rev = head && (revs.get(q.id) ?? []).find((r) => r.id === head.revisionId);
      if (rev) yield { q, rev };
    }
  }
}
