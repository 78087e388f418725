// The admin dashboard's calls: accounts, tasks, gold questions, qualification settings, statistics.
import type { AdminQuestion, AdminTask, AdminUser, DashboardStats, GoldQuestion, QualificationSettings, ReferenceAnswer } from '@in3d/shared/quality';
import type { Role } from '@in3d/shared/types';
import { apiJson, unwrap } from './review-http';

const enc = encodeURIComponent;

export const listUsers = async () => unwrap(await apiJson<AdminUser[]>('GET', '/api/admin/users'));
export const createUser = async (u: { id: string; role: Role; displayName?: string; password?: string }) =>
  unwrap(await apiJson<{ user: AdminUser; password: string | null }>('POST', '/api/admin/users', u));
export const updateUser = async (id: string, patch: { role?: Role; disabled?: boolean; qualified?: boolean; displayName?: string }) =>
  unwrap(await apiJson<AdminUser>('PATCH', `/api/admin/users/${enc(id)}`, patch));
export const resetPassword = async (id: string, password?: string) =>
  unwrap(await apiJson<{ password: string | null }>('POST', `/api/admin/users/${enc(id)}/password`, password ? { password } : {}));

export const listTasks = async () => unwrap(await apiJson<AdminTask[]>('GET', '/api/admin/tasks'));
export const createTask = async (t: { id?: string; name: string; questionIds: string[]; assignees: string[] }) =>
  unwrap(await apiJson<AdminTask>('POST', '/api/admin/tasks', t));
export const assignTask = async (taskId: string, userId: string) =>
  unwrap(await apiJson<AdminTask>('POST', `/api/admin/tasks/${enc(taskId)}/assignees`, { userId }));
export const unassignTask = async (taskId: string, userId: string) =>
  unwrap(await apiJson<AdminTask>('DELETE', `/api/admin/tasks/${enc(taskId)}/assignees/${enc(userId)}`));
export const reassignTask = async (taskId: string, from: string, to: string) =>
  unwrap(await apiJson<AdminTask>('POST', `/api/admin/tasks/${enc(taskId)}/reassign`, { from, to }));

export const listQuestions = async (q: { category?: string; limit?: number; offset?: number } = {}) => {
  const qs = new URLSearchParams();
  if (q.category) qs.set('category', q.category);
  qs.set('limit', String(q.limit ?? 200));
  qs.set('offset', String(q.offset ?? 0));
  return unwrap(await apiJson<{ total: number; questions: AdminQuestion[] }>('GET', `/api/admin/questions?${qs}`));
};

export const listGold = async () => unwrap(await apiJson<GoldQuestion[]>('GET', '/api/admin/gold'));
export const markGold = async (questionId: string, reference?: ReferenceAnswer) =>
  unwrap(await apiJson<GoldQuestion>('POST', '/api/admin/gold', reference ? { questionId, reference } : { questionId }));
export const unmarkGold = async (questionId: string) => unwrap(await apiJson<{ ok: true }>('DELETE', `/api/admin/gold/${enc(questionId)}`));

export const getSettings = async () => unwrap(await apiJson<QualificationSettings>('GET', '/api/admin/settings/qualification'));
export const saveSettings = async (s: QualificationSettings) => unwrap(await apiJson<QualificationSettings>('PUT', '/api/admin/settings/qualification', s));

export const getStats = async () => unwrap(await apiJson<DashboardStats>('GET', '/api/admin/stats'));

export interface AuditEntry { at: string; actor: string; action: string; target: string; status: number }
export const listAudit = async () => unwrap(await apiJson<AuditEntry[]>('GET', '/api/admin/audit'));
