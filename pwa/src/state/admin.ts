// The admin dashboard's calls: accounts, tasks, gold questions, qualification settings, statistics.
import type { AdminQuestion, AdminTask, QuestionReportInfo, AdminUser, DashboardStats, GoldQuestion, QualificationSettings, ReferenceAnswer } from '@in3d/shared/quality';
import type { Role } from '@in3d/shared/types';
import { api } from './api';

const enc = encodeURIComponent;

export const listUsers = async () => api<AdminUser[]>('GET', '/api/admin/users');
export const createUser = async (u: { id: string; role: Role; displayName?: string; password?: string }) =>
  api<{ user: AdminUser; password: string | null }>('POST', '/api/admin/users', u);
export const updateUser = async (id: string, patch: { role?: Role; disabled?: boolean; qualified?: boolean; displayName?: string }) =>
  api<AdminUser>('PATCH', `/api/admin/users/${enc(id)}`, patch);
export const resetPassword = async (id: string, password?: string) =>
  api<{ password: string | null }>('POST', `/api/admin/users/${enc(id)}/password`, password ? { password } : {});

export const listTasks = async () => api<AdminTask[]>('GET', '/api/admin/tasks');
export const createTask = async (t: { id?: string; name: string; questionIds: string[]; assignees: string[] }) =>
  api<AdminTask>('POST', '/api/admin/tasks', t);
export const assignTask = async (taskId: string, userId: string) =>
  api<AdminTask>('POST', `/api/admin/tasks/${enc(taskId)}/assignees`, { userId });
export const unassignTask = async (taskId: string, userId: string) =>
  api<AdminTask>('DELETE', `/api/admin/tasks/${enc(taskId)}/assignees/${enc(userId)}`);
export const reassignTask = async (taskId: string, from: string, to: string) =>
  api<AdminTask>('POST', `/api/admin/tasks/${enc(taskId)}/reassign`, { from, to });

export interface QuestionQuery {
  category?: string;
  annotator?: string;
  task?: string;
  status?: 'open' | 'annotated' | 'conflict';
  limit?: number;
  offset?: number;
}

export const listQuestions = async (q: QuestionQuery = {}) => {
  const qs = new URLSearchParams();
  for (const k of ['category', 'annotator', 'task', 'status'] as const) if (q[k]) qs.set(k, q[k]);
  qs.set('limit', String(q.limit ?? 200));
  qs.set('offset', String(q.offset ?? 0));
  return api<{ total: number; questions: AdminQuestion[] }>('GET', `/api/admin/questions?${qs}`);
};

export const listGold = async () => api<GoldQuestion[]>('GET', '/api/admin/gold');
export const markGold = async (questionId: string, reference?: ReferenceAnswer) =>
  api<GoldQuestion>('POST', '/api/admin/gold', reference ? { questionId, reference } : { questionId });
export const setGoldLabels = async (questionId: string, labels: Pick<ReferenceAnswer, 'objectStatus' | 'dense'>) =>
  api<GoldQuestion>('PATCH', `/api/admin/gold/${enc(questionId)}`, labels);
export const unmarkGold = async (questionId: string) => api<{ ok: true }>('DELETE', `/api/admin/gold/${enc(questionId)}`);

export const getSettings = async () => api<QualificationSettings>('GET', '/api/admin/settings/qualification');
export const saveSettings = async (s: QualificationSettings) => api<QualificationSettings>('PUT', '/api/admin/settings/qualification', s);

export const getStats = async () => api<DashboardStats>('GET', '/api/admin/stats');

/** SPEC R50: open notes and problem flags (reviewers and admins). */
export const listOpenReports = async () => api<QuestionReportInfo[]>('GET', '/api/reports?open=1');
export const resolveReport = async (id: string) => api<{ ok: true }>('POST', `/api/admin/reports/${enc(id)}/resolve`);
export interface AuditEntry { at: string; actor: string; action: string; target: string; status: number }
export const listAudit = async () => api<AuditEntry[]>('GET', '/api/admin/audit');
