// Where keyboard focus goes when the app moves it (a skip link, a new page): an element that takes no
// focus of its own (a heading, <main>) gets tabindex -1 first, so it can hold focus without joining the Tab order.
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

export function focusElement(el: HTMLElement): void {
  if (!el.matches(FOCUSABLE) && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus();
  el.scrollIntoView?.({ block: 'nearest' });
}

/** Focuses the first element matching `selector`, or its first control when `control` is set; answers whether one was found. */
export function focusSelector(selector: string, control = false): boolean {
  const el = document.querySelector<HTMLElement>(selector);
  if (!el) return false;
  const target = control && !el.matches(FOCUSABLE) ? (el.querySelector<HTMLElement>(FOCUSABLE) ?? el) : el;
  focusElement(target);
  return true;
}
