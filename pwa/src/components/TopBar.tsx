// The bar on every page: app name, page-specific middle part, sync status, language, guide, account.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { BookOpen, LogOut } from 'lucide-preact';
import { useMessages } from '../i18n';
import { useServices } from '../app/services';
import { hrefOf, navigate } from '../app/router';
import { confirmLeave } from '../state/unsaved';
import { currentUser, logout } from '../state/session';
import { syncStatus } from '../state/sync-status';
import { reportError } from '../app/report-error';
import { LanguageSwitch } from './LanguageSwitch';
import { LogoutDialog } from './LogoutDialog';
import { SyncStatus } from './SyncStatus';
import { Logo } from './Logo';
import { QualityNav } from '../pages/review/QualityNav';
import { SkipLinks, type SkipTarget } from './SkipLinks';

/** `skip`: where the page's skip links lead (default: its main content). */
export function TopBar({ children, skip }: { children?: ComponentChildren; skip?: readonly SkipTarget[] }) {
  const m = useMessages();
  const { store } = useServices();
  const user = currentUser.value;
  const [asking, setAsking] = useState(false);
  const signOut = async () => {
    setAsking(false);
    try {
      await logout(store);
      navigate({ name: 'login' }, { force: true });
    } catch (err) {
      reportError('log out', err);
    }
  };
  return (
    <header class="topbar">
      <SkipLinks targets={skip} />
      {/* Narrow screens hide the name and show only the logo: the link keeps the name to be announced. */}
      <a class="brand" href={hrefOf({ name: user ? 'tasks' : 'login' })} aria-label={m.app.name}>
        <Logo size={24} />
        <span class="brand-name">{m.app.name}</span>
      </a>
      <div class="topbar-middle">{children}</div>
      <div class="topbar-right">
        <QualityNav />
        {user && <SyncStatus />}
        <a class="icon-btn" href={hrefOf({ name: 'docs' })} title={m.app.docs} aria-label={m.app.docs}>
          <BookOpen size={18} aria-hidden="true" />
        </a>
        <LanguageSwitch />
        {user && (
          <button
            type="button"
            class="icon-btn"
            title={`${m.app.logout} (${user.displayName})`}
            aria-label={m.app.logout}
            onClick={() => {
              // Hash links are guarded by the router; signing out asks here (keep or discard the draft first).
              const out = () => {
                // Saves still on the device: say so before they are stranded here.
                if (syncStatus.value.pending > 0) setAsking(true);
                else void signOut();
              };
              if (confirmLeave(out)) out();
            }}
          >
            <LogOut size={18} aria-hidden="true" />
          </button>
        )}
        {asking && <LogoutDialog onLogout={signOut} onClose={() => setAsking(false)} />}
      </div>
    </header>
  );
}
