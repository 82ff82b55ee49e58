import type { Principal } from "./auth/principal.ts";
import type { Database } from "./db/client.ts";

/**
 * Bindings from wrangler.toml (generated into ../worker-configuration.d.ts by `npm run types`) plus the
 * secrets that are set per deployment and so cannot appear there.
 */
export interface Bindings extends Env {
  /** postgres://… — a real Neon URL in production, the local Postgres under `npm start`. */
  DATABASE_URL?: string;
  /** Upstash Redis REST endpoint; Redis-backed roles fall back to in-Worker state when unset. */
  UPSTASH_REDIS_REST_URL?: string;
  UPSTASH_REDIS_REST_TOKEN?: string;
  /** Kafka REST Proxy (Confluent v3, or v2 for Redpanda/Karapace); Kafka output is off when unset. */
  KAFKA_REST_URL?: string;
  /** "v3" (Confluent, default) or "v2" (Redpanda, Karapace). */
  KAFKA_REST_API?: string;
  /** Confluent v3 cluster id; looked up from GET /v3/clusters when unset. */
  KAFKA_CLUSTER_ID?: string;
  /** Kafka REST proxy credentials (secrets): HTTP Basic (Confluent Cloud API key and secret, Karapace)… */
  KAFKA_REST_USERNAME?: string;
  KAFKA_REST_PASSWORD?: string;
  /** …or a Bearer token (not both). */
  KAFKA_REST_TOKEN?: string;
  /**
   * OpenTelemetry metrics export (docs/observability.md): OTLP/HTTP collector base URL
   * (metrics go to <url>/v1/metrics); export is off when unset. The others follow the
   * OTel spec's names: headers `k=v,k2=v2` (percent-encoded values; a secret when it
   * carries credentials), protocol http/protobuf (default) or http/json, timeout in ms,
   * and the resource's service name and extra attributes.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_HEADERS?: string;
  OTEL_EXPORTER_OTLP_METRICS_HEADERS?: string;
  OTEL_EXPORTER_OTLP_PROTOCOL?: string;
  OTEL_EXPORTER_OTLP_METRICS_PROTOCOL?: string;
  OTEL_EXPORTER_OTLP_TIMEOUT?: string;
  OTEL_EXPORTER_OTLP_METRICS_TIMEOUT?: string;
  OTEL_SERVICE_NAME?: string;
  OTEL_RESOURCE_ATTRIBUTES?: string;
  /**
   * R2 bucket for report files and audit exports (workers/retention/audit-prune.ts); bound
   * in the deployed environments of wrangler.toml only. Without it, exports stay in Postgres.
   */
  REPORTS?: R2Bucket;
  /** Bearer token that may create orgs (POST /v1/orgs); `npm start` generates and prints one. */
  INSTANCE_ADMIN_TOKEN?: string;
}

export interface Variables {
  /** Per-request database handle, opened lazily and closed after the response. */
  db: () => Database;
  /** The authenticated caller; set by `authorize()` on routes that require one. */
  principal?: Principal;
  /** Set by `authorize({ instanceAdmin: true })`: who acted as instance admin. */
  instanceAdmin?: { type: "instance_admin" | "user"; id: string };
}

export type AppEnv = { Bindings: Bindings; Variables: Variables };
