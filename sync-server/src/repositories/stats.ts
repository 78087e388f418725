// The admin dashboard's figures: progress, throughput, active time, inter-annotator agreement and
// accuracy on gold questions. SQL gathers rows; the ImageNet3D metrics (shared/src/metrics.ts) score them.
import { accuracyAt, cohensKappa, compare, median } from '@in3d/shared/metrics';
import type { AbChoice, DashboardStats, GoldAccuracy, PairAgreement, QuestionResult, ReviewVerdict } from '@in3d/shared/quality';
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/connect';
import { reworkOpen } from './rework';
import { goldReferences } from './gold';
import { QUALIFICATION_TASK_KIND } from './quality';
import { waitingToQualify } from './qualification-waiting';
import { toAnswer } from './reviews';

type HeadRow = {
  question_id: string; user_id: string; azimuth: number; elevation: number; theta: number; distance: number; px: number; py: number;
  subtype: number; object_status: string; dense: string; ambiguous_json: string | null;
};

function agreementOf(pairs: Array<[HeadRow, HeadRow]>): Omit<PairAgreement, 'userA' | 'userB'> {
  const cmp = pairs.map(([a, b]) => compare(toAnswer(a), toAnswer(b)));
  const rot = cmp.map((c) => c.rotationDeg);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
  return {
    n: pairs.length,
    medianRotationDeg: median(rot),
    accAtPi6: accuracyAt(rot),
    meanCentrePx: mean(cmp.map((c) => c.centrePx)),
    medianDistanceRatio: median(cmp.map((c) => c.distanceRatio)),
    subtypeAgreement: mean(cmp.map((c) => (c.subtypeMatch ? 1 : 0))),
    kappaObjectStatus: cohensKappa(pairs.map(([a, b]) => [a.object_status, b.object_status] as const)),
    kappaDense: cohensKappa(pairs.map(([a, b]) => [a.dense, b.dense] as const)),
  };
}

/** Pairs of annotators who both have a current annotation of the same object (qualification answers excluded). */
async function agreement(db: DbOrTrx): Promise<DashboardStats['agreement']> {
  const rows = await sql<HeadRow>`
    SELECT h.question_id, h.user_id, a.azimuth, a.elevation, a.theta, a.distance, a.px, a.py, a.subtype, a.object_status, a.dense, a.ambiguous_json
    FROM annotated_heads h JOIN annotations a ON a.id = h.revision_id
    LEFT JOIN tasks t ON t.id = a.task_id
    WHERE (t.kind IS NULL OR t.kind != ${QUALIFICATION_TASK_KIND})
      AND h.question_id IN (SELECT question_id FROM annotated_heads GROUP BY question_id HAVING COUNT(*) >= 2)
    ORDER BY h.question_id, h.user_id`.execute(db);
  const byQuestion = new Map<string, HeadRow[]>();
  for (const r of rows.rows) byQuestion.set(r.question_id, [...(byQuestion.get(r.question_id) ?? []), r]);
  const byPair = new Map<string, Array<[HeadRow, HeadRow]>>();
  const all: Array<[HeadRow, HeadRow]> = [];
  for (const heads of byQuestion.values())
    for (let i = 0; i < heads.length; i++)
      for (let j = i + 1; j < heads.length; j++) {
        const pair: [HeadRow, HeadRow] = [heads[i]!, heads[j]!];
        const key = `${pair[0].user_id}\u0000${pair[1].user_id}`;
        byPair.set(key, [...(byPair.get(key) ?? []), pair]);
        all.push(pair);
      }
  const pairs = [...byPair].map(([key, ps]) => {
    const [userA, userB] = key.split('\u0000') as [string, string];
    return { userA, userB, ...agreementOf(ps) };
  });
  return { pairs, overall: agreementOf(all) };
}

const accuracyOf = (errors: Map<string, number[]>): GoldAccuracy[] =>
  [...errors].map(([userId, e]) => ({ userId, n: e.length, accAtPi6: accuracyAt(e), medianRotationDeg: median(e) }));

/**
 * Acc@π/6 of each annotator on gold questions hidden in regular tasks: their newest revision of each
 * (qualification answers are not revisions, R23). Parameters either side marks ambiguous are ignored (R40).
 */
async function goldAccuracy(db: DbOrTrx): Promise<GoldAccuracy[]> {
  const rows = await sql<HeadRow>`
    SELECT a.question_id, a.user_id, a.azimuth, a.elevation, a.theta, a.distance, a.px, a.py, a.subtype, a.object_status, a.dense, a.ambiguous_json
    FROM annotations a
    WHERE a.question_id IN (SELECT question_id FROM gold_questions)
      AND a.seq = (SELECT MAX(b.seq) FROM annotations b WHERE b.question_id = a.question_id AND b.user_id = a.user_id)
      AND a.cleared = 0
    ORDER BY a.user_id`.execute(db);
  const refs = await goldReferences(db, [...new Set(rows.rows.map((r) => r.question_id))]);
  const errors = new Map<string, number[]>();
  for (const r of rows.rows) {
    const ref = refs.get(r.question_id);
    if (!ref) continue;
    errors.set(r.user_id, [...(errors.get(r.user_id) ?? []), compare(toAnswer(r), ref).rotationDeg]);
  }
  return accuracyOf(errors);
}

/** Acc@π/6 of each annotator over every scored answer of their submitted qualification attempts. */
async function qualificationAccuracy(db: DbOrTrx): Promise<GoldAccuracy[]> {
  const rows = await db
    .selectFrom('qualification_attempts')
    .select(['user_id', 'results_json'])
    .where('results_json', 'is not', null)
    .orderBy('user_id')
    .orderBy('number')
    .execute();
  const errors = new Map<string, number[]>();
  for (const r of rows) {
    const results = JSON.parse(r.results_json!) as QuestionResult[];
    errors.set(r.user_id, [...(errors.get(r.user_id) ?? []), ...results.map((x) => x.rotationDeg)]);
  }
  return accuracyOf(errors);
}

export async function dashboardStats(db: DbOrTrx): Promise<DashboardStats> {
  const perTask = await sql<{ id: string; name: string; kind: string; total: number; assignees: number; done: number }>`
    SELECT t.id, t.name, t.kind,
           (SELECT COUNT(*) FROM task_questions tq WHERE tq.task_id = t.id) AS total,
           (SELECT COUNT(*) FROM assignments a WHERE a.task_id = t.id) AS assignees,
           (SELECT COUNT(*) FROM assignments a JOIN task_questions tq ON tq.task_id = a.task_id
              JOIN annotated_heads h ON h.question_id = tq.question_id AND h.user_id = a.user_id
            WHERE a.task_id = t.id) AS done
    FROM tasks t ORDER BY t.created_at, t.id`.execute(db);

  const perAnnotator = await sql<{ user_id: string; assigned: number; done: number; revisions: number; active: number }>`
    SELECT u.id AS user_id,
           (SELECT COUNT(*) FROM assignments a JOIN task_questions tq ON tq.task_id = a.task_id WHERE a.user_id = u.id) AS assigned,
           (SELECT COUNT(*) FROM annotated_heads h WHERE h.user_id = u.id) AS done,
           (SELECT COUNT(*) FROM annotations a WHERE a.user_id = u.id) AS revisions,
           (SELECT COALESCE(SUM(m), 0) FROM (SELECT MAX(active_ms) AS m FROM annotations a WHERE a.user_id = u.id GROUP BY a.question_id)) AS active
    FROM users u WHERE u.role = 'annotator' OR EXISTS (SELECT 1 FROM annotations a WHERE a.user_id = u.id)
    ORDER BY u.id`.execute(db);

  // A save counts on the (UTC) day it was made: the device's time (an offline or imported save reaches the
  // server later), unless that is after the server got it, which only a clock running ahead gives (as reviews.ts savedAt).
  const savedJulian = sql`MIN(COALESCE(julianday(client_saved_at), julianday(server_received_at)), julianday(server_received_at))`;
  const throughput = await sql<{ day: string; revisions: number; first: number }>`
    SELECT day, SUM(revisions) AS revisions, SUM(first) AS first FROM (
      SELECT date(${savedJulian}) AS day, COUNT(*) AS revisions, 0 AS first FROM annotations GROUP BY day
      UNION ALL
      SELECT day, 0, COUNT(*) FROM (
        SELECT date(MIN(${savedJulian})) AS day FROM annotations GROUP BY question_id, user_id
      ) GROUP BY day
    ) GROUP BY day ORDER BY day`.execute(db);

  // activeMs is the time spent on the question; a later save carries at least as much, so take the max.
  const activeTime = await sql<{ user_id: string; question_id: string; active: number }>`
    SELECT a.user_id, a.question_id, MAX(a.active_ms) AS active
    FROM annotations a JOIN annotated_heads h ON h.question_id = a.question_id AND h.user_id = a.user_id -- R51: not a cleared one
    GROUP BY a.user_id, a.question_id ORDER BY a.user_id, a.question_id`.execute(db);

  const reviews = await sql<{ verdict: ReviewVerdict; count: number; open: number }>`
    SELECT r.verdict, COUNT(*) AS count,
           SUM(${reworkOpen}) AS open
    FROM reviews r GROUP BY r.verdict ORDER BY r.verdict`.execute(db);
  const ab = await sql<{ choice: AbChoice; count: number }>`SELECT choice, COUNT(*) AS count FROM ab_judgements GROUP BY choice ORDER BY choice`.execute(db);

  return {
    perTask: perTask.rows.map((t) => ({
      taskId: t.id, name: t.name, kind: t.kind, total: Number(t.total), assignees: Number(t.assignees), done: Number(t.done),
      possible: Number(t.total) * Number(t.assignees),
    })),
    perAnnotator: perAnnotator.rows.map((u) => ({
      userId: u.user_id, assigned: Number(u.assigned), done: Number(u.done), revisions: Number(u.revisions), activeMsTotal: Number(u.active),
    })),
    throughput: throughput.rows.map((d) => ({ day: d.day, revisions: Number(d.revisions), newAnnotations: Number(d.first) })),
    activeTime: activeTime.rows.map((a) => ({ userId: a.user_id, questionId: a.question_id, activeMs: Number(a.active) })),
    agreement: await agreement(db),
    gold: await goldAccuracy(db),
    qualificationGold: await qualificationAccuracy(db),
    waiting: await waitingToQualify(db),
    reviews: reviews.rows.map((r) => ({ verdict: r.verdict, count: Number(r.count), openRework: Number(r.open) })),
    ab: ab.rows.map((r) => ({ choice: r.choice, count: Number(r.count) })),
  };
}
