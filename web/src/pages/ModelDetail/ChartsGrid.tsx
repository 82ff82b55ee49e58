import { formatMs, formatScore } from "../../components/format.ts";
import { TimeSeriesChart, type ChartSeries } from "../../components/TimeSeriesChart.tsx";
import type { FeatureScore, HistoryPoint, VolumePoint } from "../../state/live-types.ts";
import { severity } from "../../state/status.ts";

const COLORS = ["--chart-1", "--chart-2", "--chart-3", "--chart-4"];
const MAX_FEATURE_LINES = 6;

/** The five time series of a model version, drawn from the same points. */
export function ChartsGrid({ points, features, volume, metric }: { points: HistoryPoint[]; features: FeatureScore[]; volume: VolumePoint[]; metric: string | null }) {
  const times = points.map((p) => p.t / 1000);
  const col = <K extends keyof HistoryPoint>(k: K) => points.map((p) => p[k] as number | null);
  // The worst features get a line each; the rest would be noise at this size.
  const shown = [...features].sort((a, b) => severity(b) - severity(a)).slice(0, MAX_FEATURE_LINES);
  const featureSeries: ChartSeries[] = shown.map((f, i) => ({
    label: `${f.feature} (${f.test})`,
    color: COLORS[i % COLORS.length]!,
    dash: i >= COLORS.length,
    values: points.map((p) => p.features[f.feature] ?? null),
  }));
  return (
    <div class="grid-2">
      <TimeSeriesChart title="Drift score per feature (worst first)" times={times} series={featureSeries} format={formatScore} />
      <TimeSeriesChart
        title="Dataset and prediction drift"
        times={times}
        series={[
          { label: "prediction drift score", color: "--chart-1", values: col("predictionScore") },
          { label: "drift share (right axis)", color: "--chart-2", values: col("driftShare"), right: true },
        ]}
        format={formatScore}
      />
      <TimeSeriesChart
        title={`Performance${metric ? ` (${metric})` : ""}`}
        times={times}
        series={[{ label: metric ?? "metric", color: "--chart-3", values: col("performance") }]}
        format={formatScore}
        emptyText="No labels yet: send actuals to POST /v1/actuals to measure performance."
      />
      <TimeSeriesChart
        title="Latency"
        times={times}
        series={[
          { label: "p50", color: "--chart-3", values: col("p50") },
          { label: "p95", color: "--chart-1", values: col("p95") },
          { label: "p99", color: "--chart-2", values: col("p99") },
        ]}
        format={formatMs}
      />
      <TimeSeriesChart
        title="Event rate (events/s, live)"
        times={times}
        series={[{ label: "events/s", color: "--chart-4", values: col("eventRate") }]}
        format={formatScore}
        emptyText="Shown for the live tail; stored history keeps window aggregates (see volume per minute)."
      />
      <TimeSeriesChart
        title="Volume per minute (last hour)"
        times={volume.map((v) => v.t / 1000)}
        series={[{ label: "events", color: "--chart-1", values: volume.map((v) => v.events) }]}
        format={formatScore}
      />
    </div>
  );
}
