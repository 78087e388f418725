// The app's one polite live region (app/announce.ts): present from the start, so a change is read out.
import { announcement } from '../app/announce';

export function LiveRegion() {
  const a = announcement.value;
  return (
    <div class="sr-only" role="status" aria-live="polite" data-testid="live-region">
      <span key={a.n}>{a.text}</span>
    </div>
  );
}
