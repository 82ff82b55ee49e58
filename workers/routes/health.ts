import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { checkKafka, checkPostgres, checkRedis } from "../health/checks.ts";

const Status = z.enum(["ok", "error", "disabled"]);
const Health = z
  .object({
    status: z.enum(["ok", "degraded", "unavailable"]),
    postgres: Status,
    redis: Status,
    kafka: Status,
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
    "200 when Postgres (the system of record) answers; 503 when it does not. Optional sinks (Redis, Kafka) report `disabled` when not configured and `error` when configured but unreachable, which degrades but does not fail the service.",
  responses: {
    200: { description: "Postgres reachable", content: { "application/json": { schema: Health } } },
    503: { description: "Postgres unreachable", content: { "application/json": { schema: Health } } },
  },
});

export const health = new OpenAPIHono<AppEnv>().openapi(route, async (c) => {
  const waitUntil = (p: Promise<unknown>) => {
    try {
      c.executionCtx.waitUntil(p);
    } catch {
      // no execution context in direct app.request() calls
    }
  };
  const [postgres, redis, kafka] = await Promise.all([checkPostgres(c.env, waitUntil), checkRedis(c.env), checkKafka(c.env)]);
  const status = postgres !== "ok" ? "unavailable" : redis === "error" || kafka === "error" ? "degraded" : "ok";
  const body = { status, postgres, redis, kafka, version: c.env.VIGIL_VERSION } as const;
  return postgres === "ok" ? c.json(body, 200) : c.json(body, 503);
});
