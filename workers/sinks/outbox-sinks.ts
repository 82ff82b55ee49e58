import type { Sink } from "../../durable/monitor/outbox.ts";
import type { Bindings } from "../env.ts";
import { kafkaAggregatesSink, type KafkaRestApi } from "./kafka-rest.ts";
import { postgresHistorySink } from "./postgres-history.ts";
import { redisFor } from "./redis.ts";
import { redisLatestSink } from "./redis-latest.ts";

/** Optional settings read beside the typed bindings (plain vars or secrets). */
interface KafkaSettings {
  KAFKA_REST_URL?: string;
  KAFKA_REST_API?: unknown;
  KAFKA_CLUSTER_ID?: unknown;
}

/** The sinks this deployment drains monitor outboxes to; each is on when configured. */
export function sinksFor(env: Bindings): Sink[] {
  const sinks: Sink[] = [];
  if (env.DATABASE_URL) sinks.push(postgresHistorySink(env.DATABASE_URL, env.NEON_WS_PROXY));
  const redis = redisFor(env);
  if (redis) sinks.push(redisLatestSink(redis));
  if (env.KAFKA_REST_URL) {
    const settings: KafkaSettings = env;
    const api: KafkaRestApi = settings.KAFKA_REST_API === "v2" ? "v2" : "v3";
    const clusterId = typeof settings.KAFKA_CLUSTER_ID === "string" && settings.KAFKA_CLUSTER_ID ? settings.KAFKA_CLUSTER_ID : undefined;
    sinks.push(kafkaAggregatesSink({ url: env.KAFKA_REST_URL, api, ...(clusterId ? { clusterId } : {}) }));
  }
  return sinks;
}
