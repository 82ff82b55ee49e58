import { useCallback, useEffect, useState } from "preact/hooks";
import { listAlerts, type Alert, type AlertFilter, type AlertStatus, type Severity } from "../../api/alerts.ts";
import { ApiRequestError, describeError } from "../../api/errors.ts";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { formatTime } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { Skeleton } from "../../components/Skeleton.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { useAppState } from "../../state/app-state.ts";
import { AlertDetail } from "./AlertDetail.tsx";

const REFRESH_MS = 5_000;

/** Open, acknowledged and resolved alerts, filterable, with one selected for action. */
export function AlertsPage({ selected }: { selected?: string }) {
  const state = useAppState();
  const [filter, setFilter] = useState<AlertFilter>({ status: "open", severity: "", model: "" });
  const [alerts, setAlerts] = useState<Alert[] | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);

  const load = useCallback(
    (signal?: AbortSignal) =>
      listAlerts(state.api, filter, signal)
        .then((list) => (setAlerts(list), setError(null)))
        .catch((err: unknown) => {
          if (signal?.aborted) return;
          setError({ message: describeError(err), missing: err instanceof ApiRequestError && err.status === 404 });
        }),
    [state, filter],
  );

  useEffect(() => {
    const ctl = new AbortController();
    void load(ctl.signal);
    const timer = setInterval(() => void load(ctl.signal), REFRESH_MS);
    return () => (clearInterval(timer), ctl.abort());
  }, [load]);

  const set = (patch: Partial<AlertFilter>) => setFilter({ ...filter, ...patch });
  const value = (e: Event) => (e.currentTarget as HTMLSelectElement | HTMLInputElement).value;

  return (
    <>
      <div class="page-head">
        <div>
          <h1>Alerts</h1>
          <p class="muted">What fired, who is on it, and where it was sent.</p>
        </div>
      </div>
      <form class="filters" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={filter.status} onChange={(e) => set({ status: value(e) as AlertStatus | "" })}>
            <option value="">All</option>
            <option value="open">Open</option>
            <option value="acknowledged">Acknowledged</option>
            <option value="resolved">Resolved</option>
          </select>
        </label>
        <label>
          Severity
          <select value={filter.severity} onChange={(e) => set({ severity: value(e) as Severity | "" })}>
            <option value="">All</option>
            <option value="critical">Critical</option>
            <option value="warning">Warning</option>
            <option value="info">Info</option>
          </select>
        </label>
        <label>
          Model
          <input type="search" value={filter.model} onChange={(e) => set({ model: value(e) })} placeholder="model name" />
        </label>
      </form>
      {error && (error.missing ? <p class="notice">The alerts API is not available on this server yet.</p> : <ErrorBanner title="Could not load alerts" message={error.message} onRetry={() => void load()} />)}
      {!alerts && !error && <Skeleton lines={4} height={24} label="Loading alerts" />}
      {alerts && alerts.length === 0 && (
        <EmptyState title={filter.status === "open" ? "No open alerts" : "No alerts match"}>
          <p>Default rules are created with every model version, so drift, latency and volume problems show up here on their own.</p>
        </EmptyState>
      )}
      <div class={selected ? "grid-2" : undefined} style={{ alignItems: "start" }}>
        {alerts && alerts.length > 0 && (
          <section class="card" style={{ padding: 0 }} aria-label="Alerts">
            <table>
              <thead>
                <tr>
                  <th scope="col">Alert</th>
                  <th scope="col">Model</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Status</th>
                  <th scope="col">Opened</th>
                </tr>
              </thead>
              <tbody>
                {alerts.map((a) => (
                  <tr key={a.id} aria-selected={a.id === selected}>
                    <th scope="row" style={{ color: "var(--text)", fontWeight: 500 }}>
                      <Link to={{ page: "alerts", alert: a.id }}>{a.summary || a.rule}</Link>
                    </th>
                    <td>
                      {a.model} <span class="muted">{a.version}</span>
                    </td>
                    <td>
                      <StatusBadge status={a.severity} />
                    </td>
                    <td>
                      <StatusBadge status={a.status} />
                    </td>
                    <td>{formatTime(a.openedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
        {selected && <AlertDetail key={selected} id={selected} onChanged={() => void load()} />}
      </div>
    </>
  );
}
