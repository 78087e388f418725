// Routes to pages. Signed-out users see the login page, except for the guide, which is always open.
import { useEffect } from 'preact/hooks';
import { useMessages } from '../i18n';
import { currentUser } from '../state/session';
import { useServices } from './services';
import { hrefOf, navigate, route, startRouter, type Route } from './router';
import { useSyncStatusFeed } from '../state/sync-status';
import { TopBar } from '../components/TopBar';
import { UpdatePrompt } from '../components/UpdatePrompt';
import { LeaveDialog } from '../components/LeaveDialog';
import { InsecureContextBanner } from '../components/InsecureContextBanner';
import { SessionBanner } from '../components/SessionBanner';
import { ErrorToast } from '../components/ErrorToast';
import { LoginPage } from '../pages/LoginPage';
import { TasksPage } from '../pages/TasksPage';
import { DocsPage } from '../pages/DocsPage';
import { AnnotatePage } from '../pages/AnnotatePage';
import { LiveRegion } from '../components/LiveRegion';
import { lazyComponent } from './lazy';
import { focusWhenShown } from './focus';

const QualityRoutes = lazyComponent(
  () => import('../pages/review/QualityRoutes').then((mod) => mod.QualityRoutes),
  () => <p class="page muted">…</p>,
);

/** Where the app was opened, signed out, when the login page took over. */
let wanted: Route | null = null;
/** Somebody signed in since the page loaded: a later login page is a log out, not a deep link. */
let signedInHere = false;
/** The page last shown (its route, the annotate page by task): focus moves only when it changes. */
let shownPage: string | null = null;

export function App() {
  const m = useMessages();
  const { store } = useServices();
  useSyncStatusFeed(store);
  useEffect(() => startRouter(), []);

  const r = route.value;
  const user = currentUser.value;
  const needsLogin = user === null && r.name !== 'docs' && r.name !== 'login';
  // The one place that leaves the login page after a sign-in: back to the link the app was opened at
  // (a bookmarked question), else the tasks. After a log out the next user starts at the tasks.
  useEffect(() => {
    if (user) signedInHere = true;
    if (needsLogin) {
      wanted = signedInHere || r.name === 'tasks' || r.name === 'notFound' ? null : r;
      navigate({ name: 'login' }, { replace: true, force: true });
    } else if (user && r.name === 'login') {
      navigate(wanted ?? { name: 'tasks' }, { replace: true, force: true });
      wanted = null;
    }
  }, [needsLogin, user, r.name]);

  // A new page (a sign-in included) takes focus to its main heading, which a screen reader then reads; the
  // login page to its first field; the annotate page to its workspace (not a text field: the keys keep
  // working), where each new question is announced instead (AnnotatePage). The page the app opened on keeps focus as it is.
  const pageKey = r.name === 'annotate' ? `annotate:${r.taskId}` : hrefOf(r);
  useEffect(() => {
    if (user === undefined) return;
    if (!shownPage) return void (shownPage = pageKey);
    if (shownPage === pageKey) return;
    shownPage = pageKey;
    return focusWhenShown(r.name === 'annotate' ? 'main.workspace' : r.name === 'login' ? 'input[name="userId"]' : 'main h1');
  }, [pageKey, user === undefined]);

  let page;
  if (user === undefined) page = <p class="page muted">{m.app.loading}</p>;
  else if (r.name === 'docs') page = (
    <>
      <TopBar />
      <DocsPage />
    </>
  );
  else if (r.name === 'login' || !user) page = (
    <>
      <TopBar />
      <LoginPage />
    </>
  );
  else if (r.name === 'tasks') page = (
    <>
      <TopBar />
      <TasksPage />
    </>
  );
  else if (r.name === 'annotate') page = <AnnotatePage taskId={r.taskId} number={r.number} />;
  else if (r.name === 'quality') page = <QualityRoutes page={r.page} rest={r.rest} />;
  else page = (
    <>
      <TopBar />
      <main class="page">
        <p>{m.app.notFound}</p>
        <a class="btn btn-ghost" href={hrefOf({ name: 'tasks' })}>
          {m.app.goHome}
        </a>
      </main>
    </>
  );

  return (
    <div class="app">
      <InsecureContextBanner />
      <SessionBanner />
      {page}
      <UpdatePrompt />
      <LeaveDialog />
      <ErrorToast />
      <LiveRegion />
    </div>
  );
}
