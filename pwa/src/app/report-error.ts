// The one way the PWA reports a failure: logged once to the console (with where it happened) and shown
// in the error toast. Callers that can show the failure in place still report it here, so nothing is lost.
import { signal } from '@preact/signals';
import { RequestError } from '../data/contract';

export interface ReportedError {
  id: number;
  /** Where it happened, for the log (e.g. "editor: store history"). */
  where: string;
  /** What the user reads. */
  message: string;
  at: number;
}

const MAX_SHOWN = 3;
/** The newest failures, newest last; the toast shows them until dismissed. */
export const reportedErrors = signal<ReportedError[]>([]);
let nextId = 1;

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err); // a cyclic object: its tag is all we can print
  }
}

/** Logs and shows `err`; answers the message so a caller can also show it in place. */
export function reportError(where: string, err: unknown): string {
  const message = errorMessage(err);
  // A signed-out request is shown once, by the session banner (sign in again), not as a failure here.
  if (err instanceof RequestError && err.kind === 'unauthorized') {
    console.warn(`[in3d] ${where}: signed out:`, message);
    return message;
  }
  console.error(`[in3d] ${where}:`, err);
  const same = reportedErrors.value.find((e) => e.where === where && e.message === message);
  const entry: ReportedError = { id: same?.id ?? nextId++, where, message, at: Date.now() };
  reportedErrors.value = [...reportedErrors.value.filter((e) => e !== same), entry].slice(-MAX_SHOWN);
  return message;
}

export function dismissError(id: number): void {
  reportedErrors.value = reportedErrors.value.filter((e) => e.id !== id);
}

/** `promise.catch(reported('where'))`: reports and resolves to undefined (for fire-and-forget calls). */
export const reported =
  (where: string) =>
  (err: unknown): undefined => {
    reportError(where, err);
    return undefined;
  };
