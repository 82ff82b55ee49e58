import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import { openDatabase } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { checkKafka, checkOtlp, checkPostgres, checkRedis } from "../health/checks.ts";
import { readSinkFailures, type SinkFailureCount } from "../health/sink-failures.ts";
import { logError } from "../security/log-safe.ts";

const Status = z.enum(["ok", "error", "disabled"]);
const SinkFailures = z
  .object({
    failures: z.number().int().openapi({ description: "Failed sends counted across every monitor since the deployment started counting" }),
    last_error: z.string().nullable(),
    last_failed_at: z.string().nullable(),
  })
  .openapi("SinkFailures");
const Health = z
  .object({
    status: z.enum(["ok", "degraded", "unavailable"]),
    postgres: Status,
    redis: Status,
    kafka: Status,
    otlp: Status.openapi({ description: "OpenTelemetry metrics export (OTEL_EXPORTER_OTLP_ENDPOINT): an empty export proves the collector answers and takes the credentials" }),
    errors: z.record(z.string(), z.string()).openapi({ description: "Per dependency in error, what is wrong in words that say what to fix (e.g. the collector refused the credentials)" }),
    sink_failures: z.record(z.string(), SinkFailures).openapi({ description: "Failed outbox sends per export sink (kafka, otlp, redis), counted in Postgres; empty while nothing failed" }),
    version: z.string(),
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/v1/health",
  tags: ["system"],
  middleware: [authorize({ public: "liveness probe for load balancers and npm start" })] as const,
  summary: "Report the service and each dependency",
  description:
    "200 when Postgres (the system of record) answers; 503 when it does not. Optional sinks (Redis, Kafka, the OTLP export) report `disabled` when not configured and `error` when configured but unreachable or refusing the credentials, which degrades but does not fail the service; `errors` says why, `sink_failures` counts failed exports.",
  responses: {
    200: { description: "Postgres reachable", content: { "application/json": { schema: Health } } },
    503: { description: "Postgres unreachable", content: { "application/json": { schema: Health } } },
  },
});

async function sinkFailureCounts(databaseUrl: string, relay: string, waitUntil: (p: Promise<unknown>) => void): Promise<Record<string, z.infer<typeof SinkFailures>>> {
  const db = openDatabase(databaseUrl, relay);
  try {
    const counts: Record<string, SinkFailureCount> = await readSinkFailures(db);
    return Object.fromEntries(Object.entries(counts).map(([sink, c]) => [sink, { failures: c.failures, last_error: c.lastError, last_failed_at: c.lastFailedAt }]));
  } catch (err) {
    logError("health: sink failures", err);
    return {};
  } finally {
    waitUntil(db.$client.end().catch(() => undefined));
  }
}

export const health = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const waitUntil = (p: Promise<unknown>) => {
    try {
      c.executionCtx.waitUntil(p);
    } catch {
      // no execution context in direct app.request() calls
    }
  };
  const [postgres, redis, kafka, otlp] = await Promise.all([checkPostgres(c.env, waitUntil), checkRedis(c.env), checkKafka(c.env), checkOtlp(c.env)]);
  const sinkFailures = postgres === "ok" && c.env.DATABASE_URL ? await sinkFailureCounts(c.env.DATABASE_URL, c.env.NEON_WS_PROXY, waitUntil) : {};
  const errors: Record<string, string> = {};
  if (kafka.error) errors.kafka = kafka.error;
  if (otlp.error) errors.otlp = otlp.error;
  const status = postgres !== "ok" ? "unavailable" : redis === "error" || kafka.status === "error" || otlp.status === "error" ? "degraded" : "ok";
  const body = { status, postgres, redis, kafka: kafka.status, otlp: otlp.status, errors, sink_failures: sinkFailures, version: c.env.VIGIL_VERSION } as const;
  return postgres === "ok" ? c.json(body, 200) : c.json(body, 503);
});
