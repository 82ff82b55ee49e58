import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.ts";
import { setOutboundFetch } from "../alerts/outbound.ts";
import { recordingFetch, seedModelVersion, type AlertFixture } from "../alerts/testing.ts";
import { verifySignature } from "../channels/signature.ts";
import { testEnv, withDb } from "../testing/seed.ts";

const app = createApp();
const localEnv = { ...testEnv, VIGIL_ALLOW_HTTP_WEBHOOKS: "1" };
let f: AlertFixture;
let other: AlertFixture;

function call(method: string, path: string, body?: unknown, key = f.key, env = localEnv) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  return app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, env);
}

beforeAll(async () => {
  [f, other] = await withDb(async (db) => [await seedModelVersion(db), await seedModelVersion(db)]);
});
afterEach(() => setOutboundFetch(undefined));

describe("/v1/channels", () => {
  it("creates a webhook channel, shows its secret once, and masks credentials afterwards", async () => {
    const res = await call("POST", "/v1/channels", { name: "ops hook", kind: "webhook", config: { url: "http://127.0.0.1:9/hook" } });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; secret: string; config: Record<string, unknown>; models: null };
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.config).toEqual({ url: "http://127.0.0.1:9/hook" });
    expect(created.models).toBeNull();
    const got = (await (await call("GET", `/v1/channels/${created.id}`)).json()) as Record<string, unknown>;
    expect(got.secret).toBeUndefined();
    const list = (await (await call("GET", "/v1/channels")).json()) as { channels: Array<{ id: string }> };
    expect(list.channels.map((c) => c.id)).toContain(created.id);
  });

  it.each([
    [{ name: "x", kind: "webhook", config: { url: "http://hooks.example.com/x" } }, "config.url", /must use https/],
    [{ name: "x", kind: "webhook", config: { url: "https://169.254.169.254/latest/meta-data" } }, "config.url", /link-local or metadata/],
    [{ name: "x", kind: "slack", config: { url: "https://127.0.0.1/x" } }, "config.url", /loopback/],
    [{ name: "x", kind: "pagerduty", config: {} }, "config.routing_key", /./],
    [{ name: "x", kind: "retrain", config: { format: "github", repo: "acme/models" } }, "config.token", /required when format is github/],
    [{ name: "x", kind: "retrain", config: { url: "https://ml.example.com", hold_minutes: -1 } }, "config.hold_minutes", /./],
    [{ name: "x", kind: "fax", config: {} }, "kind", /./],
  ])("rejects a bad channel in production naming the field: %j", async (body, field, message) => {
    const res = await call("POST", "/v1/channels", body, f.key, testEnv);
    expect(res.status).toBe(400);
    const err = (await res.json()) as { error: { code: string; message: string; details: Array<{ field: string; error: string }> } };
    expect(err.error.code).toBe("validation_failed");
    expect(err.error.details[0]!.field).toBe(field);
    expect(err.error.message).toMatch(message);
  });

  it("answers 404 for another org's channel, for read, update, delete and test", async () => {
    const res = await call("POST", "/v1/channels", { name: "theirs", kind: "slack", config: { url: "https://hooks.slack.com/services/T/B/X" } }, other.key);
    const { id } = (await res.json()) as { id: string };
    expect((await call("GET", `/v1/channels/${id}`)).status).toBe(404);
    expect((await call("PATCH", `/v1/channels/${id}`, { name: "mine now" })).status).toBe(404);
    expect((await call("DELETE", `/v1/channels/${id}`)).status).toBe(404);
    expect((await call("POST", `/v1/channels/${id}/test`)).status).toBe(404);
    expect((await call("GET", `/v1/channels/not-a-uuid`)).status).toBe(404);
  });

  it("updates and soft-deletes a channel", async () => {
    const { id } = (await (await call("POST", "/v1/channels", { name: "a", kind: "teams", config: { url: "https://example.com/wf" } })).json()) as { id: string };
    const patched = await call("PATCH", `/v1/channels/${id}`, { name: "b", models: [f.model], enabled: false });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ name: "b", models: [f.model], enabled: false });
    expect((await call("DELETE", `/v1/channels/${id}`)).status).toBe(204);
    expect((await call("GET", `/v1/channels/${id}`)).status).toBe(404);
  });

  it("sends a signed test delivery and logs it", async () => {
    const rec = recordingFetch([204]);
    setOutboundFetch(rec.fetch);
    const created = (await (await call("POST", "/v1/channels", { name: "t", kind: "webhook", config: { url: "https://receiver.example.com/hook" } })).json()) as { id: string; secret: string };
    const res = await call("POST", `/v1/channels/${created.id}/test`);
    expect(res.status).toBe(200);
    const out = (await res.json()) as { delivery_id: string; ok: boolean; status: string; status_code: number };
    expect(out).toMatchObject({ ok: true, status: "delivered", status_code: 204 });
    expect(rec.requests).toHaveLength(1);
    const req = rec.requests[0]!;
    expect(req.url).toBe("https://receiver.example.com/hook");
    expect(req.headers["idempotency-key"]).toBe(out.delivery_id);
    const verified = await verifySignature(created.secret, req.body, req.headers["vigil-signature"]!, Math.floor(Date.now() / 1000));
    expect(verified.ok).toBe(true);
    expect(JSON.parse(req.body)).toMatchObject({ type: "test", alert: null });
  });

  it("reports a failing receiver and schedules a retry", async () => {
    setOutboundFetch(recordingFetch([500]).fetch);
    const { id } = (await (await call("POST", "/v1/channels", { name: "t", kind: "slack", config: { url: "https://hooks.slack.com/services/T/B/Y" } })).json()) as { id: string };
    const out = (await (await call("POST", `/v1/channels/${id}/test`)).json()) as { ok: boolean; status: string; status_code: number; error: string };
    expect(out).toMatchObject({ ok: false, status: "pending", status_code: 500 });
    expect(out.error).toContain("HTTP 500");
  });

  it("needs the write scope to create", async () => {
    const readOnly = await withDb(async (db) => (await import("../testing/seed.ts")).seedKey(db, f.orgId, ["read"]));
    const res = await call("POST", "/v1/channels", { name: "x", kind: "slack", config: { url: "https://hooks.slack.com/x" } }, readOnly.key);
    expect(res.status).toBe(403);
  });

  it("documents the alert, rule and channel routes in the OpenAPI spec", async () => {
    const res = await app.request("/openapi.json", {}, localEnv);
    expect(res.status).toBe(200);
    const spec = (await res.json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    for (const [path, method] of [
      ["/v1/channels", "post"], ["/v1/channels/{id}/test", "post"], ["/v1/rules", "get"], ["/v1/rules/{id}", "patch"],
      ["/v1/alerts", "get"], ["/v1/alerts/{id}/ack", "post"], ["/v1/alerts/{id}/resolve", "post"], ["/v1/alerts/{id}/deliveries", "get"],
      ["/v1/deliveries/{id}/redeliver", "post"],
    ] as const) {
      expect(spec.paths[path]?.[method], `${method} ${path}`).toBeDefined();
      // Errors are documented too, not just the happy path.
      expect(Object.keys(spec.paths[path]![method]!.responses)).toEqual(expect.arrayContaining(["401", "403"]));
    }
  });
});
