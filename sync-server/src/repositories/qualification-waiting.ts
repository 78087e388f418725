// Who is waiting to qualify, for the admin dashboard: annotators who must still pass the test, with
// how far they got. Reads attempts and when answers arrived, never the answers' values (SPEC R23).
import type { WaitingAnnotator } from '@in3d/shared/quality';
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/connect';
import { findAttempt, getQualificationSettings, normalTaskIds } from './quality';

export async function waitingToQualify(db: DbOrTrx): Promise<WaitingAnnotator[]> {
  if (!(await getQualificationSettings(db)).required) return [];
  const rows = await sql<{
    id: string; display_name: string; created_at: string; attempts: number; open_id: string | null;
    last_started: string | null; last_submitted: string | null; last_answer: string | null;
  }>`
    SELECT u.id, u.display_name, u.created_at,
           (SELECT COUNT(*) FROM qualification_attempts q WHERE q.user_id = u.id) AS attempts,
           (SELECT q.id FROM qualification_attempts q WHERE q.user_id = u.id AND q.submitted_at IS NULL) AS open_id,
           (SELECT MAX(q.started_at) FROM qualification_attempts q WHERE q.user_id = u.id) AS last_started,
           (SELECT MAX(q.submitted_at) FROM qualification_attempts q WHERE q.user_id = u.id) AS last_submitted,
           (SELECT MAX(a.server_received_at) FROM qualification_answers a WHERE a.user_id = u.id) AS last_answer
    FROM users u
    WHERE u.role = 'annotator' AND u.qualified = 0 AND u.disabled = 0
    ORDER BY u.id`.execute(db);
  const out: WaitingAnnotator[] = [];
  for (const r of rows.rows) {
    const p = r.open_id ? await findAttempt(db, r.open_id) : undefined;
    const times = [r.created_at, r.last_started, r.last_submitted, r.last_answer].filter((x): x is string => !!x);
    out.push({
      userId: r.id,
      displayName: r.display_name,
      state: r.open_id ? 'in_progress' : Number(r.attempts) > 0 ? 'failed' : 'not_started',
      attempts: Number(r.attempts),
      answered: p ? p.answered : null,
      questionCount: p ? p.questionCount : null,
      lockedTasks: (await normalTaskIds(db, r.id)).length,
      lastActivity: times.sort().at(-1)!,
    });
  }
  return out;
}
