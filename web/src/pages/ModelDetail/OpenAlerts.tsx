import { listAlerts } from "../../api/alerts.ts";
import { useRequest } from "../../api/use-request.ts";
import { formatTime } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { useAppState } from "../../state/app-state.ts";

/** What needs acting on for this version: its unresolved alerts, linked to the Alerts center. */
export function OpenAlerts({ model, version, refreshKey }: { model: string; version: string; refreshKey: number }) {
  const state = useAppState();
  const open = useRequest((s) => listAlerts(state.api, { model, version }, s), [state, model, version, refreshKey]);
  const active = (open.data ?? []).filter((a) => a.status !== "resolved");
  if (open.missing || active.length === 0) return null;
  return (
    <section class="card" aria-labelledby="open-alerts-title">
      <h2 id="open-alerts-title">Alerts needing attention ({active.length})</h2>
      <ul class="stack" style={{ listStyle: "none", padding: 0, margin: 0, gap: "0.4rem" }}>
        {active.slice(0, 5).map((a) => (
          <li key={a.id} class="row">
            <StatusBadge status={a.severity} />
            <StatusBadge status={a.status} />
            <Link to={{ page: "alerts", alert: a.id }}>{a.summary || a.rule}</Link>
            <span class="muted">since {formatTime(a.openedAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
