// Shown when the annotator leaves a question with unsaved changes: says what really happens (the
// draft stays on this device) and offers both honest choices, or staying.
import { useMessages } from '../i18n';
import { answerLeave, leaveRequest } from '../state/unsaved';
import { ChoiceDialog } from './ChoiceDialog';

export function LeaveDialog() {
  const m = useMessages();
  if (!leaveRequest.value) return null;
  return (
    <ChoiceDialog
      title={m.annotate.leaveTitle}
      onCancel={() => void answerLeave('stay')}
      choices={[
        { label: m.annotate.leaveKeep, kind: 'primary', onChoose: () => void answerLeave('keep') },
        { label: m.annotate.leaveDiscard, kind: 'danger', onChoose: () => void answerLeave('discard') },
        { label: m.annotate.leaveStay, onChoose: () => void answerLeave('stay') },
      ]}
    >
      <p>{m.annotate.leaveBody}</p>
    </ChoiceDialog>
  );
}
