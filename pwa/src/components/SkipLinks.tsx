// "Skip to …" links, the first Tab stops of every page, shown only while focused (WAI: bypass blocks).
// The app's routes live in the hash, so a link moves focus itself instead of following `#id`.
import { useMessages } from '../i18n';
import { focusSelector } from '../app/focus';

export interface SkipTarget {
  label: string;
  /** What to focus (an id's selector is also the link's address). */
  selector: string;
}

export function SkipLinks({ targets }: { targets?: readonly SkipTarget[] }) {
  const m = useMessages();
  const list = targets ?? [{ label: m.app.skipToMain, selector: 'main' }];
  return (
    <div class="skip-links">
      {list.map((t) => (
        <a
          key={t.selector}
          class="skip-link"
          href={t.selector.startsWith('#') ? t.selector : `#${t.selector}`}
          onClick={(e) => {
            e.preventDefault();
            focusSelector(t.selector);
          }}
        >
          {t.label}
        </a>
      ))}
    </div>
  );
}
