// A small uPlot chart (bars or lines) sized to its container; the value axis starts at 0 (chart-range.ts).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { xRange, yRange } from './chart-range';

export interface ChartProps {
  /** x values first, then one array per series. */
  data: [number[], ...number[][]];
  series: { label: string; color: string }[];
  bars?: boolean;
  /** x axis as days (unix seconds) or plain numbers. */
  time?: boolean;
  height?: number;
  label: string;
  xLabel?: string;
  yLabel?: string;
}

export function Chart(props: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = el.current;
    if (!host) return;
    const width = Math.max(240, host.clientWidth);
    // Later bar series are drawn narrower, so two series on one x stay visible side by side.
    const bars = (i: number) => (props.bars ? uPlot.paths.bars?.({ size: [0.7 / (1 + i), 60 / (1 + i)] }) : undefined);
    const axis = { stroke: '#8b95a5', grid: { stroke: '#262e3a' }, ticks: { stroke: '#262e3a' } };
    const range = xRange(props.data[0], props.time ?? false);
    const plot = new uPlot(
      {
        width,
        height: props.height ?? 200,
        scales: { x: { time: props.time ?? false, ...(range ? { range } : {}) }, y: { range: (_u, _min, max) => yRange(max) } },
        axes: [{ ...axis, label: props.xLabel }, { ...axis, label: props.yLabel }],
        series: [{}, ...props.series.map((s, i) => ({
          label: s.label, stroke: s.color, fill: props.bars ? `${s.color}88` : undefined, width: 2, paths: bars(i), points: { show: !props.bars },
        }))],
        legend: { show: props.series.length > 1 },
      },
      props.data,
      host,
    );
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(240, host.clientWidth), height: props.height ?? 200 }));
    ro.observe(host);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [JSON.stringify(props.data), props.series.map((s) => s.label).join()]);
  return <div class="q-chart" ref={el} role="img" aria-label={props.label} />;
}
