// The current language: from a saved choice, else the browser's language; switching re-renders every
// component that reads `messages.value` (a signal).
import { computed, signal } from '@preact/signals';
import { en, type Messages } from './en';
import { zh } from './zh';

export type Locale = 'en' | 'zh';
export const LOCALES: readonly Locale[] = ['en', 'zh'];
const CATALOGS: Record<Locale, Messages> = { en, zh };
const STORAGE_KEY = 'in3d.locale';

export function pickLocale(saved: string | null, browserLanguages: readonly string[]): Locale {
  if (saved === 'en' || saved === 'zh') return saved;
  for (const l of browserLanguages) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'zh') return 'zh';
    if (base === 'en') return 'en';
  }
  return 'en';
}

function readSaved(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

const browserLangs = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
export const locale = signal<Locale>(pickLocale(readSaved(), browserLangs));
export const messages = computed<Messages>(() => CATALOGS[locale.value]);

export function setLocale(l: Locale): void {
  locale.value = l;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, l);
  } catch {
    // private mode: the choice lasts for this session
  }
  if (typeof document !== 'undefined') document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
}

/** The catalog of the current language; reading it in render subscribes the component. */
export const useMessages = (): Messages => messages.value;

/** Fills {placeholders}. */
export function fmt(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/** A refusal reason (R7) in words; an unknown code is still wrapped in a sentence, never shown alone. */
export function reasonText(m: Messages, reason: string): string {
  return m.attention.reasons[reason] ?? fmt(m.attention.otherReason, { reason });
}

export { en, zh, type Messages };
