// Picks the quality page for a #/review, #/ab, #/rework, #/qualification or #/admin route, with the
// role each needs (the server checks again; this only avoids showing a page that would answer 403).
import { TopBar } from '../../components/TopBar';
import type { Role } from '@in3d/shared/types';
import { currentUser } from '../../state/session';
import { AdminPage } from '../admin/AdminPage';
import { QualificationPage } from '../qualification/QualificationPage';
import { AbPage } from './AbPage';
import { ReviewPage } from './ReviewPage';
import { fmt, useQualityMessages } from './messages';
import { ReworkPage } from './ReworkPage';
import './quality.css';

export function QualityRoutes({ page, rest }: { page: string; rest: string[] }) {
  const t = useQualityMessages();
  const user = currentUser.value;
  const role = user?.role;
  const staff = role === 'reviewer' || role === 'admin';
  let body;
  if (page === 'review' && staff) body = <ReviewPage />;
  else if (page === 'ab' && staff) body = <AbPage />;
  else if (page === 'admin' && role === 'admin') body = <AdminPage tab={rest[0]} />;
  else if (page === 'rework') body = <ReworkPage />;
  else if (page === 'qualification') body = <QualificationPage />;
  else {
    // Say who is signed in and which role the page needs: an import can give an account a role its owner did not expect.
    const needs: Role[] = page === 'admin' ? ['admin'] : ['reviewer', 'admin'];
    const roles = t.admin.users.roles;
    const text = fmt(t.common.forbidden, { roles: needs.map((r) => roles[r]).join(' / '), user: user?.id ?? '—', role: role ? roles[role] : '—' });
    body = <main class="page"><p class="note error" role="alert">{text}</p></main>;
  }
  return (
    <>
      <TopBar />
      {body}
    </>
  );
}
