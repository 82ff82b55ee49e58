import { bigint, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Failed sends from the ModelMonitor outboxes, counted per sink across every monitor of
// the deployment, so GET /v1/health can show an error count for an export (Kafka, OTLP,
// Redis) that keeps failing. Written only on failure, one upsert each; a healthy
// deployment never touches it. Per-version counts live in each monitor (GET /metrics).
export const sinkFailures = pgTable("sink_failures", {
  sink: text("sink").primaryKey(),
  failures: bigint("failures", { mode: "number" }).notNull().default(0),
  /** The exporter's own message (no credentials: see workers/security/redact.ts). */
  lastError: text("last_error"),
  lastFailedAt: timestamp("last_failed_at", { withTimezone: true, mode: "date" }),
});
