// Timestamps the steps of a save (store → transaction → commit → status), only when a benchmark asks for
// it (it sets `window.__in3dSaveMarks = []` before the app loads): where the time to "Saved on device"
// goes. A no-op for users.
const marks = (globalThis as { __in3dSaveMarks?: [string, number][] }).__in3dSaveMarks;

export function markSave(step: string): void {
  marks?.push([step, performance.now()]);
}
