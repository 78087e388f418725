// What each verdict means, on the page (the original quality page had these next to its buttons).
import { REVIEW_VERDICTS } from '@in3d/shared/quality';
import { verdictKey } from '../../state/review-keys';
import { useQualityMessages } from './messages';

export function VerdictGuide() {
  const t = useQualityMessages();
  return (
    <details class="q-guide" open data-testid="verdict-guide">
      <summary>{t.review.definitions}</summary>
      <dl>
        {REVIEW_VERDICTS.map((v) => (
          <div key={v} class="q-guide-row">
            <dt id={`verdict-def-${v}`}><kbd>{verdictKey(v)}</kbd> {t.verdicts[v]}</dt>
            <dd id={`verdict-help-${v}`}>{t.review.defs[v]}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
