// Outbox sink: each monitor's scored ticks pushed as OTLP/HTTP metrics to the collector
// named by OTEL_EXPORTER_OTLP_ENDPOINT (workers/observability/otlp/). It rides the outbox
// like the other sinks: its own cursor, backoff while the collector is down or refuses
// the credentials, and neither ingest nor scoring ever waits for it.
import type { AggregateRecord, Sink } from "../../durable/monitor/outbox.ts";
import type { OtlpConfig } from "../observability/otlp/config.ts";
import { exportMetrics } from "../observability/otlp/export.ts";
import { metricsRequest } from "../observability/otlp/request.ts";

export function otlpMetricsSink(config: OtlpConfig, version: string): Sink {
  return {
    name: "otlp",
    send: (records: AggregateRecord[]) => exportMetrics(config, metricsRequest(records, { attributes: config.resource, version })),
  };
}
