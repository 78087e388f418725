// Picks the quality page for a #/review, #/ab, #/rework, #/qualification or #/admin route, with the
// role each needs (the server checks again; this only avoids showing a page that would answer 403).
import { TopBar } from '../../components/TopBar';
import { currentUser } from '../../state/session';
import { AdminPage } from '../admin/AdminPage';
import { QualificationPage } from '../qualification/QualificationPage';
import { AbPage } from './AbPage';
import { ReviewPage } from './ReviewPage';
import { ReworkPage } from './ReworkPage';
import './quality.css';

export function QualityRoutes({ page, rest }: { page: string; rest: string[] }) {
  const role = currentUser.value?.role;
  const staff = role === 'reviewer' || role === 'admin';
  let body;
  if (page === 'review' && staff) body = <ReviewPage />;
  else if (page === 'ab' && staff) body = <AbPage />;
  else if (page === 'admin' && role === 'admin') body = <AdminPage tab={rest[0]} />;
  else if (page === 'rework') body = <ReworkPage />;
  else if (page === 'qualification') body = <QualificationPage />;
  else body = <main class="page"><p class="note error">403</p></main>;
  return (
    <>
      <TopBar />
      {body}
    </>
  );
}
