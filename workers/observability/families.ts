// The one list of metrics Vigil exports, shared by GET /metrics (Prometheus text and
// OpenMetrics) and the OTLP push, so both carry the same names, types, units and labels.
// docs/observability.md lists them; docs/grafana/vigil.json uses exactly these names
// (a test checks every name it queries against a live exposition).
//
// Naming follows Prometheus practice: `vigil_` prefix, snake_case, counters end in
// `_total`, times in seconds, shares in [0, 1]. Label sets are fixed per family and
// bounded: per model version at most features × 3 windows per feature family (the
// feature schema holds at most 1,000 features, workers/ingest/limits.ts), 3 windows,
// 3 severities, ~15 performance metric names and the configured outbox sinks.

export type MetricType = "counter" | "gauge";

export interface MetricDef {
  /** Prometheus name; counters end in `_total` (OpenMetrics and OTLP drop it). */
  name: string;
  type: MetricType;
  help: string;
  /** UCUM unit for OTLP ("s", "1", "{event}"). */
  unit: string;
  labels: readonly string[];
}

const VERSION = ["model", "version"] as const;
const WINDOW = [...VERSION, "window"] as const;

function def(name: string, type: MetricType, unit: string, labels: readonly string[], help: string): MetricDef {
  return { name, type, unit, labels, help };
}

export const METRICS = {
  eventsIngested: def("vigil_events_ingested_total", "counter", "{event}", VERSION, "Prediction events accepted and stored by the model version's monitor."),
  eventsRejected: def("vigil_events_rejected_total", "counter", "{event}", VERSION, "Prediction events refused on validation (listed in their ingest reply, never stored)."),
  eventsLate: def("vigil_events_late_total", "counter", "{event}", VERSION, "Accepted events stamped more than 25 hours before arrival (outside every live window)."),
  duplicateBatches: def("vigil_duplicate_batches_total", "counter", "{batch}", VERSION, "Ingest batches recognised as retries of a stored batch_id and not counted again."),
  actuals: def("vigil_actuals_total", "counter", "{actual}", [...VERSION, "result"], "Actuals received, by whether they joined a stored prediction (matched) or not (unmatched)."),
  windowEvents: def("vigil_window_events", "gauge", "{event}", WINDOW, "Events in the live window (5m, 1h, 24h) by prediction time."),
  featureDriftScore: def("vigil_feature_drift_score", "gauge", "1", [...WINDOW, "feature", "method"], "Deciding drift score of a feature in the window; `method` names it (wasserstein_normed: a distance, drifted when >= threshold; chi_square_two_sample: a p-value, drifted when < threshold)."),
  featureDrifted: def("vigil_feature_drifted", "gauge", "1", [...WINDOW, "feature"], "1 when the feature drifted in the window, else 0."),
  predictionDriftScore: def("vigil_prediction_drift_score", "gauge", "1", [...WINDOW, "method"], "Deciding drift score of the prediction column in the window."),
  predictionDrifted: def("vigil_prediction_drifted", "gauge", "1", WINDOW, "1 when the prediction column drifted in the window, else 0."),
  driftShare: def("vigil_dataset_drift_share", "gauge", "1", WINDOW, "Share of scored features that drifted in the window (dataset drift), in [0, 1]."),
  performance: def("vigil_model_performance", "gauge", "1", [...WINDOW, "metric"], "Performance of the window's labelled predictions (accuracy, f1, roc_auc, log_loss, mae, rmse, ...)."),
  labeled: def("vigil_labeled_predictions", "gauge", "{prediction}", WINDOW, "Predictions in the window that have an actual."),
  labelCoverage: def("vigil_label_coverage_ratio", "gauge", "1", WINDOW, "Labelled predictions / events in the window, in [0, 1]."),
  dataQuality: def("vigil_data_quality_ratio", "gauge", "1", [...WINDOW, "feature", "check"], "Data-quality rate of a feature in the window, in [0, 1]; check: missing, absent, type_violation, out_of_range, new_category."),
  unknownFeatures: def("vigil_unknown_feature_keys", "gauge", "{key}", WINDOW, "Distinct keys outside the feature schema seen in the window (at most 100 tracked)."),
  latency: def("vigil_prediction_latency_seconds", "gauge", "s", [...WINDOW, "percentile"], "Inference latency reported with the events (latency_ms): percentile p50, p95 or p99 of the window (a KLL sketch estimate; a gauge, since the window slides)."),
  baselineReady: def("vigil_baseline_ready", "gauge", "1", VERSION, "1 when a baseline is set and drift is scored, 0 while the first events are still collected."),
  ingestToScore: def("vigil_ingest_to_score_seconds", "gauge", "s", VERSION, "Freshness: how long the oldest batch of the latest count waited from its ingest until it was counted and scored."),
  lastIngest: def("vigil_last_ingest_timestamp_seconds", "gauge", "s", VERSION, "Unix time of the newest counted batch's arrival."),
  openAlerts: def("vigil_open_alerts", "gauge", "{alert}", [...VERSION, "severity"], "Alerts of the model version that are open (not acknowledged, not resolved), by severity."),
  sinkFailures: def("vigil_sink_failures_total", "counter", "{failure}", [...VERSION, "sink"], "Failed sends from the monitor's outbox to a sink (postgres, redis, kafka, otlp); each failed retry counts."),
  sinkBacklog: def("vigil_sink_backlog_rows", "gauge", "{row}", [...VERSION, "sink"], "Outbox rows the sink has not taken yet."),
  sinkUp: def("vigil_sink_up", "gauge", "1", [...VERSION, "sink"], "1 when the sink's last send succeeded, 0 while it fails and backs off."),
  monitorUp: def("vigil_monitor_up", "gauge", "1", VERSION, "1 when the version's monitor answered this scrape, 0 when it failed or timed out (its other series are absent)."),
  scrapeErrors: def("vigil_scrape_errors", "gauge", "{monitor}", [], "Monitors that failed to answer this scrape."),
  scrapeVersions: def("vigil_scrape_versions", "gauge", "{version}", [], "Model versions the caller may read, as counted for this scrape."),
  scrapeSkipped: def("vigil_scrape_versions_skipped", "gauge", "{version}", [], "Readable model versions left out of this scrape by the per-scrape limit."),
} as const satisfies Record<string, MetricDef>;

export type MetricKey = keyof typeof METRICS;

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  labels: Labels;
  value: number;
}

export interface Family {
  def: MetricDef;
  samples: Sample[];
}

/** Collects samples per family; families come out in METRICS order, samples in insertion order. */
export class MetricSet {
  readonly #samples = new Map<MetricKey, Sample[]>();

  add(key: MetricKey, labels: Labels, value: number | null | undefined): void {
    if (value === null || value === undefined) return;
    const list = this.#samples.get(key) ?? [];
    list.push({ labels, value });
    this.#samples.set(key, list);
  }

  families(): Family[] {
    const out: Family[] = [];
    for (const key of Object.keys(METRICS) as MetricKey[]) {
      const samples = this.#samples.get(key);
      if (samples && samples.length > 0) out.push({ def: METRICS[key], samples });
    }
    return out;
  }
}

/** The OpenMetrics / OTLP family name: a counter's `_total` is a suffix of its samples only. */
export function familyName(d: MetricDef): string {
  return d.type === "counter" ? d.name.replace(/_total$/, "") : d.name;
}
