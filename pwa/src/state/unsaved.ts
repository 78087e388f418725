// Set by the annotate page while the draft differs from the last save; read by the navigation guard,
// beforeunload and the update prompt (which must never reload over unsaved work).
import { signal } from '@preact/signals';

export const unsavedChanges = signal(false);
