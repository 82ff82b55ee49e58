import type { SegmentsView } from "../../../../durable/protocol.ts";
import { formatCount, formatPercent } from "../../components/format.ts";

/**
 * The tracked segments of a version: a selector that switches the page's live view to one
 * segment's windows, and a segment × feature heatmap of each feature's deciding score
 * relative to its threshold (≥ 1: drifted; protocol.ts segmentSummary), for the window the
 * monitor summarises (1h). Shown once an event carried a segment.
 */
export function SegmentsPanel({
  segments,
  features,
  selected,
  onSelect,
}: {
  segments: SegmentsView | null | undefined;
  features: readonly string[];
  selected: string | null;
  onSelect: (segment: string | null) => void;
}) {
  if (!segments || segments.items.length === 0) return null;
  const drifting = new Set(segments.segment_drift.drifting);
  return (
    <section class="card" aria-labelledby="segments-title">
      <div class="row" style={{ justifyContent: "space-between", alignItems: "baseline" }}>
        <h2 id="segments-title">Segments</h2>
        <label class="row" style={{ gap: "0.4rem" }}>
          <span class="muted">Live view</span>
          <select data-testid="segment-select" value={selected ?? ""} onChange={(e) => onSelect((e.currentTarget as HTMLSelectElement).value || null)}>
            <option value="">All traffic</option>
            {segments.items.map((s) => (
              <option key={s.key} value={s.key}>
                {s.key === "other" ? "other (untracked segments)" : s.key}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p class="muted" data-testid="segment-drift">
        {drifting.size === 0
          ? `No segment drifts (${segments.segment_drift.scored} scored over the last ${segments.window}, each feature at α = ${segments.alpha.toPrecision(2)}).`
          : `Drifting over the last ${segments.window}: ${segments.segment_drift.drifting.join(", ")}.`}
      </p>
      <div style={{ overflowX: "auto" }}>
        <table data-testid="segment-heatmap">
          <caption class="muted" style={{ captionSide: "bottom", textAlign: "left" }}>
            Score ÷ threshold per feature; 1 or more means drifted. Top {segments.topK} segments by volume, the rest in "other".
          </caption>
          <thead>
            <tr>
              <th scope="col">Segment</th>
              <th scope="col" class="num">Events</th>
              {features.map((f) => (
                <th scope="col" key={f}>
                  {f}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {segments.items.map((s) => (
              <tr key={s.key} aria-selected={s.key === selected}>
                <th scope="row">
                  <button type="button" style={{ padding: "0.1rem 0.4rem" }} aria-pressed={s.key === selected} onClick={() => onSelect(s.key === selected ? null : s.key)}>
                    {s.key}
                  </button>
                  {drifting.has(s.key) && <strong class="warn"> drifting</strong>}
                  {s.baseline === "segment" && <span class="muted" title="Scored against its own baseline rows"> own baseline</span>}
                </th>
                <td class="num">
                  {formatCount(s.rows)}
                  {s.driftShare !== null && <span class="muted"> · {formatPercent(s.driftShare, 0)}</span>}
                </td>
                {features.map((f, i) => {
                  const ratio = s.ratios[i] ?? null;
                  return (
                    <td key={f} class="num" data-ratio={ratio ?? ""} style={{ background: heat(ratio) }} title={ratio === null ? `${f}: no values` : `${f}: ${ratio} × threshold`}>
                      {ratio === null ? "–" : ratio >= 1 ? <strong>{ratio.toFixed(2)}</strong> : ratio.toFixed(2)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Cell colour: transparent far below the threshold, amber near it, red past it. */
export function heat(ratio: number | null): string {
  if (ratio === null) return "transparent";
  if (ratio >= 1) return `rgba(220, 38, 38, ${Math.min(0.55, 0.25 + 0.1 * Math.log2(ratio + 1))})`;
  return `rgba(245, 158, 11, ${(0.35 * ratio * ratio).toFixed(3)})`;
}
