// Where keyboard focus goes when the app moves it (a skip link, a new page): an element that takes no
// focus of its own (a heading, <main>) gets tabindex -1 first, so it can hold focus without joining the Tab order.
/** What takes focus by Tab (and by the app's moves). */
export const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

export function focusElement(el: HTMLElement): void {
  if (!el.matches(FOCUSABLE) && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus();
  el.scrollIntoView?.({ block: 'nearest' });
}

/** Focuses the first element matching `selector`; answers whether there was one. */
export function focusSelector(selector: string): boolean {
  const el = document.querySelector<HTMLElement>(selector);
  if (!el) return false;
  focusElement(el);
  return true;
}

/** Focus the user put somewhere on purpose stays; gone (on <body>), or on the top bar's link just followed, it moves. */
function focusIsFree(): boolean {
  const el = document.activeElement;
  return !el || el === document.body || !el.isConnected || el.closest('header.topbar') !== null;
}

/**
 * A new page: once an element matching `selector` is shown (pages may load first), focuses it unless the
 * user already moved focus into the page. Answers a function that stops waiting.
 */
export function focusWhenShown(selector: string, timeoutMs = 5000): () => void {
  const attempt = () => {
    const el = document.querySelector<HTMLElement>(selector);
    if (!el) return false;
    if (focusIsFree()) focusElement(el);
    return true;
  };
  if (attempt()) return () => undefined;
  const observer = new MutationObserver(() => attempt() && stop());
  const timer = setTimeout(() => stop(), timeoutMs);
  const stop = () => {
    observer.disconnect();
    clearTimeout(timer);
  };
  observer.observe(document.body, { childList: true, subtree: true });
  return stop;
}
