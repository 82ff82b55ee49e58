// The metric and the KPI over the same buckets on two y axes, with drift periods (amber)
// and alert periods (red) shaded behind them, drawn by uPlot. The plot is rebuilt only when
// its look changes; new data goes through setData, as TimeSeriesChart does.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "preact/hooks";
import type { ImpactEvent } from "../../api/impact.ts";
import { useAppState } from "../../state/app-state.ts";

export interface ImpactChartProps {
  title: string;
  /** [bucket start ms, metric, kpi]. */
  points: [number, number | null, number | null][];
  metricLabel: string;
  /** Empty: the metric alone, on one axis. */
  kpiLabel: string;
  periods: ImpactEvent[];
  height?: number;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

export function ImpactChart({ title, points, metricLabel, kpiLabel, periods, height = 260 }: ImpactChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shaded = useRef(periods);
  shaded.current = periods;
  const theme = useAppState().theme.value;

  const withKpi = kpiLabel !== "";
  const data = (): uPlot.AlignedData =>
    (withKpi ? [points.map((p) => p[0] / 1000), points.map((p) => p[1]), points.map((p) => p[2])] : [points.map((p) => p[0] / 1000), points.map((p) => p[1])]) as uPlot.AlignedData;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const grid = { stroke: cssVar("--chart-grid"), width: 1 };
    const axis = { stroke: cssVar("--text-muted"), grid, ticks: grid };
    const drift = cssVar("--warn");
    const alert = cssVar("--bad");
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 300),
      height,
      legend: { live: true },
      scales: { x: { time: true }, kpi: { auto: true } },
      axes: [axis, { ...axis, size: 64, label: metricLabel }, ...(withKpi ? [{ ...axis, scale: "kpi", side: 1, size: 56, label: kpiLabel, grid: { show: false } }] : [])],
      series: [
        {},
        { label: metricLabel, stroke: cssVar("--chart-1"), width: 1.8, spanGaps: false, points: { show: true, size: 4 } },
        ...(withKpi ? [{ label: kpiLabel, stroke: cssVar("--chart-2"), width: 1.8, spanGaps: false, scale: "kpi", points: { show: true, size: 4 } }] : []),
      ],
      hooks: {
        // Shade each period across the plot's height, under the lines.
        drawClear: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            for (const p of shaded.current) {
              const x0 = u.valToPos(p.start / 1000, "x", true);
              const x1 = u.valToPos(p.end / 1000, "x", true);
              ctx.globalAlpha = 0.14;
              ctx.fillStyle = p.kind === "alert" ? alert : drift;
              ctx.fillRect(Math.max(x0, u.bbox.left), u.bbox.top, Math.min(x1, u.bbox.left + u.bbox.width) - Math.max(x0, u.bbox.left), u.bbox.height);
            }
            ctx.restore();
          },
        ],
      },
    };
    plot.current = new uPlot(opts, data(), el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(el.clientWidth, 300), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [theme, metricLabel, kpiLabel, height]);

  useEffect(() => {
    plot.current?.setData(data());
  });

  const empty = points.every((p) => p[1] === null && p[2] === null);
  return (
    <figure class="card" style={{ margin: 0 }} data-testid="impact-chart">
      <figcaption>
        <h3>{title}</h3>
        <p class="muted" style={{ margin: 0, fontSize: "12.5px" }}>
          <span style={{ color: "var(--warn)" }}>■</span> drift periods <span style={{ color: "var(--bad)" }}>■</span> alert periods
        </p>
      </figcaption>
      {empty && <p class="muted">No points in this range.</p>}
      <div ref={box} class="chart-box" role="img" aria-label={`${title} chart`} />
    </figure>
  );
}
