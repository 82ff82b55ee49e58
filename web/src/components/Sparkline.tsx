import type { ReadonlySignal } from "@preact/signals";

export interface SparklineProps {
  values: ReadonlySignal<number[]> | number[];
  label: string;
  width?: number;
  height?: number;
}

/** SVG path for a series scaled into the box; empty when there are fewer than two points. */
export function sparkPath(values: readonly number[], width: number, height: number): { line: string; area: string } {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length < 2) return { line: "", area: "" };
  const max = Math.max(...finite);
  const min = Math.min(0, ...finite);
  const span = max - min || 1;
  const step = width / (finite.length - 1);
  const pts = finite.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - ((v - min) / span) * (height - 2)).toFixed(1)}`);
  const line = `M${pts.join("L")}`;
  return { line, area: `${line}L${width},${height}L0,${height}Z` };
}

/** A tiny inline trend, cheap enough for every row of the overview (no chart library). */
export function Sparkline({ values, label, width = 120, height = 28 }: SparklineProps) {
  const series = Array.isArray(values) ? values : values.value;
  const { line, area } = sparkPath(series.slice(-60), width, height);
  return (
    <svg class="spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {line ? (
        <>
          <path class="area" d={area} />
          <path class="line" d={line} />
        </>
      ) : (
        <line x1="0" x2={width} y1={height - 1} y2={height - 1} stroke="var(--border)" stroke-dasharray="3 3" />
      )}
    </svg>
  );
}
