// Outbox rows as one OTLP ExportMetricsServiceRequest, in the OTLP/JSON shape
// (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding: lowerCamelCase field
// names, 64-bit integers as decimal strings, enums as integers). protobuf.ts encodes the
// same object in the binary form, so JSON and protobuf exports carry identical data.
//
// Mapping (docs/observability.md, "OpenTelemetry"):
//  - one resource per request: service.name / service.version / OTEL_RESOURCE_ATTRIBUTES,
//    plus vigil.org.id (the monitor's org);
//  - one instrumentation scope, "vigil.monitor";
//  - a Prometheus counter becomes a monotonic cumulative Sum named without `_total`,
//    a gauge a Gauge; the unit is UCUM ("s", "1", "{event}");
//  - the Prometheus labels become data point attributes with the same keys (model,
//    version, window, feature, ...), so a collector's Prometheus exporter yields the
//    same series as GET /metrics;
//  - each outbox row is one point in time (the tick that wrote it); a request holds up
//    to 200 rows (durable/monitor/outbox.ts, DRAIN_BATCH).
import type { Totals, WindowView } from "../../../durable/protocol.ts";
import { familyName, MetricSet, type MetricDef, type Sample } from "../families.ts";
import { addVersionSamples } from "../version-samples.ts";

export const SCOPE_NAME = "vigil.monitor";

/** What the export reads of an outbox row (durable/monitor/outbox.ts AggregateRecord), kept structural so Node tools can build requests without the Durable Object's storage types. */
export interface ExportRecord {
  orgId: string;
  model: string;
  version: string;
  /** Unix ms of the tick. */
  at: number;
  windows: readonly WindowView[];
  totals: Totals;
  ingestToCountMs?: number | null;
}

export interface KeyValue {
  key: string;
  value: { stringValue: string };
}

export interface NumberDataPoint {
  attributes: KeyValue[];
  timeUnixNano: string;
  asDouble: number;
}

export interface OtlpMetric {
  name: string;
  description: string;
  unit: string;
  gauge?: { dataPoints: NumberDataPoint[] };
  sum?: { dataPoints: NumberDataPoint[]; aggregationTemporality: 2; isMonotonic: true };
}

export interface ExportMetricsServiceRequest {
  resourceMetrics: {
    resource: { attributes: KeyValue[] };
    scopeMetrics: { scope: { name: string; version: string }; metrics: OtlpMetric[] }[];
  }[];
}

/** AGGREGATION_TEMPORALITY_CUMULATIVE in opentelemetry/proto/metrics/v1/metrics.proto. */
export const CUMULATIVE = 2;

const attributes = (record: Readonly<Record<string, string>>): KeyValue[] =>
  Object.entries(record).map(([key, value]) => ({ key, value: { stringValue: value } }));

const nanos = (ms: number): string => (BigInt(Math.round(ms)) * 1_000_000n).toString();

function point(def: MetricDef, s: Sample, atMs: number): NumberDataPoint {
  const labels: Record<string, string> = {};
  for (const k of def.labels) if (s.labels[k] !== undefined) labels[k] = s.labels[k] as string;
  return { attributes: attributes(labels), timeUnixNano: nanos(atMs), asDouble: s.value };
}

export interface ResourceInfo {
  /** Resource attributes from the configuration (otlp/config.ts). */
  attributes: Readonly<Record<string, string>>;
  /** service.version of the instrumentation scope. */
  version: string;
}

/** One request for rows of one monitor (they share org, model and version). */
export function metricsRequest(records: readonly ExportRecord[], resource: ResourceInfo): ExportMetricsServiceRequest {
  const metrics = new Map<string, OtlpMetric>();
  for (const r of records) {
    const set = new MetricSet();
    addVersionSamples(set, { model: r.model, version: r.version, windows: r.windows, totals: r.totals, ingestToCountMs: r.ingestToCountMs ?? null });
    for (const { def, samples } of set.families()) {
      const name = familyName(def);
      let metric = metrics.get(name);
      if (!metric) {
        metric = { name, description: def.help, unit: def.unit };
        if (def.type === "counter") metric.sum = { dataPoints: [], aggregationTemporality: CUMULATIVE, isMonotonic: true };
        else metric.gauge = { dataPoints: [] };
        metrics.set(name, metric);
      }
      const points = (metric.sum ?? metric.gauge)!.dataPoints;
      for (const s of samples) points.push(point(def, s, r.at));
    }
  }
  const orgIds = [...new Set(records.map((r) => r.orgId))];
  const resourceAttributes = { ...resource.attributes, ...(orgIds.length === 1 ? { "vigil.org.id": orgIds[0] as string } : {}) };
  return {
    resourceMetrics: [{
      resource: { attributes: attributes(resourceAttributes) },
      scopeMetrics: [{ scope: { name: SCOPE_NAME, version: resource.version }, metrics: [...metrics.values()] }],
    }],
  };
}
