// The admin dashboard: statistics, accounts, tasks, gold questions and qualification settings, import/export, as tabs
// addressed by the URL (#/admin/<tab>).
import { useQualityMessages } from '../review/messages';
import { qualityHref } from '../review/routes';
import { DashboardPanel } from './DashboardPanel';
import { ExchangePanel } from './ExchangePanel';
import { GoldPanel } from './GoldPanel';
import { TasksPanel } from './TasksPanel';
import { UsersPanel } from './UsersPanel';

const TABS = ['dashboard', 'users', 'tasks', 'gold', 'exchange'] as const;
type Tab = (typeof TABS)[number];

export function AdminPage({ tab }: { tab: string | undefined }) {
  const t = useQualityMessages();
  const current: Tab = (TABS as readonly string[]).includes(tab ?? '') ? (tab as Tab) : 'dashboard';
  return (
    <main class="page q-page q-admin">
      <div class="page-head">
        <h1>{t.admin.title}</h1>
        <nav class="segmented q-tabs" aria-label={t.admin.title}>
          {TABS.map((x) => (
            <a key={x} class={`seg${x === current ? ' on' : ''}`} href={qualityHref('admin', [x])} aria-current={x === current ? 'page' : undefined}>
              {t.admin.tabs[x]}
            </a>
          ))}
        </nav>
      </div>
      {current === 'dashboard' && <DashboardPanel />}
      {current === 'users' && <UsersPanel />}
      {current === 'tasks' && <TasksPanel />}
      {current === 'gold' && <GoldPanel />}
      {current === 'exchange' && <ExchangePanel />}
    </main>
  );
}
