// One pose parameter: number field, slider and fine/coarse step buttons ("Azimuth +1°" …).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useComputed, type ReadonlySignal } from '@preact/signals';
import type { PoseJson } from '@in3d/shared/types';
import { countRender } from '../app/render-probe';
import { fmt, useMessages } from '../i18n';
import { PARAM_SPECS, formatParam, paramRange, readTyped, setParam, stepParam, typedRange, type PoseParam } from '../state/pose-params';

/** Text the field cannot read is named once typing pauses this long ("1e" on the way to "1e3" is not). */
const UNREAD_PAUSE_MS = 700;

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
  // Why the text typed last was not taken (the pose keeps its value); cleared once a value is taken.
  const [refused, setRefused] = useState<string | null>(null);
  const later = useRef<ReturnType<typeof setTimeout>>();
  // The value when this edit began: a refused text puts it back ("1e309" has set 1 on its way, keystroke by keystroke).
  const before = useRef(value);
  // The pose moved some other way (a key, a step, undo): the message about the kept value is stale.
  useEffect(() => {
    if (value !== before.current) setRefused(null);
  }, [value]);
  useEffect(() => () => clearTimeout(later.current), []);
  const id = `pose-${param}`;
  const errorId = `${id}-error`;
  /**
   * Takes the field's text when it is a number in range, else says why. A number field answers '' for text
   * it cannot read (badInput: "1e309" as much as an unfinished "1e" or "-"), so while typing that is said
   * only once the typing pauses; an empty field waits for the next key.
   */
  const take = (input: HTMLInputElement, whileTyping: boolean) => {
    clearTimeout(later.current);
    const [min, max] = typedRange(param, photo);
    const revert = () => {
      const start = before.current;
      if (pose.peek()[param] !== start) onChange((p) => setParam(p, param, start), `type:${param}`);
    };
    const say = () => setRefused(fmt(m.typedRange, { param: name, min, max, value: formatParam(param, before.current) }));
    const refuse = () => (revert(), say());
    const typed = readTyped(param, input.value, photo);
    if (typed.ok) {
      setRefused(null);
      onChange((p) => setParam(p, param, typed.value), `type:${param}`);
    } else if (typed.reason === 'range' && whileTyping) {
      // Out of range now, maybe not once typed on ("0" on the way to "0.5" m): the pose goes back at once,
      // so a save never takes it, but the message waits for the typing to pause.
      revert();
      setRefused(null);
      later.current = setTimeout(() => !readTyped(param, input.value, photo).ok && say(), UNREAD_PAUSE_MS);
    } else if (!whileTyping) refuse();
    else {
      setRefused(null);
      if (input.validity.badInput) later.current = setTimeout(() => input.validity.badInput && refuse(), UNREAD_PAUSE_MS);
    }
  };

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
            aria-invalid={refused !== null}
            aria-describedby={refused !== null ? errorId : undefined}
            onFocus={(e) => {
              before.current = value;
              setTyping(e.currentTarget.value);
            }}
            onBlur={(e) => {
              // Left with text not taken: say so (the field shows the kept value again).
              if (!readTyped(param, e.currentTarget.value, photo).ok) take(e.currentTarget, false);
              setTyping(null);
            }}
            onInput={(e) => {
              setTyping(e.currentTarget.value);
              take(e.currentTarget, true);
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
      {/* Always there (empty without a message), so the live region exists before it is filled. */}
      <div id={errorId} class="pose-error small" aria-live="polite">
        {refused}
      </div>
    </div>
  );
}
