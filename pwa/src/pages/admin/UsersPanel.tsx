// Accounts: create (a generated password is shown once), change role, reset password, disable.
// Reset and Disable ask first, naming the account (a mis-click must not lock someone out).
import { useEffect, useState } from 'preact/hooks';
import { ROLES, type Role } from '@in3d/shared/types';
import type { AdminUser } from '@in3d/shared/quality';
import { createUser, listUsers, resetPassword, updateUser } from '../../state/admin';
import { fmt, useQualityMessages } from '../review/messages';

export function UsersPanel() {
  const t = useQualityMessages();
  const u = t.admin.users;
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [form, setForm] = useState({ id: '', role: 'annotator' as Role, password: '' });

  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      setUsers(await listUsers());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => void run(async () => undefined), []);

  const shown = (user: string, password: string | null) => password && setNotice(fmt(u.newPassword, { user, password }));

  return (
    <section class="card q-section q-wide">
      {error && <p class="note error" role="alert">{fmt(t.common.error, { error })}</p>}
      {notice && <p class="note" role="status" data-testid="admin-password">{notice}</p>}
      <form
        class="q-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const r = await createUser({ id: form.id.trim(), role: form.role, password: form.password || undefined });
            shown(r.user.id, r.password);
            setForm({ id: '', role: form.role, password: '' });
          });
        }}
      >
        <label class="field">
          <span>{u.id}</span>
          <input required value={form.id} onInput={(e) => setForm({ ...form, id: (e.target as HTMLInputElement).value })} />
        </label>
        <label class="field">
          <span>{u.role}</span>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: (e.target as HTMLSelectElement).value as Role })}>
            {ROLES.map((r) => <option key={r} value={r}>{u.roles[r]}</option>)}
          </select>
        </label>
        <label class="field">
          <span>{u.password}</span>
          <input type="password" autoComplete="new-password" value={form.password} onInput={(e) => setForm({ ...form, password: (e.target as HTMLInputElement).value })} />
        </label>
        <button type="submit" class="btn btn-primary">{u.create}</button>
      </form>
      <table class="q-table" data-testid="admin-users">
        <thead>
          <tr><th>{u.id}</th><th>{u.name}</th><th>{u.role}</th><th>{u.qualified}</th><th /></tr>
        </thead>
        <tbody>
          {users?.map((x) => (
            <tr key={x.id} data-user={x.id} class={x.disabled ? 'muted' : ''}>
              <td>{x.id}</td>
              <td>{x.displayName}</td>
              <td>
                <select aria-label={`${u.role}: ${x.id}`} value={x.role} onChange={(e) => void run(() => updateUser(x.id, { role: (e.target as HTMLSelectElement).value as Role }))}>
                  {ROLES.map((r) => <option key={r} value={r}>{u.roles[r]}</option>)}
                </select>
              </td>
              <td>
                <input type="checkbox" aria-label={`${u.qualified}: ${x.id}`} checked={x.qualified} onChange={(e) => void run(() => updateUser(x.id, { qualified: (e.target as HTMLInputElement).checked }))} />
              </td>
              <td class="q-actions">
                <button type="button" class="btn btn-ghost btn-sm" onClick={() => confirm(fmt(u.confirmReset, { user: x.id })) && void run(async () => shown(x.id, (await resetPassword(x.id)).password))}>{u.reset}</button>
                <button type="button" class="btn btn-ghost btn-sm" onClick={() => (x.disabled || confirm(fmt(u.confirmDisable, { user: x.id, role: u.roles[x.role] }))) && void run(() => updateUser(x.id, { disabled: !x.disabled }))}>{x.disabled ? u.enable : u.disable}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
