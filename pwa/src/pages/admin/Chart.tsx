// A small uPlot chart (bars or lines) sized to its container.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

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
    const xs = props.data[0];
    // Pad the x range by half a step (a day for time axes) so a single bar is not stretched over years.
    const pad = props.time ? 86400 : xs.length > 1 ? (xs[1]! - xs[0]!) / 2 : 1;
    const range: [number, number] | undefined = xs.length ? [xs[0]! - pad, xs[xs.length - 1]! + pad] : undefined;
    const plot = new uPlot(
      {
        width,
        height: props.height ?? 200,
        scales: { x: { time: props.time ?? false, ...(range ? { range } : {}) } },
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
