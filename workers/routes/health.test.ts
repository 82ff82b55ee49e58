import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { createApp } from "../app.ts";
import type { Bindings } from "../env.ts";
import { countingFailures } from "../health/sink-failures.ts";
import { otlpConfig } from "../observability/otlp/config.ts";
import { otlpMetricsSink } from "../sinks/otlp.ts";

const app = createApp();
const bindings = env as unknown as Bindings;

async function health(overrides: Partial<Bindings> = {}) {
  const res = await app.request("/v1/health", {}, { ...bindings, ...overrides });
  return { status: res.status, body: (await res.json()) as Record<string, string> & { errors: Record<string, string>; sink_failures: Record<string, { failures: number; last_error: string | null }> } };
}

describe("GET /v1/health", () => {
  it("reports ok with a real Postgres behind the Neon relay, and optional sinks disabled", async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", postgres: "ok", redis: "disabled", kafka: "disabled", otlp: "disabled", errors: {}, version: bindings.VIGIL_VERSION });
  });

  it("returns 503 when Postgres is unreachable", async () => {
    // A relay port nothing listens on: the driver's WebSocket cannot connect.
    const { status, body } = await health({ NEON_WS_PROXY: "127.0.0.1:9/v2" });
    expect(status).toBe(503);
    expect(body.postgres).toBe("error");
    expect(body.status).toBe("unavailable");
  });

  it("returns 503 when no database is configured", async () => {
    const { status, body } = await health({ DATABASE_URL: undefined });
    expect(status).toBe(503);
    expect(body.postgres).toBe("error");
  });

  it("pings a configured Redis through the Upstash REST protocol", async (ctx) => {
    const { upstashUrl, upstashToken } = inject("services");
    if (!upstashUrl) return ctx.skip();
    const { status, body } = await health({ UPSTASH_REDIS_REST_URL: upstashUrl, UPSTASH_REDIS_REST_TOKEN: upstashToken });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", redis: "ok" });
    const wrongToken = await health({ UPSTASH_REDIS_REST_URL: upstashUrl, UPSTASH_REDIS_REST_TOKEN: "wrong" });
    expect(wrongToken.body.redis).toBe("error");
  });

  it("reports a configured but unreachable Redis as an error without failing the service", async () => {
    const { status, body } = await health({ UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9", UPSTASH_REDIS_REST_TOKEN: "x" });
    expect(status).toBe(200);
    expect(body.redis).toBe("error");
    expect(body.status).toBe("degraded");
  });

  it("names incomplete Kafka REST credentials, and an unreachable proxy, without failing the service", async () => {
    const half = await health({ KAFKA_REST_URL: "http://127.0.0.1:9", KAFKA_REST_USERNAME: "key" });
    expect(half.status).toBe(200);
    expect(half.body).toMatchObject({ status: "degraded", kafka: "error" });
    expect(half.body.errors.kafka).toContain("KAFKA_REST_PASSWORD");
    const down = await health({ KAFKA_REST_URL: "http://127.0.0.1:9" });
    expect(down.body).toMatchObject({ status: "degraded", kafka: "error" });
    expect(down.body.errors.kafka).toMatch(/did not answer/);
  });

  it("names a bad OTEL_* setting, and degrades without failing the service", async () => {
    const { status, body } = await health({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "degraded", otlp: "error" });
    expect(body.errors.otlp).toContain("OTEL_EXPORTER_OTLP_PROTOCOL");
  });

  it("reports an unreachable OTLP collector as an error, and counts failed exports from the outbox", async () => {
    const { status, body } = await health({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "degraded", otlp: "error" });
    expect(body.errors.otlp).toMatch(/^OTLP collector is unreachable/);
    // An outbox send through the real OTLP sink to the same dead collector, counted in Postgres.
    const config = otlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9" })!;
    const sink = countingFailures(otlpMetricsSink(config, "test"), bindings.DATABASE_URL!, bindings.NEON_WS_PROXY);
    const before = (await health()).body.sink_failures.otlp?.failures ?? 0;
    const record = { orgId: "o", model: "m", version: "v", at: Date.now(), tick: 1, windows: [], totals: { events: 1, batches: 1, duplicateBatches: 0, actuals: 0, unmatchedActuals: 0, lastEventAt: null, lateEvents: 0, rejectedEvents: 0 } };
    await expect(sink.send([record])).rejects.toThrow(/OTLP collector is unreachable/);
    await expect(sink.send([record])).rejects.toThrow(/OTLP collector is unreachable/);
    const after = (await health()).body.sink_failures.otlp!;
    expect(after.failures).toBe(before + 2);
    expect(after.last_error).toMatch(/^OTLP collector is unreachable/);
  });
});
