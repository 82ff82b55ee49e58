import { useEffect } from "preact/hooks";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { Skeleton } from "../../components/Skeleton.tsx";
import { currentKey, loadOpenAlertCounts, loadRegistry } from "../../state/actions.ts";
import { useAppState } from "../../state/app-state.ts";
import { OverviewFilters } from "./OverviewFilters.tsx";
import { OverviewRow } from "./OverviewRow.tsx";
import { OverviewSummary } from "./OverviewSummary.tsx";

/** New models appear without a reload: the registry is re-read this often. */
export const REGISTRY_REFRESH_MS = 5_000;

/** Every model version at a glance, worst first, live. */
export function OverviewPage() {
  const state = useAppState();
  useEffect(() => {
    const ctl = new AbortController();
    const refresh = () => {
      void loadRegistry(state, globalThis.sessionStorage, ctl.signal);
      loadOpenAlertCounts(state, ctl.signal).catch(() => undefined);
    };
    refresh();
    const timer = setInterval(refresh, REGISTRY_REFRESH_MS);
    return () => {
      clearInterval(timer);
      ctl.abort();
    };
  }, [state]);

  const reg = state.registry.value;
  const rows = state.visibleRows.value;
  const hasAny = reg.state === "ready" ? reg.data.length > 0 : (reg.state === "loading" || reg.state === "error") && (reg.previous?.length ?? 0) > 0;
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Overview</h1>
          <p class="muted">Every monitored model version, worst first. Numbers update live.</p>
        </div>
      </div>
      {reg.state === "error" && <ErrorBanner title="Could not load models" message={reg.message} onRetry={() => void loadRegistry(state, globalThis.sessionStorage)} />}
      {(reg.state === "idle" || (reg.state === "loading" && !hasAny)) && <Skeleton lines={5} height={28} label="Loading models" />}
      {!state.registryAvailable.value && <p class="notice">This server does not list models yet (no registry API), so models cannot be shown here.</p>}
      {reg.state === "ready" && !hasAny && (
        <EmptyState title="Send your first prediction" curl={{ origin: location.origin, apiKey: currentKey(state) }}>
          <p>
            No model has reported yet. Send a batch of predictions to <code>POST /v1/ingest</code>; the model appears here within
            seconds, and its drift, latency and volume update live.
          </p>
        </EmptyState>
      )}
      {hasAny && (
        <>
          <OverviewSummary rows={reg.state === "ready" ? reg.data : (reg.state === "loading" || reg.state === "error" ? reg.previous : undefined) ?? []} />
          <OverviewFilters />
          <section class="card" style={{ padding: 0 }} aria-label="Model versions">
            <table>
              <caption class="visually-hidden">Model versions and their live health</caption>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Project</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">
                    Events
                  </th>
                  <th scope="col" class="num">
                    Drift share (5m)
                  </th>
                  <th scope="col" class="num">
                    Key metric
                  </th>
                  <th scope="col" class="num">
                    Alerts
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <OverviewRow key={`${row.model.name}:${row.version.version}`} row={row} />
                ))}
              </tbody>
            </table>
            {rows.length === 0 && <p style={{ padding: "1rem" }}>No model version matches these filters.</p>}
          </section>
        </>
      )}
    </>
  );
}
