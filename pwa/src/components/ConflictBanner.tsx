// Another device saved a different answer: show it (as the ghost overlay) and let the user choose.
import { GitCompare } from 'lucide-preact';
import { useMessages } from '../i18n';

export function ConflictBanner({ onKeep }: { onKeep(which: 'mine' | 'theirs'): void }) {
  const m = useMessages();
  return (
    <div class="banner banner-warn" role="alert">
      <GitCompare size={16} aria-hidden="true" />
      <span>{m.annotate.conflictHint}</span>
      <button type="button" class="btn btn-sm btn-primary" onClick={() => onKeep('mine')}>
        {m.annotate.keepMine}
      </button>
      <button type="button" class="btn btn-sm btn-ghost" onClick={() => onKeep('theirs')}>
        {m.annotate.keepTheirs}
      </button>
    </div>
  );
}
