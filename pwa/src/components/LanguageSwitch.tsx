// Language picker; the choice is remembered on this device.
import { Languages } from 'lucide-preact';
import { LOCALES, locale, setLocale, useMessages, en, zh, type Locale } from '../i18n';

const NAMES: Record<Locale, string> = { en: en.langName, zh: zh.langName };

export function LanguageSwitch() {
  const m = useMessages();
  return (
    <label class="lang-switch" title={m.app.language}>
      <Languages size={16} aria-hidden="true" />
      <select aria-label={m.app.language} value={locale.value} onChange={(e) => setLocale((e.currentTarget as HTMLSelectElement).value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l === 'zh' ? 'zh-CN' : 'en'}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
