// Over plain http on a LAN address the browser withholds the service worker (no offline start, no
// install), persistent storage (IndexedDB may be evicted) and Web Locks: say so instead of failing
// quietly. localhost counts as secure, so development never sees this.
import { useState } from 'preact/hooks';
import { fmt, useMessages } from '../i18n';

export function InsecureContextBanner() {
  const m = useMessages();
  const [hidden, setHidden] = useState(false);
  if (hidden || globalThis.isSecureContext !== false) return null;
  return (
    <div class="insecure-banner" role="alert" data-testid="insecure-context">
      <strong>{m.insecure.title}</strong>
      <span>{fmt(m.insecure.body, { origin: location.origin })}</span>
      <button type="button" class="btn btn-ghost btn-sm" onClick={() => setHidden(true)}>
        {m.insecure.dismiss}
      </button>
    </div>
  );
}
