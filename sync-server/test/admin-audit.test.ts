import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../src/repositories/audit';
import { type AdminWorld, createAdminWorld } from './admin-world';

let w: AdminWorld;
beforeAll(async () => {
  w = await createAdminWorld('audit');
});
afterAll(() => w.close());

describe('admin audit log', () => {
  it('records who did what and when for successful admin changes only; admins only can read it', async () => {
    expect((await w.call('ann', 'PATCH', '/api/admin/users/root', { disabled: true })).status).toBe(403);
    expect((await w.call('ann', 'GET', '/api/admin/audit')).status).toBe(403);
    expect((await w.call('root', 'PATCH', '/api/admin/users/ann', { disabled: true })).status).toBe(200);
    expect((await w.call('root', 'PATCH', '/api/admin/users/nobody', { disabled: true })).status).toBe(404);
    await w.call('root', 'GET', '/api/admin/users');
    const res = await w.call('root', 'GET', '/api/admin/audit');
    expect(res.status).toBe(200);
    const log = (await res.json()) as AuditEntry[];
    expect(log.map((e) => [e.actor, e.action, e.target])).toEqual([['root', 'PATCH', 'users/ann']]);
    expect(Date.now() - Date.parse(log[0]!.at)).toBeLessThan(60_000);
  });
});
