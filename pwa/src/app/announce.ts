// What the app says to screen readers without moving focus (a new question on the annotate page): one
// polite live region (components/LiveRegion.tsx) that App keeps on every page.
import { signal } from '@preact/signals';

export const announcement = signal<{ text: string; n: number }>({ text: '', n: 0 });

export function announce(text: string): void {
  // `n` makes the same words read again (the region is refilled).
  announcement.value = { text, n: announcement.peek().n + 1 };
}
