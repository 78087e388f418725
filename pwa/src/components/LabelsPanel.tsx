// The two required labels as native radio groups (keyboard and screen readers get them for free).
import type { Dense, ObjectStatus } from '@in3d/shared/types';
import { DENSE_VALUES, OBJECT_STATUSES } from '@in3d/shared/types';
import { useMessages } from '../i18n';
import { countRender } from '../app/render-probe';

interface Props {
  objectStatus: ObjectStatus | null;
  dense: Dense | null;
  missing: readonly ('objectStatus' | 'dense')[];
  onStatus(v: ObjectStatus): void;
  onDense(v: Dense): void;
}

export function LabelsPanel({ objectStatus, dense, missing, onStatus, onDense }: Props) {
  countRender('LabelsPanel');
  const m = useMessages();
  return (
    <section class="panel labels-panel" aria-label={m.annotate.labels}>
      <fieldset class={`radio-group${missing.includes('objectStatus') ? ' missing' : ''}`} id="group-objectStatus">
        <legend>{m.annotate.objectStatus}</legend>
        <div class="segmented segmented-4">
          {OBJECT_STATUSES.map((s) => (
            <label key={s} class={`seg${objectStatus === s ? ' on' : ''}${s === 'status_bad' ? ' seg-bad' : ''}`}>
              <input type="radio" name="objectStatus" value={s} checked={objectStatus === s} onChange={() => onStatus(s)} />
              <span>{m.annotate[s]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset class={`radio-group${missing.includes('dense') ? ' missing' : ''}`} id="group-dense">
        <legend>{m.annotate.dense}</legend>
        <div class="segmented segmented-2">
          {DENSE_VALUES.map((d) => (
            <label key={d} class={`seg${dense === d ? ' on' : ''}`}>
              <input type="radio" name="dense" value={d} checked={dense === d} onChange={() => onDense(d)} />
              <span>{m.annotate[d]}</span>
            </label>
          ))}
        </div>
      </fieldset>
    </section>
  );
}
