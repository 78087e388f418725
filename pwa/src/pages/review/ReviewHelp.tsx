// The review page's shortcut sheet (`?`), generated from the table the key handler uses.
import { Modal } from '../../components/Modal';
import { REVIEW_BINDINGS } from '../../state/review-keys';
import { useQualityMessages } from './messages';

export function ReviewHelp({ onClose }: { onClose: () => void }) {
  const t = useQualityMessages();
  const label = (l: string) => (l.startsWith('verdict.') ? t.verdicts[l.slice('verdict.'.length) as keyof typeof t.verdicts] : t.review.keys[l] ?? l);
  return (
    <Modal title={t.review.help} onClose={onClose} testId="review-help">
      <dl class="help-list">
        {REVIEW_BINDINGS.map((b) => (
          <div class="help-row" key={b.keys}>
            <dt><kbd>{b.keys}</kbd></dt>
            <dd>{label(b.label)}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
