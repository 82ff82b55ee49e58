import { useSignal } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";
import { getVersion, type VersionSummary } from "../../api/registry.ts";
import { describeError, isMissingRoute } from "../../api/errors.ts";
import { ConnectionBadge } from "../../components/ConnectionBadge.tsx";
import { DriftTable } from "../../components/DriftTable.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { Link } from "../../components/Link.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { rangeBounds, TimeRangePicker, type TimeRange } from "../../components/TimeRangePicker.tsx";
import { getHistory } from "../../api/history.ts";
import { useRequest } from "../../api/use-request.ts";
import { WindowSelector } from "../../components/WindowSelector.tsx";
import { useLiveRoom } from "../../live/use-live-room.ts";
import { currentKey } from "../../state/actions.ts";
import { useAppState } from "../../state/app-state.ts";
import type { WindowName } from "../../state/live-types.ts";
import { ChartsGrid } from "./ChartsGrid.tsx";
import { DistributionPanel } from "./DistributionPanel.tsx";
import { KpiTiles } from "./KpiTiles.tsx";
import { OpenAlerts } from "./OpenAlerts.tsx";
import { EmbeddingsPanel } from "./EmbeddingsPanel.tsx";
import { MultivariatePanel } from "./MultivariatePanel.tsx";
import { QualityPanel } from "./QualityPanel.tsx";
import { SignaturesPanel } from "./SignaturesPanel.tsx";
import { SegmentsPanel } from "./SegmentsPanel.tsx";
import { getLiveSegment } from "../../api/segments.ts";
import { toSnapshot } from "../../live/to-snapshot.ts";
import type { LiveSnapshot } from "../../state/live-types.ts";
import { VersionInfo } from "./VersionInfo.tsx";

/** One model version: what drifts and how much, how it changed over time, and why. */
export function ModelDetailPage({ model, version }: { model: string; version: string }) {
  const state = useAppState();
  const room = useLiveRoom(model, version);
  const window = useSignal<WindowName>("5m");
  const range = useSignal<TimeRange>({ kind: "live" });
  const [info, setInfo] = useState<VersionSummary | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  // Alerts are re-read every few seconds while the page is open; a drift onset brings one.
  const [alertTick, setAlertTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setAlertTick((t) => t + 1), 5_000);
    return () => clearInterval(timer);
  }, []);

  const [infoNonce, setInfoNonce] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    getVersion(state.api, model, version, ctl.signal)
      .then((v) => (setInfo(v), setInfoError(null)))
      .catch((err: unknown) => !ctl.signal.aborted && !isMissingRoute(err) && setInfoError(describeError(err)));
    return () => ctl.abort();
  }, [state, model, version, infoNonce]);

  const snapshot = room.snapshot.value;
  // A selected segment replaces the windows with its own, read every few seconds (GET …/live?segment=).
  const segment = useSignal<string | null>(null);
  const [segmentView, setSegmentView] = useState<LiveSnapshot | null>(null);
  const [segmentError, setSegmentError] = useState<string | null>(null);
  useEffect(() => {
    const key = segment.value;
    setSegmentView(null);
    setSegmentError(null);
    if (key === null) return;
    const ctl = new AbortController();
    const read = () =>
      getLiveSegment(state.api, model, version, key, ctl.signal)
        .then((m) => setSegmentView(toSnapshot(m, null)))
        .catch((err: unknown) => !ctl.signal.aborted && setSegmentError(describeError(err)));
    void read();
    const timer = setInterval(read, SEGMENT_POLL_MS);
    return () => (ctl.abort(), clearInterval(timer));
  }, [state, model, version, segment.value]);
  const shown = segment.value === null ? snapshot : segmentView;
  const w = shown?.windows[window.value];
  const bounds = rangeBounds(range.value);
  const stored = useRequest(
    (s) => (bounds ? getHistory(state.api, model, version, window.value, bounds[0], bounds[1], s) : Promise.resolve(null)),
    [state, model, version, window.value, bounds?.[0] && Math.floor(bounds[0] / 60_000), bounds?.[1] && Math.floor(bounds[1] / 60_000)],
  );
  const points = bounds && stored.data ? stored.data : room.history.value[window.value];
  const trends: Record<string, number[]> = {};
  for (const p of points) for (const [f, s] of Object.entries(p.features)) if (s !== null) (trends[f] ??= []).push(s);

  return (
    <>
      <nav aria-label="Breadcrumb" class="muted" style={{ marginBottom: "0.4rem" }}>
        <Link to={{ page: "overview" }}>Overview</Link> / {model}
      </nav>
      <div class="page-head">
        <div>
          <h1>
            {model} <span class="muted">{version}</span>
          </h1>
          <div class="row">
            <StatusBadge status={room.status.value} />
            {info && <span class="badge badge-unknown">{info.stage}</span>}
            <ConnectionBadge room={room} />
          </div>
        </div>
        <div class="row" style={{ alignItems: "flex-end" }}>
          <div class="stack" style={{ gap: "0.25rem" }}>
            <span class="muted" style={{ fontSize: "12.5px" }}>
              Window
            </span>
            <WindowSelector value={window} />
          </div>
          <TimeRangePicker value={range} />
        </div>
      </div>
      {room.error.value && <ErrorBanner title="Live updates" message={room.error.value} />}
      {infoError && <ErrorBanner title="Could not load this version from the registry" message={infoError} />}
      {bounds && stored.missing && (
        <p class="notice" role="status">
          This server does not serve stored history yet; the charts show the live tail since this page opened.
        </p>
      )}
      {bounds && stored.error && !stored.missing && <ErrorBanner title="Could not load history" message={stored.error} onRetry={stored.reload} />}
      {!snapshot ? (
        <EmptyState title="Waiting for data" curl={{ origin: location.origin, apiKey: currentKey(state) }}>
          <p>
            Nothing has arrived for <strong>{model}</strong> <strong>{version}</strong> since this page opened. Send predictions
            for it and this page fills in within a second.
          </p>
        </EmptyState>
      ) : (
        <div class="stack">
          {segment.value !== null && (
            <p class="notice" role="status" data-testid="segment-notice">
              Showing segment <strong>{segment.value}</strong>
              {segmentView ? ` (${segmentView.windows[window.value]?.events.toLocaleString() ?? 0} events in ${window.value})` : " (loading)"}.{" "}
              <button type="button" onClick={() => (segment.value = null)}>
                All traffic
              </button>
            </p>
          )}
          {segmentError && <ErrorBanner title={`Segment ${segment.value ?? ""}`} message={segmentError} />}
          <KpiTiles room={room} window={w} />
          <OpenAlerts model={model} version={version} refreshKey={alertTick} />
          <section class="card" aria-labelledby="drift-title">
            <h2 id="drift-title">Feature drift ({window.value})</h2>
            {w && w.features.length > 0 ? (
              <DriftTable features={w.features} trends={trends} caption={`Drift per feature over the last ${window.value}`} pii={piiTags(info)} />
            ) : (
              <p class="muted">
                {snapshot.hasBaseline
                  ? "No feature scores in this window yet."
                  : `No baseline yet. Drift is scored once the first ${snapshot.baseline?.target.toLocaleString() ?? ""} events are frozen as the reference (${snapshot.baseline?.rows.toLocaleString() ?? 0} so far), or upload a reference dataset under Management.`}
              </p>
            )}
          </section>
          <ChartsGrid points={points} features={w?.features ?? []} volume={snapshot.volume} metric={w?.performance?.metric ?? null} />
          <div class="grid-2">
            <DistributionPanel distributions={w?.distributions ?? {}} features={w?.features ?? []} />
            <QualityPanel rows={w?.quality ?? []} unknown={w?.unknownFeatures ?? []} />
          </div>
          <SegmentsPanel segments={snapshot.segments} features={(snapshot.windows["1h"]?.features ?? []).map((f) => f.feature)} selected={segment.value} onSelect={(key) => (segment.value = key)} />
          <MultivariatePanel multivariate={snapshot.multivariate} />
          <EmbeddingsPanel features={(info?.features ?? []).filter((f) => f.kind === "embedding").map((f) => f.name)} embeddings={snapshot.embeddings ?? []} />
          <VersionInfo version={info} snapshot={snapshot} />
        </div>
      )}
      {info?.id && (
        <div style={{ marginTop: "1rem" }}>
          <SignaturesPanel version={info} onChanged={() => setInfoNonce((n) => n + 1)} />
        </div>
      )}
    </>
  );
}

/** How often a selected segment's windows are re-read. */
const SEGMENT_POLL_MS = 3_000;

/** Feature → PII tag, from the version's schema. */
function piiTags(version: VersionSummary | null): Record<string, string> {
  return Object.fromEntries((version?.features ?? []).flatMap((f) => (f.pii === undefined ? [] : [[f.name, f.pii]])));
}
