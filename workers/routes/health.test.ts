import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { createApp } from "../app.ts";
import type { Bindings } from "../env.ts";

const app = createApp();
const bindings = env as unknown as Bindings;

async function health(overrides: Partial<Bindings> = {}) {
  const res = await app.request("/v1/health", {}, { ...bindings, ...overrides });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe("GET /v1/health", () => {
  it("reports ok with a real Postgres behind the Neon relay, and optional sinks disabled", async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ok", postgres: "ok", redis: "disabled", kafka: "disabled", version: bindings.VIGIL_VERSION });
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
});
