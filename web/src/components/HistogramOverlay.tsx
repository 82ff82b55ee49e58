import { formatScore } from "./format.ts";

export interface HistogramOverlayProps {
  feature: string;
  edges: number[];
  reference: number[];
  current: number[];
  width?: number;
  height?: number;
}

function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/** Reference and current histograms on the same bins, as shares so different sizes compare. */
export function HistogramOverlay({ feature, edges, reference, current, width = 360, height = 140 }: HistogramOverlayProps) {
  const ref = shares(reference);
  const cur = shares(current);
  const n = Math.max(ref.length, cur.length);
  const max = Math.max(0.0001, ...ref, ...cur);
  const bw = width / Math.max(n, 1);
  const y = (v: number) => height - 18 - (v / max) * (height - 24);
  const lo = edges[0];
  const hi = edges[edges.length - 1];
  return (
    <figure style={{ margin: 0 }}>
      <svg width="100%" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${feature}: reference versus current distribution`}>
        {ref.map((v, i) => (
          <rect key={`r${i}`} x={i * bw + 1} y={y(v)} width={Math.max(bw - 2, 1)} height={height - 18 - y(v)} fill="var(--chart-1)" opacity="0.35" />
        ))}
        {cur.map((v, i) => (
          <rect key={`c${i}`} x={i * bw + bw * 0.25} y={y(v)} width={Math.max(bw * 0.5, 1)} height={height - 18 - y(v)} fill="var(--chart-2)" opacity="0.85" />
        ))}
        <line x1="0" x2={width} y1={height - 18} y2={height - 18} stroke="var(--border)" />
        <text x="0" y={height - 4} font-size="10" fill="var(--text-muted)">
          {lo === undefined ? "" : formatScore(lo)}
        </text>
        <text x={width} y={height - 4} font-size="10" fill="var(--text-muted)" text-anchor="end">
          {hi === undefined ? "" : formatScore(hi)}
        </text>
      </svg>
      <figcaption class="muted" style={{ fontSize: "12px" }}>
        <span class="legend-swatch" style={{ background: "var(--chart-1)", opacity: 0.5 }} />
        reference <span class="legend-swatch" style={{ background: "var(--chart-2)", marginLeft: "0.6rem" }} />
        current
      </figcaption>
    </figure>
  );
}
