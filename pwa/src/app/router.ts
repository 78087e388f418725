// Hash routes (the service worker serves one index.html for every path, and hash links work offline
// and from the file cache). The unsaved-changes guard sits on every way out of a page.
import { signal } from '@preact/signals';
import { confirmLeave } from '../state/unsaved';
import { isQualityPage, qualityHref } from '../pages/review/routes';

export type Route =
  | { name: 'login' }
  | { name: 'tasks' }
  | { name: 'docs' }
  | { name: 'annotate'; taskId: string; number: number }
  | { name: 'quality'; page: string; rest: string[] }
  | { name: 'notFound' };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts[0] === 'tasks' && parts.length === 1)) return { name: 'tasks' };
  if (parts[0] === 'login' && parts.length === 1) return { name: 'login' };
  if (parts[0] === 'docs' && parts.length === 1) return { name: 'docs' };
  if (isQualityPage(parts[0])) return { name: 'quality', page: parts[0], rest: parts.slice(1) };
  if (parts[0] === 'task' && parts.length === 3 && parts[1]) {
    const n = Number(parts[2]);
    if (Number.isInteger(n) && n >= 1) return { name: 'annotate', taskId: parts[1], number: n };
  }
  return { name: 'notFound' };
}

export function hrefOf(r: Route): string {
  switch (r.name) {
    case 'login':
      return '#/login';
    case 'tasks':
      return '#/tasks';
    case 'docs':
      return '#/docs';
    case 'annotate':
      return `#/task/${encodeURIComponent(r.taskId)}/${r.number}`;
    case 'quality':
      return qualityHref(r.page, r.rest);
    case 'notFound':
      return '#/missing';
  }
}

const currentHash = () => (typeof location === 'undefined' ? '' : location.hash);
export const route = signal<Route>(parseHash(currentHash()));
let acceptedHash = currentHash();

export function navigate(r: Route, opts: { replace?: boolean; force?: boolean } = {}): boolean {
  const href = hrefOf(r);
  if (href === location.hash) return true;
  if (!opts.force && !confirmLeave(() => navigate(r, { ...opts, force: true }))) return false;
  acceptedHash = href;
  if (opts.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  route.value = r;
  return true;
}

/** Back/forward buttons and typed URLs come in as hashchange: guard them too. */
export function startRouter(): () => void {
  const onHash = () => {
    if (location.hash === acceptedHash) return;
    const target = location.hash;
    const leave = () => {
      acceptedHash = target;
      history.pushState(null, '', target);
      route.value = parseHash(target);
    };
    if (!confirmLeave(leave)) {
      history.pushState(null, '', acceptedHash);
      return;
    }
    acceptedHash = location.hash;
    route.value = parseHash(location.hash);
  };
  // No beforeunload prompt: drafts are already on the device (the editor writes them as they change and
  // on pagehide), so "changes may not be saved" would be untrue; the draft is there after a reload.
  window.addEventListener('hashchange', onHash);
  window.addEventListener('popstate', onHash);
  return () => {
    window.removeEventListener('hashchange', onHash);
    window.removeEventListener('popstate', onHash);
  };
}
