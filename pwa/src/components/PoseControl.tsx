// One pose parameter: number field, slider and fine/coarse step buttons ("Azimuth +1°" …).
import { useState } from 'preact/hooks';
import { useComputed, type ReadonlySignal } from '@preact/signals';
import type { PoseJson } from '@in3d/shared/types';
import { countRender } from '../app/render-probe';
import { fmt, useMessages } from '../i18n';
import { PARAM_SPECS, formatParam, paramRange, setParam, stepParam, type PoseParam } from '../state/pose-params';

interface Props {
  param: PoseParam;
  pose: ReadonlySignal<PoseJson>;
  photo: { width: number; height: number };
  onChange(fn: (p: PoseJson) => PoseJson, key: string | null): void;
  /** Marked as impossible to judge from the photo (SPEC R40); omit to hide the toggle. */
  ambiguous?: boolean;
  onAmbiguous?(): void;
}

/** "+1°", "-30°", "+0.2", "+5 px": the amount part of a step button's name. */
export function stepAmount(param: PoseParam, direction: 1 | -1, coarse: boolean): string {
  const spec = PARAM_SPECS[param];
  const n = coarse ? spec.coarse : spec.fine;
  const unit = spec.unit === 'px' ? ' px' : spec.unit;
  return `${direction > 0 ? '+' : '-'}${n}${unit}`;
}

export function PoseControl({ param, pose, photo, onChange, ambiguous, onAmbiguous }: Props) {
  countRender(`PoseControl:${param}`);
  const m = useMessages();
  const name = m.params[param];
  // Subscribes to this parameter alone: another parameter's step leaves this control as it is.
  const value = useComputed(() => pose.value[param]).value;
  const [min, max] = paramRange(param, photo, value);
  const spec = PARAM_SPECS[param];
  // While the field has focus, show what the user types, not the normalised value.
  const [typing, setTyping] = useState<string | null>(null);
  const id = `pose-${param}`;

  const stepBtn = (direction: 1 | -1, coarse: boolean) => {
    const amount = stepAmount(param, direction, coarse);
    return (
      <button
        type="button"
        class={`step${coarse ? ' coarse' : ''}`}
        aria-label={fmt(m.stepName, { param: name, amount })}
        title={fmt(m.stepName, { param: name, amount })}
        onClick={() => onChange((p) => stepParam(p, param, direction, coarse), null)}
      >
        {direction > 0 ? '+' : '−'}
        {coarse ? spec.coarse : spec.fine}
      </button>
    );
  };

  return (
    <div class="pose-control">
      <div class="pose-control-head">
        <label for={id} title={m.paramHints[param]}>
          {name}
        </label>
        {onAmbiguous && (
          <button
            type="button"
            class={`ambiguous-toggle${ambiguous ? ' on' : ''}`}
            aria-pressed={ambiguous === true}
            aria-label={fmt(m.annotate.ambiguous, { param: name })}
            title={fmt(m.annotate.ambiguous, { param: name })}
            data-ambiguous={param}
            onClick={onAmbiguous}
          >
            ?
          </button>
        )}
        <span class="pose-input">
          <input
            id={id}
            type="number"
            inputMode="decimal"
            step={spec.fine}
            value={typing ?? formatParam(param, value)}
            onFocus={(e) => setTyping(e.currentTarget.value)}
            onBlur={() => setTyping(null)}
            onInput={(e) => {
              const text = e.currentTarget.value;
              setTyping(text);
              const v = Number(text);
              if (text.trim() !== '' && Number.isFinite(v)) onChange((p) => setParam(p, param, v), `type:${param}`);
            }}
          />
          <span class="unit" aria-hidden="true">
            {spec.unit}
          </span>
        </span>
      </div>
      <div class="pose-control-row">
        {stepBtn(-1, true)}
        {stepBtn(-1, false)}
        <input
          type="range"
          class="slider"
          aria-label={fmt(m.sliderName, { param: name })}
          min={min}
          max={max}
          step={param === 'distance' ? 0.01 : 0.1}
          value={value}
          onInput={(e) => onChange((p) => setParam(p, param, Number(e.currentTarget.value)), `slide:${param}`)}
        />
        {stepBtn(1, false)}
        {stepBtn(1, true)}
      </div>
    </div>
  );
}
