import type { Sink } from "../../durable/monitor/outbox.ts";
import type { Bindings } from "../env.ts";
import { kafkaAggregatesSink } from "./kafka-rest.ts";
import { kafkaConfig } from "../clients/kafka-rest.ts";
import { postgresHistorySink } from "./postgres-history.ts";
import { redisFor } from "../clients/redis.ts";
import { redisLatestSink } from "./redis-latest.ts";
import { otlpConfig } from "../observability/otlp/config.ts";
import { logError } from "../security/log-safe.ts";
import { otlpMetricsSink } from "./otlp.ts";
import { countingFailures } from "../health/sink-failures.ts";

let otlpConfigErrorLogged = false;

/** The sinks this deployment drains monitor outboxes to; each is on when configured. */
export function sinksFor(env: Bindings): Sink[] {
  const sinks: Sink[] = [];
  if (env.DATABASE_URL) sinks.push(postgresHistorySink(env.DATABASE_URL, env.NEON_WS_PROXY));
  const redis = redisFor(env);
  if (redis) sinks.push(redisLatestSink(redis));
  const kafka = kafkaConfig(env);
  if (kafka) sinks.push(kafkaAggregatesSink(kafka));
  try {
    const otlp = otlpConfig(env);
    if (otlp) sinks.push(otlpMetricsSink(otlp, env.VIGIL_VERSION));
  } catch (error) {
    // A bad OTEL_* value keeps the export off; GET /v1/health names the variable.
    if (!otlpConfigErrorLogged) logError("otlp export off", error);
    otlpConfigErrorLogged = true;
  }
  // Failed sends of the exports are counted for GET /v1/health (Postgres itself cannot count its own outage).
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) return sinks;
  return sinks.map((s) => (s.name === "postgres" ? s : countingFailures(s, databaseUrl, env.NEON_WS_PROXY)));
}
