// The "Install app" button, where the browser offers installation; a one-line hint on iOS Safari.
import { useState } from 'preact/hooks';
import { MonitorDown } from 'lucide-preact';
import { useMessages } from '../i18n';
import { installPrompt, installed, isIosSafari, promptInstall } from '../app/install';
import { reported } from '../app/report-error';

export function InstallButton() {
  const m = useMessages();
  const [busy, setBusy] = useState(false);
  if (installed.value) return null;
  if (installPrompt.value) {
    return (
      <button
        type="button"
        class="btn btn-ghost btn-sm"
        data-testid="install-app"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          promptInstall()
            .catch(reported('install prompt'))
            .finally(() => setBusy(false));
        }}
      >
        <MonitorDown size={14} aria-hidden="true" /> {m.install.button}
      </button>
    );
  }
  if (isIosSafari()) return <p class="small muted">{m.install.iosHint}</p>;
  return null;
}
