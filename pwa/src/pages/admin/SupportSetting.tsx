// The admin sets the support/contact link annotators see on every question.
import { useEffect, useState } from 'preact/hooks';
import { loadSupportUrl, saveSupportUrl, supportUrl } from '../../state/support';
import { fmt, useQualityMessages } from '../review/messages';

export function SupportSetting() {
  const t = useQualityMessages();
  const [value, setValue] = useState(supportUrl.value ?? '');
  const [state, setState] = useState<{ kind: 'saved' } | { kind: 'error'; text: string } | null>(null);
  useEffect(() => void loadSupportUrl().then(() => setValue(supportUrl.value ?? '')), []);
  return (
    <section class="card q-section">
      <form
        class="q-form"
        onSubmit={(e) => {
          e.preventDefault();
          saveSupportUrl(value.trim() || null).then(
            () => setState({ kind: 'saved' }),
            (err: unknown) => setState({ kind: 'error', text: err instanceof Error ? err.message : String(err) }),
          );
        }}
      >
        <label class="field">
          <span>{t.admin.dash.support}</span>
          <input value={value} placeholder="mailto:… or https://…" onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
        <button type="submit" class="btn btn-ghost btn-sm">{t.admin.gold.save}</button>
        {state?.kind === 'saved' && <span class="muted small">{t.admin.gold.saved}</span>}
        {state?.kind === 'error' && <span class="note error">{fmt(t.common.error, { error: state.text })}</span>}
      </form>
    </section>
  );
}
