import { kafkaAuthHeaders, kafkaConfig } from "../clients/kafka-rest.ts";
import type { Bindings } from "../env.ts";
import { openDatabase } from "../db/client.ts";
import { sql } from "drizzle-orm";
import { logError } from "../security/log-safe.ts";
import { otlpConfig, type OtlpConfig } from "../observability/otlp/config.ts";
import { exportMetrics } from "../observability/otlp/export.ts";

export type DependencyStatus = "ok" | "error" | "disabled";

const CHECK_TIMEOUT_MS = 3_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => timer !== undefined && clearTimeout(timer));
}

/** Postgres is the system of record: a failed `select 1` makes the whole service unhealthy. */
export async function checkPostgres(env: Bindings, waitUntil: (p: Promise<unknown>) => void): Promise<DependencyStatus> {
  if (!env.DATABASE_URL) return "error";
  const db = openDatabase(env.DATABASE_URL, env.NEON_WS_PROXY);
  try {
    await withTimeout(db.execute(sql`select 1`), "postgres");
    return "ok";
  } catch (err) {
    logError("health: postgres", err);
    return "error";
  } finally {
    waitUntil(db.$client.end().catch(() => undefined));
  }
}

/** Redis (Upstash REST) is optional: PING through the same REST protocol the sinks use. */
export async function checkRedis(env: Bindings): Promise<DependencyStatus> {
  if (!env.UPSTASH_REDIS_REST_URL) return "disabled";
  try {
    const res = await withTimeout(
      fetch(env.UPSTASH_REDIS_REST_URL, {
        method: "POST",
        headers: { authorization: `Bearer ${env.UPSTASH_REDIS_REST_TOKEN ?? ""}`, "content-type": "application/json" },
        body: JSON.stringify(["PING"]),
      }),
      "redis",
    );
    const body = (await res.json()) as { result?: unknown };
    return res.ok && body.result === "PONG" ? "ok" : "error";
  } catch (err) {
    logError("health: redis", err);
    return "error";
  }
}

/**
 * Kafka is reached through a REST proxy; listing clusters (v3) or topics (v2) with the
 * configured credentials proves the proxy answers and takes them. 401/403 and incomplete
 * credentials come back as an error that says what to fix.
 */
export async function checkKafka(env: Bindings): Promise<ExportCheck> {
  const config = kafkaConfig(env);
  if (!config) return { status: "disabled", error: null };
  if (config.configError) return { status: "error", error: config.configError };
  try {
    const path = config.api === "v2" ? "topics" : "v3/clusters";
    const res = await withTimeout(fetch(new URL(path, config.url.replace(/\/?$/, "/")), { headers: kafkaAuthHeaders(config) }), "kafka");
    await res.body?.cancel();
    if (res.ok) return { status: "ok", error: null };
    if (res.status === 401 || res.status === 403) {
      return { status: "error", error: `the Kafka REST proxy refused the credentials (HTTP ${res.status}); check KAFKA_REST_USERNAME / KAFKA_REST_PASSWORD or KAFKA_REST_TOKEN` };
    }
    return { status: "error", error: `the Kafka REST proxy answered HTTP ${res.status}` };
  } catch (err) {
    logError("health: kafka", err);
    return { status: "error", error: "the Kafka REST proxy did not answer" };
  }
}

export interface ExportCheck {
  status: DependencyStatus;
  /** What is wrong, in words that say what to fix; null when ok or disabled. */
  error: string | null;
}

/**
 * OTLP export: a bad OTEL_* value is an error naming the variable; otherwise an empty
 * ExportMetricsServiceRequest (no data points, so nothing is recorded) proves the
 * collector answers and takes our credentials. 401/403 come back as "refused the
 * credentials; check OTEL_EXPORTER_OTLP_HEADERS".
 */
export async function checkOtlp(env: Bindings): Promise<ExportCheck> {
  let config: OtlpConfig | null;
  try {
    config = otlpConfig(env);
  } catch (error) {
    return { status: "error", error: (error as Error).message };
  }
  if (!config) return { status: "disabled", error: null };
  try {
    await withTimeout(exportMetrics({ ...config, timeoutMs: CHECK_TIMEOUT_MS }, { resourceMetrics: [] }), "otlp collector");
    return { status: "ok", error: null };
  } catch (error) {
    logError("health: otlp", error);
    return { status: "error", error: (error as Error).message };
  }
}
