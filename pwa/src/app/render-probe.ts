// Counts component renders by name, only when a browser test asks for it (it sets
// `window.__in3dRenders = {}` before the app loads): the proof that a pose step re-renders the
// viewport and the changed control, not the page. A no-op for users.
const counts = (globalThis as { __in3dRenders?: Record<string, number> }).__in3dRenders;

export function countRender(name: string): void {
  if (counts) counts[name] = (counts[name] ?? 0) + 1;
}
