// Gold questions (their reference comes from the question's source, e.g. the demo's known pose), the
// labels each is scored on, and the qualification thresholds.
import { useEffect, useState } from 'preact/hooks';
import type { GoldQuestion, QualificationSettings } from '@in3d/shared/quality';
import { DENSE_VALUES, OBJECT_STATUSES } from '@in3d/shared/types';
import { getSettings, listGold, markGold, saveSettings, setGoldLabels, unmarkGold } from '../../state/admin';
import { fmt, useQualityMessages } from '../review/messages';
import { QuestionPicker } from './QuestionPicker';

type NumKey = 'questionsPerAttempt' | 'rotationDeg' | 'centrePx' | 'distanceRatio' | 'minPassShare';
type BoolKey = 'required' | 'requireSubtype' | 'requireLabels';

export function GoldPanel() {
  const t = useQualityMessages();
  const g = t.admin.gold;
  const [gold, setGold] = useState<GoldQuestion[]>([]);
  const [settings, setSettings] = useState<QualificationSettings | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      setGold(await listGold());
      setReload((n) => n + 1);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => {
    void run(async () => setSettings(await getSettings()));
  }, []);

  const num = (key: NumKey, label: string, step = 'any') => settings && (
    <label class="field">
      <span>{label}</span>
      <input type="number" step={step} value={settings[key]} onInput={(e) => setSettings({ ...settings, [key]: Number((e.target as HTMLInputElement).value) })} />
    </label>
  );
  const bool = (key: BoolKey, label: string) => settings && (
    <label class="q-check">
      <input type="checkbox" checked={settings[key]} onChange={(e) => setSettings({ ...settings, [key]: (e.target as HTMLInputElement).checked })} />
      <span>{label}</span>
    </label>
  );

  // Empty = the label is not scored for this question.
  const labelSelect = (x: GoldQuestion, key: 'objectStatus' | 'dense', values: readonly string[], label: string) => (
    <select
      aria-label={fmt(g.labelOf, { label, question: x.questionId })}
      value={x.reference[key] ?? ''}
      onChange={(e) => {
        const v = (e.target as HTMLSelectElement).value || null;
        void run(() => setGoldLabels(x.questionId, { objectStatus: x.reference.objectStatus, dense: x.reference.dense, [key]: v }));
      }}
    >
      <option value="">{g.notScored}</option>
      {values.map((v) => <option key={v} value={v}>{t.labels[v] ?? v}</option>)}
    </select>
  );

  return (
    <div class="q-dash">
      {error && <p class="note error q-wide" role="alert">{fmt(t.common.error, { error })}</p>}
      <section class="card q-section">
        <h2>{g.settings}</h2>
        {settings && (
          <form
            class="q-settings"
            onSubmit={(e) => {
              e.preventDefault();
              void run(async () => {
                setSettings(await saveSettings(settings));
                setNotice(g.saved);
              });
            }}
          >
            {bool('required', g.required)}
            {num('questionsPerAttempt', g.perAttempt, '1')}
            {num('rotationDeg', g.rotationDeg)}
            {num('centrePx', g.centrePx)}
            {num('distanceRatio', g.distanceRatio)}
            {num('minPassShare', g.minPassShare)}
            {bool('requireSubtype', g.requireSubtype)}
            {bool('requireLabels', g.requireLabels)}
            <button type="submit" class="btn btn-primary">{g.save}</button>
            {notice && <span class="muted" role="status">{notice}</span>}
          </form>
        )}
      </section>
      <section class="card q-section">
        <h2>{g.isGold} ({gold.length})</h2>
        <ul class="q-list" data-testid="gold-list">
          {gold.map((x) => (
            <li key={x.questionId} data-question={x.questionId}>
              {x.questionId} <span class="muted small">{x.category} · az {x.reference.pose.azimuth.toFixed(1)}° el {x.reference.pose.elevation.toFixed(1)}°</span>{' '}
              {labelSelect(x, 'objectStatus', OBJECT_STATUSES, t.qual.objectStatus)}
              {labelSelect(x, 'dense', DENSE_VALUES, t.qual.dense)}
              <button type="button" class="btn btn-ghost btn-sm" onClick={() => void run(() => unmarkGold(x.questionId))}>{g.unmark}</button>
            </li>
          ))}
        </ul>
      </section>
      <section class="card q-section q-wide">
        <div class="q-form">
          <button type="button" class="btn btn-primary" disabled={selected.size === 0} onClick={() => void run(async () => {
            for (const id of selected) await markGold(id);
            setSelected(new Set());
          })}>
            {g.mark} ({selected.size})
          </button>
          <span class="muted small">{g.fromSource}</span>
        </div>
        <QuestionPicker selected={selected} onChange={setSelected} reload={reload} extra={(q) => (q.hasSourceGold ? '' : '—')} />
      </section>
    </div>
  );
}
