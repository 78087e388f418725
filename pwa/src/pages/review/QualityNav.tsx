// Links to the quality pages in the top bar, by role: reviewers and admins get Review and A/B (admins
// also Admin); annotators get Rework with its open count, and the qualification test until they pass.
import { useEffect, useState } from 'preact/hooks';
import { ClipboardCheck, Columns2, GraduationCap, LayoutDashboard, Wrench } from 'lucide-preact';
import { currentUser } from '../../state/session';
import { route } from '../../app/router';
import { useServices } from '../../app/services';
import { qualificationStatus } from '../../state/qualification';
import { listRework } from '../../state/review';
import { useMessages } from '../../i18n';
import { reportError } from '../../app/report-error';
import { qualityHref } from './routes';
import './quality-nav.css';

export function QualityNav() {
  const m = useMessages();
  const { store } = useServices();
  const user = currentUser.value;
  const r = route.value;
  const [rework, setRework] = useState(0);
  const [needsTest, setNeedsTest] = useState(false);
  const here = r.name === 'quality' ? r.page : r.name;

  useEffect(() => {
    if (!user || user.role !== 'annotator') return;
    let alive = true;
    // Offline the count is the one kept on the device; a device that never fetched it shows none.
    listRework(store).then(({ items }) => alive && setRework(items.filter((x) => !x.closed).length), (err: unknown) => navigator.onLine && reportError('quality nav: rework count', err));
    qualificationStatus(store).then((s) => alive && setNeedsTest(s.state !== 'qualified' && s.state !== 'not_required'), () => alive && setNeedsTest(!user.qualified));
    return () => {
      alive = false;
    };
  }, [user?.id, here]);

  if (!user) return null;
  const link = (page: string, label: string, icon: preact.ComponentChild, badge?: number) => (
    // The label may be hidden on a narrow bar (tablet held upright): the link keeps it as its name.
    <a class={`q-nav-link${here === page ? ' is-active' : ''}`} href={qualityHref(page)} aria-label={label} title={label} aria-current={here === page ? 'page' : undefined}>
      {icon}
      <span class="q-nav-label">{label}</span>
      {badge ? <span class="badge badge-warn" data-testid={`nav-${page}-count`}>{badge}</span> : null}
    </a>
  );
  return (
    <nav class="q-nav" aria-label="Quality">
      {user.role === 'annotator' && needsTest && link('qualification', m.qualityNav.qualification, <GraduationCap size={16} aria-hidden="true" />)}
      {user.role === 'annotator' && link('rework', m.qualityNav.rework, <Wrench size={16} aria-hidden="true" />, rework)}
      {user.role !== 'annotator' && link('review', m.qualityNav.review, <ClipboardCheck size={16} aria-hidden="true" />)}
      {user.role !== 'annotator' && link('ab', m.qualityNav.ab, <Columns2 size={16} aria-hidden="true" />)}
      {user.role === 'admin' && link('admin', m.qualityNav.admin, <LayoutDashboard size={16} aria-hidden="true" />)}
    </nav>
  );
}
