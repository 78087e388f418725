// Set by the annotate page while the draft differs from the last save; read by the navigation guard
// and the update prompt. Drafts are stored on the device as they change, so leaving never loses them:
// the leave dialog says exactly that and offers the two honest choices, keep the draft or discard it.
import { signal } from '@preact/signals';

export const unsavedChanges = signal(false);

/** A navigation waiting for the annotator's answer; the leave dialog shows while it is set. */
export const leaveRequest = signal<{ proceed: () => void } | null>(null);

let discarder: (() => Promise<void>) | null = null;
/** The annotate page registers how to drop the open question's draft ("Discard changes"). */
export function setDraftDiscarder(fn: (() => Promise<void>) | null): void {
  discarder = fn;
}

/** True when it is fine to leave now; otherwise asks, and `proceed` runs if the annotator leaves. */
export function confirmLeave(proceed: () => void): boolean {
  if (!unsavedChanges.value) return true;
  leaveRequest.value = { proceed };
  return false;
}

export async function answerLeave(choice: 'keep' | 'discard' | 'stay'): Promise<void> {
  const req = leaveRequest.value;
  leaveRequest.value = null;
  if (!req || choice === 'stay') return;
  if (choice === 'discard' && discarder) await discarder();
  unsavedChanges.value = false;
  req.proceed();
}
