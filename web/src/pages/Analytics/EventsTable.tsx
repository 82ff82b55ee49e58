// Drift onsets and alert periods with what the KPI did during each compared with just
// before (Welch's difference and its 95 % interval), e.g. "conversion −0.021 (−0.028 to −0.014)".
import type { ImpactEvent } from "../../api/impact.ts";
import { formatTime } from "../../components/format.ts";

const signed = (v: number) => `${v >= 0 ? "+" : "−"}${Math.abs(v).toPrecision(3)}`;

export function EventsTable({ events, kpi }: { events: ImpactEvent[]; kpi: string }) {
  return (
    <section class="card" aria-labelledby="events-title">
      <h2 id="events-title">Impact of drift and alerts on {kpi}</h2>
      {events.length === 0 ? (
        <p class="muted">No drift period or alert in this range.</p>
      ) : (
        <table data-testid="impact-events">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">{kpi} before</th>
              <th scope="col">during</th>
              <th scope="col">change (95 % CI)</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={`${e.kind}-${e.label}-${e.start}`}>
                <td>
                  <span class={`badge ${e.kind === "alert" ? "badge-critical" : "badge-warning"}`}>{e.kind}</span> {e.label}
                </td>
                <td>{formatTime(e.start)}</td>
                <td>{formatTime(e.end)}</td>
                <td>{e.shift ? e.shift.before.toPrecision(4) : "—"}</td>
                <td>{e.shift ? e.shift.after.toPrecision(4) : "—"}</td>
                <td>{e.shift ? `${signed(e.shift.difference)} (${signed(e.shift.ci95[0])} to ${signed(e.shift.ci95[1])})` : <span class="muted">{e.reason}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
