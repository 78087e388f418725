// Who may see and change what, decided in one place: role, assignment and qualification. Routes call
// these after requireUser() and before they answer, so every method a route serves gets the same
// decision (Hono answers HEAD with the GET handler, minus the body): nothing here matches paths or
// rewrites another route's response.
import type { SessionUser, TaskSummary } from '@in3d/shared/types';
import { HTTPException } from 'hono/http-exception';
import type { DbOrTrx } from '../db/connect';
import { imageInAssignedTask, needsQualification, QUALIFICATION_TASK_KIND, taskKinds } from '../repositories/quality';
import { isAssigned, listAssignedTasks } from '../repositories/tasks';

type User = Pick<SessionUser, 'id' | 'role' | 'qualified'>;

/** A 403 whose `code` becomes the `error` field of the JSON answer (see app.onError). */
export class AccessDenied extends HTTPException {
  constructor(message: string, readonly code: 'http_error' | 'qualification_required' = 'http_error') {
    super(403, { message });
  }
}

export const LOCKED = 'Pass the qualification test first: your tasks unlock when you do';

/** The tasks a user works on, with progress and open rework; while they must qualify, only qualification tasks. */
export async function visibleTasks(db: DbOrTrx, user: User): Promise<TaskSummary[]> {
  return listAssignedTasks(db, user.id, (await needsQualification(db, user)) ? QUALIFICATION_TASK_KIND : undefined);
}

/**
 * Whether a task is closed to someone who must still qualify (`mustQualify`, from needsQualification):
 * every task but a qualification task. The sync route rejects saves to it (R7) with the same rule.
 */
export async function isLocked(db: DbOrTrx, mustQualify: boolean, taskId: string): Promise<boolean> {
  return mustQualify && (await taskKinds(db, [taskId])).get(taskId) !== QUALIFICATION_TASK_KIND;
}

/** @throws AccessDenied unless the user may open the task: staff any, an annotator an assigned one that is not locked. */
export async function assertMayOpenTask(db: DbOrTrx, user: User, taskId: string): Promise<void> {
  if (user.role !== 'annotator') return;
  if (!(await isAssigned(db, taskId, user.id))) throw new AccessDenied(`Task ${taskId} is not assigned to you`);
  if (await isLocked(db, await needsQualification(db, user), taskId))
    throw new AccessDenied(`${LOCKED} (task ${taskId})`, 'qualification_required');
}

/** @throws AccessDenied unless the user may see (`write` false) or submit a qualification attempt: staff see anyone's, only its annotator submits. */
export function assertMayUseAttempt(user: User, attempt: { id: string; userId: string }, write: boolean): void {
  if (attempt.userId !== user.id && (write || user.role === 'annotator')) throw new AccessDenied(`Attempt ${attempt.id} is not yours`);
}

/** @throws AccessDenied unless the user may fetch the photo: staff any, an annotator one in a task they may open. */
export async function assertMayFetchImage(db: DbOrTrx, user: User, imageId: string): Promise<void> {
  if (user.role !== 'annotator') return;
  if (!(await imageInAssignedTask(db, user.id, imageId, await needsQualification(db, user))))
    throw new AccessDenied(`Photo ${imageId} is not in a task assigned to you`);
}
