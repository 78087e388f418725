// The six pose controls, in the order annotators work: rotation, then centre, then distance.
import type { ReadonlySignal } from '@preact/signals';
import type { PoseJson } from '@in3d/shared/types';
import { useMessages } from '../i18n';
import { countRender } from '../app/render-probe';
import type { PoseParam } from '../state/pose-params';
import { PoseControl } from './PoseControl';

const ORDER: PoseParam[] = ['azimuth', 'elevation', 'theta', 'px', 'py', 'distance'];

interface Props {
  /** Each control reads its own parameter: a step re-renders that control only. */
  pose: ReadonlySignal<PoseJson>;
  photo: { width: number; height: number };
  onChange(fn: (p: PoseJson) => PoseJson, key: string | null): void;
  ambiguous?: readonly PoseParam[];
  onAmbiguous?(p: PoseParam): void;
}

export function PoseControls(props: Props) {
  countRender('PoseControls');
  const m = useMessages();
  return (
    <section class="panel pose-panel" aria-labelledby="pose-title">
      <h2 id="pose-title" class="panel-title">
        {m.annotate.pose}
      </h2>
      {ORDER.map((p) => (
        <PoseControl
          key={p}
          param={p}
          pose={props.pose}
          photo={props.photo}
          onChange={props.onChange}
          ambiguous={props.ambiguous?.includes(p)}
          onAmbiguous={props.onAmbiguous && (() => props.onAmbiguous!(p))}
        />
      ))}
    </section>
  );
}
