// Business impact: pick a model version, a KPI, a model metric and a range; see both on one
// chart by event time with drift and alert periods shaded, their correlation with its
// interval, the value of the predictions over time, and what each drift or alert did to the
// KPI. While the range reaches now, the page re-reads every 15 s (the monitor writes its
// event-time series at most every 5 s).
import { useEffect, useState } from "preact/hooks";
import { getImpact, getImpactEvents, getValueMatrix, listKpis, type Granularity, type KpiAggregate } from "../../api/impact.ts";
import { getVersion, listModels, listVersions } from "../../api/registry.ts";
import { useRequest } from "../../api/use-request.ts";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { useAppState } from "../../state/app-state.ts";
import { CorrelationCard } from "./CorrelationCard.tsx";
import { EventsTable } from "./EventsTable.tsx";
import { ImpactChart } from "./ImpactChart.tsx";

const RANGES = [
  { label: "Last hour", ms: 3_600_000, granularity: "minute" },
  { label: "Last 6 hours", ms: 6 * 3_600_000, granularity: "minute" },
  { label: "Last 24 hours", ms: 24 * 3_600_000, granularity: "hour" },
  { label: "Last 7 days", ms: 7 * 86_400_000, granularity: "hour" },
  { label: "Last 30 days", ms: 30 * 86_400_000, granularity: "day" },
] as const;

const BASE_METRICS = ["drift_share", "prediction_drift", "accuracy", "f1", "roc_auc", "mae", "rmse", "value_per_prediction", "volume"];
const REFRESH_MS = 15_000;

function Select({ label, value, options, onChange, testId }: { label: string; value: string; options: { value: string; label: string }[]; onChange: (v: string) => void; testId: string }) {
  return (
    <label>
      {label}
      <select data-testid={testId} value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function AnalyticsPage() {
  const state = useAppState();
  const api = state.api;
  const [model, setModel] = useState("");
  const [version, setVersion] = useState("");
  const [kpi, setKpi] = useState("");
  const [metric, setMetric] = useState("drift_share");
  const [rangeIndex, setRangeIndex] = useState(1);
  const [granularity, setGranularity] = useState<Granularity>("minute");
  const [agg, setAgg] = useState<KpiAggregate>("mean");
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const models = useRequest((s) => listModels(api, s), [api]);
  useEffect(() => {
    if (!model && models.data?.[0]) setModel(models.data[0].name);
  }, [models.data]);
  const versions = useRequest((s) => (model ? listVersions(api, model, s) : Promise.resolve([])), [api, model]);
  useEffect(() => {
    const list = versions.data ?? [];
    if (list.length > 0 && !list.some((v) => v.version === version)) setVersion((list.find((v) => v.stage === "production") ?? list[list.length - 1]!).version);
  }, [versions.data]);
  const kpis = useRequest((s) => (model && version ? listKpis(api, model, version, s) : Promise.resolve([])), [api, model, version]);
  useEffect(() => {
    const list = kpis.data ?? [];
    if (list.length > 0 && !list.includes(kpi)) setKpi(list[0]!);
  }, [kpis.data]);
  const features = useRequest((s) => (model && version ? getVersion(api, model, version, s).then((v) => v.features.map((f) => f.name)) : Promise.resolve([])), [api, model, version]);
  const matrix = useRequest((s) => (model && version ? getValueMatrix(api, model, version, s).catch(() => null) : Promise.resolve(null)), [api, model, version]);

  const range = RANGES[rangeIndex]!;
  const to = now;
  const from = now - range.ms;
  const ready = Boolean(model && version && kpi);
  const q = { model, version, kpi, granularity, agg, from, to };
  const key = [api, model, version, kpi, granularity, agg, rangeIndex, Math.floor(now / REFRESH_MS)];
  const impact = useRequest((s) => (ready ? getImpact(api, { ...q, metric }, s) : Promise.resolve(null)), [...key, metric]);
  const events = useRequest((s) => (ready ? getImpactEvents(api, q, s) : Promise.resolve([])), key);
  const value = useRequest((s) => (ready && matrix.data ? getImpact(api, { ...q, metric: "value_total" }, s).catch(() => null) : Promise.resolve(null)), [...key, matrix.data?.currency]);

  const metrics = [...BASE_METRICS, ...(features.data ?? []).map((f) => `drift:${f}`)];
  const currency = matrix.data?.currency ?? "";

  return (
    <section aria-labelledby="analytics-title" class="stack">
      <div class="page-head">
        <div>
          <h1 id="analytics-title">Analytics</h1>
          <p class="muted">What the model's behaviour is worth, and which model metric moves your KPIs (by the time of each prediction and outcome).</p>
        </div>
      </div>
      <div class="card row" style={{ flexWrap: "wrap", alignItems: "flex-end" }}>
        <Select testId="pick-model" label="Model" value={model} options={(models.data ?? []).map((m) => ({ value: m.name, label: m.name }))} onChange={(v) => (setModel(v), setVersion(""), setKpi(""))} />
        <Select testId="pick-version" label="Version" value={version} options={(versions.data ?? []).map((v) => ({ value: v.version, label: `${v.version} (${v.stage})` }))} onChange={(v) => (setVersion(v), setKpi(""))} />
        <Select testId="pick-kpi" label="KPI" value={kpi} options={(kpis.data ?? []).map((k) => ({ value: k, label: k }))} onChange={setKpi} />
        <Select testId="pick-agg" label="KPI per bucket" value={agg} options={[{ value: "mean", label: "mean" }, { value: "sum", label: "sum" }, { value: "count", label: "count" }]} onChange={(v) => setAgg(v as KpiAggregate)} />
        <Select testId="pick-metric" label="Model metric" value={metric} options={metrics.map((m) => ({ value: m, label: m }))} onChange={setMetric} />
        <Select
          testId="pick-range"
          label="Range"
          value={String(rangeIndex)}
          options={RANGES.map((r, i) => ({ value: String(i), label: r.label }))}
          onChange={(v) => (setRangeIndex(Number(v)), setGranularity(RANGES[Number(v)]!.granularity))}
        />
        <Select testId="pick-granularity" label="Buckets" value={granularity} options={["minute", "hour", "day"].map((g) => ({ value: g, label: g }))} onChange={(v) => setGranularity(v as Granularity)} />
      </div>
      {models.error && <ErrorBanner title="Could not list models" message={models.error} />}
      {model && version && kpis.data && kpis.data.length === 0 && (
        <p class="notice" role="status">
          No KPI has been reported for {model} yet. Send business outcomes to <code>POST /v1/outcomes</code> ({"{ model, outcomes: [{ timestamp, kpi, value, prediction_id? }] }"}) and they appear here.
        </p>
      )}
      {impact.error && <ErrorBanner title={`${metric} against ${kpi}`} message={impact.error} onRetry={impact.reload} />}
      {impact.data && (
        <>
          <ImpactChart title={`${metric} and ${kpi} (${granularity} buckets)`} points={impact.data.points} metricLabel={metric} kpiLabel={`${kpi} (${agg})`} periods={events.data ?? []} />
          <CorrelationCard impact={impact.data} />
        </>
      )}
      {value.data && (
        <ImpactChart title={`Value of the labelled predictions per ${granularity} (${currency})`} points={value.data.points.map(([t, v]) => [t, v, null])} metricLabel={`value (${currency})`} kpiLabel="" periods={events.data ?? []} height={180} />
      )}
      {ready && !matrix.data && !matrix.loading && (
        <p class="muted" data-testid="no-matrix">
          Set a value matrix (<code>PUT /v1/models/{model}/versions/{version}/value-matrix</code>) to see what the predictions are worth.
        </p>
      )}
      {events.error && <ErrorBanner title="Impact events" message={events.error} />}
      {events.data && kpi && <EventsTable events={events.data} kpi={kpi} />}
    </section>
  );
}
