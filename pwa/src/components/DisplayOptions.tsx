// Overlay colour (presets and "auto": the one that stands out on the photo), line width, crease
// angle of the feature edges and pointer sensitivity, in a disclosure so the toolbar stays short.
import { useRef, useState } from 'preact/hooks';
import { useMessages, fmt } from '../i18n';
import { useDismiss } from './use-dismiss';
import { COLOR_PRESETS, LINE_WIDTHS, updateView, viewSettings, type OverlayColor } from '../state/view-settings';

export function DisplayOptions() {
  const m = useMessages();
  const a = m.annotate;
  const s = viewSettings.value;
  // Like every popover: Esc or a press outside closes it.
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDetailsElement>(null);
  const summary = useRef<HTMLElement>(null);
  useDismiss(open, ref, () => ref.current && (ref.current.open = false), summary);
  const swatch = (c: OverlayColor) => (
    <button
      type="button"
      key={c}
      class={`swatch${s.color === c ? ' on' : ''}${c === 'auto' ? ' swatch-auto' : ''}`}
      style={c === 'auto' ? undefined : { background: c }}
      aria-pressed={s.color === c}
      aria-label={c === 'auto' ? a.colorAuto : fmt(a.colorPreset, { color: c })}
      title={c === 'auto' ? a.colorAuto : c}
      data-color={c}
      onClick={() => updateView({ color: c })}
    >
      {c === 'auto' ? 'A' : ''}
    </button>
  );
  return (
    <details class="display-options" ref={ref} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary class="btn-mini" ref={summary}>
        {a.display}
      </summary>
      <div class="display-panel">
        <div class="row" role="group" aria-label={a.color}>
          <span class="small">{a.color}</span>
          {swatch('auto')}
          {COLOR_PRESETS.map(swatch)}
        </div>
        <label class="row small">
          <span>{a.lineWidth}</span>
          <select value={String(s.lineWidth)} onChange={(e) => updateView({ lineWidth: Number(e.currentTarget.value) })}>
            {LINE_WIDTHS.map((w) => (
              <option key={w} value={String(w)}>
                {w} px
              </option>
            ))}
          </select>
        </label>
        <label class="row small">
          <span>{fmt(a.creaseAngle, { deg: s.creaseDeg })}</span>
          <input type="range" min={5} max={90} step={1} value={s.creaseDeg} onInput={(e) => updateView({ creaseDeg: Number(e.currentTarget.value) })} />
        </label>
        <label class="row small">
          <span>{fmt(a.sensitivity, { x: s.sensitivity.toFixed(2) })}</span>
          <input type="range" min={0.25} max={2} step={0.05} value={s.sensitivity} onInput={(e) => updateView({ sensitivity: Number(e.currentTarget.value) })} />
        </label>
      </div>
    </details>
  );
}
