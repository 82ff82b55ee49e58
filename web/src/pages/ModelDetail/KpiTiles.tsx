import { formatCount, formatMs, formatPercent, formatScore } from "../../components/format.ts";
import type { LiveRoom } from "../../state/live-room.ts";
import type { WindowSnapshot } from "../../state/live-types.ts";

/** The handful of numbers a person checks first, for the selected window. */
export function KpiTiles({ room, window }: { room: LiveRoom; window: WindowSnapshot | undefined }) {
  const pred = window?.prediction ?? null;
  const perf = window?.performance ?? null;
  const estimated = window?.estimated ?? null;
  return (
    <dl class="kpis" aria-label="Key numbers">
      <div class="kpi">
        <dt>Event rate</dt>
        <dd data-testid="kpi-rate">{room.eventRateText}</dd>
      </div>
      <div class="kpi">
        <dt>Events in window</dt>
        <dd data-testid="kpi-events">{window ? formatCount(window.events) : "—"}</dd>
      </div>
      <div class="kpi">
        <dt>Drift share</dt>
        <dd data-testid="kpi-drift-share">{formatPercent(window?.driftShare ?? null, 0)}</dd>
      </div>
      <div class="kpi">
        <dt>Prediction drift</dt>
        <dd>{pred ? `${pred.drifted ? "Yes" : "No"} · ${formatScore(pred.score)}` : "—"}</dd>
      </div>
      <div class="kpi">
        <dt>Latency p95</dt>
        <dd>{formatMs(window?.latency?.p95 ?? null)}</dd>
      </div>
      <div class="kpi">
        <dt>{perf ? perf.metric : "Performance"}</dt>
        <dd>{perf ? formatScore(perf.value) : <span class="muted" style={{ fontSize: "14px", fontWeight: 400 }}>awaiting labels</span>}</dd>
      </div>
      {estimated ? (
        <div class="kpi" data-testid="kpi-estimated">
          <dt title="Estimated from the scores, without labels (CBPE); the band is where the realised value should land">Estimated {estimated.metric}</dt>
          <dd>
            {formatScore(estimated.value)}
            <span class="muted" style={{ fontSize: "12px", fontWeight: 400 }}>
              {" "}
              ({formatScore(estimated.low)}–{formatScore(estimated.high)})
            </span>
            {estimated.diverged.length > 0 ? (
              <span role="status" class="warn" style={{ display: "block", fontSize: "12px", fontWeight: 400 }}>
                labels disagree ({estimated.diverged.join(", ")}): scores uncalibrated or concept shift
              </span>
            ) : null}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
