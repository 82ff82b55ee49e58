import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { useEffect, useRef, useState } from "preact/hooks";
import { useAppState } from "../state/app-state.ts";

export interface ChartSeries {
  label: string;
  /** A CSS variable holding the colour, e.g. "--chart-1". */
  color: string;
  values: (number | null)[];
  dash?: boolean;
  /** Drawn against a second y axis on the right (for a series of another unit, like a share). */
  right?: boolean;
}

export interface TimeSeriesChartProps {
  title: string;
  /** Seconds since epoch, one per point, ascending. */
  times: number[];
  series: ChartSeries[];
  height?: number;
  format?: (v: number) => string;
  /** A horizontal reference line, e.g. a drift threshold. */
  threshold?: number;
  /** Shown when no series has a value, e.g. "No labels yet". */
  emptyText?: string;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

/**
 * A uPlot line chart. The plot is built once per theme and series layout, and only its
 * data is replaced on updates, which keeps a one-update-a-second live tail cheap.
 */
export function TimeSeriesChart({ title, times, series, height = 200, format, threshold, emptyText }: TimeSeriesChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const timesNow = useRef(times);
  timesNow.current = times;
  const [failure, setFailure] = useState<string | null>(null);
  const theme = useAppState().theme.value;
  const layout = series.map((s) => `${s.label}|${s.color}|${s.dash ? 1 : 0}|${s.right ? 1 : 0}`).join(",");

  const data = (): uPlot.AlignedData => {
    const rows: (number | null)[][] = [times, ...series.map((s) => s.values)];
    if (threshold !== undefined) rows.push(times.map(() => threshold));
    return rows as uPlot.AlignedData;
  };

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const grid = { stroke: cssVar("--chart-grid"), width: 1 };
    const axis = { stroke: cssVar("--text-muted"), grid, ticks: grid };
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 300),
      height,
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      // A single point would otherwise stretch the time axis over years.
      scales: {
        x: {
          time: true,
          range: (_u, min, max) => {
            const t = timesNow.current;
            return t.length === 1 ? [t[0]! - 60, t[0]! + 60] : [min, max];
          },
        },
        right: { auto: true },
      },
      axes: [
        axis,
        { ...axis, size: 56, values: format ? (_u, ticks) => ticks.map(format) : undefined },
        ...(series.some((s) => s.right) ? [{ ...axis, scale: "right", side: 1, size: 48, grid: { show: false } }] : []),
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: cssVar(s.color),
          width: 1.6,
          dash: s.dash ? [6, 4] : undefined,
          spanGaps: false,
          scale: s.right ? "right" : "y",
          value: format && !s.right ? (_u: uPlot, v: number | null) => (v === null ? "—" : format(v)) : undefined,
        })),
        ...(threshold !== undefined ? [{ label: "threshold", stroke: cssVar("--bad"), width: 1, dash: [4, 4] }] : []),
      ],
    };
    try {
      plot.current = new uPlot(opts, data(), el);
      setFailure(null);
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
      return;
    }
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(el.clientWidth, 300), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuild only when the look changes; data changes go through setData below.
  }, [theme, layout, height, threshold !== undefined]);

  useEffect(() => {
    plot.current?.setData(data());
  });

  return (
    <figure class="card" style={{ margin: 0 }}>
      <figcaption>
        <h3>{title}</h3>
      </figcaption>
      {failure ? <p role="alert">Chart failed: {failure}</p> : null}
      {(times.length === 0 || series.every((s) => s.values.every((v) => v === null))) && <p class="muted">{emptyText ?? "No points yet in this range."}</p>}
      <div ref={box} class="chart-box" role="img" aria-label={`${title} chart`} />
    </figure>
  );
}
