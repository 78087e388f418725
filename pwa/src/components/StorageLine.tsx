// "Stored on this device: 42 MB of 2.1 GB available · kept" under the task totals.
import { useEffect, useState } from 'preact/hooks';
import { useServices } from '../app/services';
import { fmt, useMessages } from '../i18n';
import { formatBytes } from './format-bytes';
import { reported } from '../app/report-error';

export function StorageLine({ refreshKey }: { refreshKey: number }) {
  const m = useMessages();
  const { store } = useServices();
  const [usage, setUsage] = useState<{ usage: number; quota: number; persisted: boolean } | null>(null);
  useEffect(() => {
    store.storageUsage().then(setUsage, reported('storage estimate'));
  }, [store, refreshKey]);
  if (!usage || usage.quota === 0) return null;
  return (
    <p class="small muted" data-testid="storage-line">
      {fmt(m.tasks.storage, { used: formatBytes(usage.usage), free: formatBytes(Math.max(0, usage.quota - usage.usage)) })}
      {' · '}
      {usage.persisted ? m.tasks.storageKept : m.tasks.storageBestEffort}
    </p>
  );
}
